import { defineCommand } from "../command.ts";
import { renderTable } from "../render/table.ts";

export default defineCommand({
  name: "queue list",
  arguments: "",
  options: {
    json: { type: Boolean, description: "print a JSON array of queues" },
  },
  examples: ["queuectl queue list"],
  async run(context, { options }) {
    const queues = await context.store().listQueues();
    if (options.json) {
      context.stdout.json(queues);
    } else if (queues.length === 0) {
      context.stderr.line("No queues yet: jobs go to queue 'default' unless enqueued with --queue");
    } else {
      context.stdout.write(renderTable(
        ["QUEUE", "STATUS", "LIMIT", "PENDING", "RUNNING", "FAILED", "DONE", "DEAD", "CANCELLED"],
        queues.map((queue) => [
          queue.name,
          queue.paused ? "paused" : "active",
          queue.concurrency === null ? "-" : String(queue.concurrency),
          String(queue.jobs.pending),
          String(queue.jobs.processing),
          String(queue.jobs.failed),
          String(queue.jobs.completed),
          String(queue.jobs.dead),
          String(queue.jobs.cancelled),
        ]),
        context.terminalWidth,
      ));
    }
    return 0;
  },
});
