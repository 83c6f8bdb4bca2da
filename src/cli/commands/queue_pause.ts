import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

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
    const store = context.store();
    const before = await store.configureQueue(name, { paused: true });
    if (before.paused) {
      context.stderr.line(`queuectl: Queue ${name} was already paused`);
      return 0;
    }
    context.stdout.line(`Queue ${name} paused`);
    // A burst worker waiting for this queue's delayed jobs, or for a chain that runs through
    // it, stops waiting for them now: it looks again when poked, not at its next poll.
    await wakeWorkers(store).catch(() => {});
    return 0;
  },
});
