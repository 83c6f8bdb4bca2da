import { UsageError } from "../../core/errors.ts";
import { defineCommand } from "../command.ts";
import { queueArgument } from "../queue_argument.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";
import { parseCount } from "../worker_options.ts";

export default defineCommand({
  name: "queue set",
  arguments: "<name> --concurrency <n|none>",
  description: "The limit holds across all workers: at most n jobs of the queue run at once.",
  options: {
    concurrency: {
      type: String,
      placeholder: "<n|none>",
      description: "most jobs of this queue running at once (none: no limit)",
    },
  },
  examples: ["queuectl queue set deploys --concurrency 1"],
  async run(context, { options, positionals }) {
    const name = queueArgument(positionals, "set");
    if (options.concurrency === undefined) {
      throw new UsageError("Nothing to set: give --concurrency <n> or --concurrency none");
    }
    const limit = options.concurrency.trim().toLowerCase() === "none"
      ? null
      : parseCount(options.concurrency, "--concurrency", 1, 10_000);
    // Without a database no queue has a limit: removing one creates nothing, as `queue resume`.
    const store = limit === null ? context.existingStore() : context.store();
    if (store !== null) {
      await store.configureQueue(name, { concurrency: limit });
      await wakeWorkers(store);
    }
    context.stdout.line(`Queue ${name}: concurrency ${limit ?? "unlimited"}`);
    return 0;
  },
});
