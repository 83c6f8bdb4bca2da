import { startWorkers } from "../../worker/supervisor.ts";
import { defineCommand } from "../command.ts";
import { CONCURRENCY_OPTION, parseCount, parseQueueList, QUEUE_OPTION } from "../worker_options.ts";

export default defineCommand({
  name: "worker start",
  arguments: "",
  description: [
    "Each worker is this program started again in the background with 'worker run'; it logs",
    "to $QUEUECTL_HOME/workers/worker-<pid>.log. Returns once every worker has registered.",
  ].join("\n"),
  options: {
    count: {
      type: String,
      alias: "n",
      placeholder: "<n>",
      description: "how many worker processes (default 1)",
    },
    queue: QUEUE_OPTION,
    concurrency: CONCURRENCY_OPTION,
    json: { type: Boolean, description: "print the PIDs as a JSON array" },
  },
  numberOption: "count",
  examples: ["queuectl worker start --count 4"],
  async run(context, { options }) {
    const count = parseCount(options.count, "--count", 1, 256);
    const queues = parseQueueList(options.queue);
    const concurrency = parseCount(options.concurrency, "--concurrency", 1, 256);
    const pids = await startWorkers(
      context.store(),
      context.layout(),
      { count, queues, concurrency },
      context.now,
    );
    if (options.json) context.stdout.json(pids);
    else {
      context.stdout.line(
        `Started ${pids.length} worker${pids.length === 1 ? "" : "s"}: pid ${pids.join(", ")}`,
      );
    }
    return 0;
  },
});
