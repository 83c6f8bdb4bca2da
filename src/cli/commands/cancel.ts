import { JobNotFoundError, UsageError } from "../../core/errors.ts";
import { cancelJobs } from "../cancel_jobs.ts";
import { defineCommand } from "../command.ts";
import { checkJobIdArguments } from "../job_id_arguments.ts";

export default defineCommand({
  name: "cancel",
  arguments: "<id>...",
  description: [
    "A pending or failed job becomes cancelled; a running one has its process group killed",
    "(SIGTERM, then SIGKILL after kill_grace). Jobs that run after it are cancelled too.",
    "A job that has ended already (completed, dead, cancelled) is left as it is and named on",
    "stderr; exit 0 once every named job has ended. An unknown id cancels nothing (exit 1).",
  ].join("\n"),
  options: {
    json: {
      type: Boolean,
      description:
        "print the cancelled ids as a JSON array: the named ones cancelled, then their dependents",
    },
  },
  examples: [
    "queuectl cancel k3x9m2qa7z",
    "queuectl list --state pending --limit 1000000 --json | jq -r '.[].id' | xargs -r queuectl cancel",
  ],
  async run(context, { options, positionals }) {
    if (positionals.length === 0) throw new UsageError("Give the ids of the jobs to cancel");
    checkJobIdArguments(positionals);
    const ids = [...new Set(positionals)];
    // Without a database no job exists: refusing creates nothing.
    const store = context.existingStore();
    if (!store) throw new JobNotFoundError(ids[0]!, "nothing was cancelled");
    const { cancelled, alreadyEnded } = await cancelJobs(store, ids, context.now);
    // Not an error: a job can end between the look that chose it and the cancel.
    for (const job of alreadyEnded) {
      context.stderr.line(`queuectl: ${job.id} already ${job.state}: not cancelled`);
    }
    if (options.json) context.stdout.json(cancelled.map((job) => job.id));
    else {
      const names = cancelled.map((job) =>
        job.dependentOf === null ? job.id : `${job.id} (dependent of ${job.dependentOf})`
      );
      const count = `Cancelled ${names.length} job${names.length === 1 ? "" : "s"}`;
      context.stdout.line(names.length === 0 ? count : `${count}: ${names.join(", ")}`);
    }
    return 0;
  },
});
