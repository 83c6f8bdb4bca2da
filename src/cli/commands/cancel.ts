import { JobNotFoundError, UsageError } from "../../core/errors.ts";
import { cancelJobs } from "../cancel_jobs.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "cancel",
  arguments: "<id>...",
  description: [
    "A pending or failed job becomes cancelled; a running one has its process group killed",
    "(SIGTERM, then SIGKILL after kill_grace). Jobs that run after it are cancelled too.",
    "All named jobs are cancelled or none: a finished job is refused.",
  ].join("\n"),
  options: {
    json: {
      type: Boolean,
      description: "print the cancelled ids as a JSON array: the named, then their dependents",
    },
  },
  examples: [
    "queuectl cancel k3x9m2qa7z",
    "queuectl list --state pending --limit 1000000 --json | jq -r '.[].id' | xargs -r queuectl cancel",
  ],
  async run(context, { options, positionals }) {
    if (positionals.length === 0) throw new UsageError("Give the ids of the jobs to cancel");
    const ids = [...new Set(positionals)];
    // Without a database no job exists: refusing creates nothing.
    const store = context.existingStore();
    if (!store) throw new JobNotFoundError(ids[0]!, "nothing was cancelled");
    const cancelled = await cancelJobs(store, ids, context.now());
    if (options.json) context.stdout.json(cancelled.map((job) => job.id));
    else {
      const names = cancelled.map((job) =>
        job.dependentOf === null ? job.id : `${job.id} (dependent of ${job.dependentOf})`
      );
      context.stdout.line(
        `Cancelled ${names.length} job${names.length === 1 ? "" : "s"}: ${names.join(", ")}`,
      );
    }
    return 0;
  },
});
