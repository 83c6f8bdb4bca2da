import { WorkerRunner } from "../../worker/runner.ts";
import { defineCommand } from "../command.ts";
import { workerLog } from "../worker_log.ts";
import { CONCURRENCY_OPTION, parseCount, parseQueueList, QUEUE_OPTION } from "../worker_options.ts";

export default defineCommand({
  name: "worker run",
  arguments: "",
  description: [
    "For systemd, containers and CI steps. SIGINT or SIGTERM: take no new job, finish the",
    "running ones, exit 0. A second signal: kill the running jobs, give them back to pending.",
    "With --burst it exits 0 once its queues hold no job it could run now or later: it waits",
    "for delayed jobs, retries, other workers' running jobs of its queues and dependencies that",
    "can still end; it leaves a paused queue's jobs, and its log says how many. Exit 1: the",
    "worker failed (its database removed or unusable).",
  ].join("\n"),
  options: {
    queue: QUEUE_OPTION,
    concurrency: CONCURRENCY_OPTION,
    burst: {
      type: Boolean,
      description: "run the jobs of its queues until none is left, then exit 0 (for CI)",
    },
    logFile: {
      type: String,
      placeholder: "<path>",
      description: "append the worker's log here instead of stderr ({pid} is replaced)",
    },
  },
  numberOption: "concurrency",
  examples: [
    "queuectl worker run --concurrency 4",
    "queuectl enqueue --file jobs.ndjson --quiet && queuectl worker run --burst --concurrency 4",
  ],
  async run(context, { options }) {
    const queues = parseQueueList(options.queue);
    const concurrency = parseCount(options.concurrency, "--concurrency", 1, 256);
    const logFile = options.logFile?.replaceAll("{pid}", String(Deno.pid));
    using log = workerLog(logFile, context.stderr, context.now);
    const runner = new WorkerRunner({
      store: context.store(),
      layout: context.layout(),
      queues,
      concurrency,
      log,
      now: context.now,
      burst: options.burst === true,
    });
    try {
      return await runner.run();
    } catch (error) {
      log(`worker failed: ${(error as Error).message}`);
      throw error;
    }
  },
});
