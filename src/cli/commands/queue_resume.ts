import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

export default defineCommand({
  name: "queue resume",
  arguments: "<name>",
  options: {},
  examples: ["queuectl queue resume deploys"],
  async run(context, { positionals }) {
    const name = queueArgument(positionals, "resume");
    const store = context.store();
    await store.configureQueue(name, { paused: false });
    await wakeWorkers(store);
    context.stdout.line(`Queue ${name} resumed`);
    return 0;
  },
});
