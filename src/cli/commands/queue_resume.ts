import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

export default defineCommand({
  name: "queue resume",
  arguments: "<name>",
  description: [
    "Workers claim from the queue again. Resuming a queue that is not paused (a typo, say)",
    "changes nothing, creates nothing, and says so on stderr.",
  ].join("\n"),
  options: {},
  examples: ["queuectl queue resume deploys"],
  async run(context, { positionals }) {
    const name = queueArgument(positionals, "resume");
    // Without a database no queue is paused: the answer creates nothing.
    const store = context.existingStore();
    const before = store ? await store.configureQueue(name, { paused: false }) : null;
    if (!store || !before?.paused) {
      context.stderr.line(`queuectl: Queue ${name} was not paused: nothing to resume`);
      return 0;
    }
    await wakeWorkers(store);
    context.stdout.line(`Queue ${name} resumed`);
    return 0;
  },
});
