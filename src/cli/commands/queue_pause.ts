import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";

export default defineCommand({
  name: "queue pause",
  arguments: "<name>",
  description: [
    "Workers claim nothing more from the queue; running jobs are not touched. Pausing a paused",
    "queue changes nothing and says so on stderr.",
  ].join("\n"),
  options: {},
  examples: ["queuectl queue pause deploys"],
  async run(context, { positionals }) {
    const name = queueArgument(positionals, "pause");
    const before = await context.store().configureQueue(name, { paused: true });
    if (before.paused) context.stderr.line(`queuectl: Queue ${name} was already paused`);
    else context.stdout.line(`Queue ${name} paused`);
    return 0;
  },
});
