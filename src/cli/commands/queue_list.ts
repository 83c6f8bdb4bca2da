import { defineCommand } from "../command.ts";
import { queueToJson, renderQueueTable } from "../render/queues.ts";

export default defineCommand({
  name: "queue list",
  arguments: "",
  options: {
    json: { type: Boolean, description: "print a JSON array of queues" },
  },
  examples: ["queuectl queue list"],
  async run(context, { options }) {
    const queues = await context.storeOrEmpty().listQueues(context.now());
    if (options.json) {
      context.stdout.json(queues.map(queueToJson));
    } else if (queues.length === 0) {
      context.stderr.line(
        "queuectl: No queues yet: jobs go to queue 'default' unless enqueued with --queue",
      );
    } else {
      context.stdout.write(renderQueueTable(queues, context.terminalWidth));
    }
    return 0;
  },
});
