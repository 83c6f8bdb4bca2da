import { parseDuration } from "../../core/duration.ts";
import { stopWorkers } from "../../worker/supervisor.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "worker stop",
  arguments: "",
  description: [
    "Each worker finishes its running job, records it and exits. With --now the running",
    "commands are killed and their jobs go back to pending without counting an attempt.",
    "Exits 1 if some worker had not stopped when --timeout passed.",
  ].join("\n"),
  options: {
    now: { type: Boolean, description: "kill running jobs and requeue them" },
    timeout: {
      type: String,
      placeholder: "<duration>",
      description: "stop waiting for running jobs after this long (default: wait; 0: at once)",
    },
    json: { type: Boolean, description: "print {stopped, remaining} PIDs as JSON" },
  },
  examples: [
    "queuectl worker stop",
    "queuectl worker stop --timeout 30s || queuectl worker stop --now",
  ],
  async run(context, { options }) {
    const timeoutMs = options.timeout === undefined
      ? null
      : parseDuration(options.timeout, "--timeout");
    const result = await stopWorkers(
      // Without a database no worker runs: nothing to stop, and nothing created.
      context.storeOrEmpty(),
      options.now ? "now" : "graceful",
      timeoutMs,
      context.now,
      context.layout().workers,
    );
    if (options.json) {
      context.stdout.json(result);
    } else if (result.stopped.length === 0 && result.remaining.length === 0) {
      context.stderr.line("queuectl: No workers are running");
    } else {
      if (result.stopped.length > 0) {
        context.stdout.line(
          `Stopped ${result.stopped.length} worker${result.stopped.length === 1 ? "" : "s"}: pid ${
            result.stopped.join(", ")
          }`,
        );
      }
      if (result.remaining.length > 0) {
        context.stderr.line(
          `queuectl: Still running after --timeout: pid ${result.remaining.join(", ")} (try --now)`,
        );
      }
    }
    return result.remaining.length > 0 ? 1 : 0;
  },
});
