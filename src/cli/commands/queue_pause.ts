import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";

export default defineCommand({
  name: "queue pause",
  arguments: "<name>",
  description: "Workers claim nothing more from the queue; running jobs are not touched.",
  options: {},
  examples: ["queuectl queue pause deploys"],
  async run(context, { positionals }) {
    const name = queueArgument(positionals, "pause");
    await context.store().configureQueue(name, { paused: true });
    context.stdout.line(`Queue ${name} paused`);
    return 0;
  },
});
