import { JobNotFoundError } from "../../core/errors.ts";
import { cancelJobs } from "../cancel_jobs.ts";
import { defineCommand } from "../command.ts";
import { jobSelection, nothingSelected } from "../job_selection.ts";

export default defineCommand({
  name: "cancel",
  arguments: "<id>... | --all [--queue <names>]",
  description: [
    "A pending or failed job becomes cancelled; a running one has its process group killed",
    "(SIGTERM, then SIGKILL after kill_grace). Jobs that run after it are cancelled too,",
    "whatever their queue. A job that has ended already (completed, dead, cancelled) is left",
    "as it is and named on stderr; exit 0 once every named job has ended. An unknown id",
    "cancels nothing (exit 1).",
    "--all cancels every unfinished job (pending, failed awaiting a retry, running), also in",
    "paused queues, in one transaction; with none, it says so on stderr and exits 0. --queue",
    "narrows --all to some queues; named ids are cancelled whatever their queue, so ids and",
    "--queue together are refused.",
  ].join("\n"),
  options: {
    all: { type: Boolean, description: "cancel every unfinished job" },
    queue: {
      type: String,
      placeholder: "<names>",
      description: "with --all: only the unfinished jobs of these queues, comma-separated",
    },
    json: {
      type: Boolean,
      description:
        "print the cancelled ids as a JSON array: the named (or selected) ones, then their dependents",
    },
  },
  examples: [
    "queuectl cancel k3x9m2qa7z",
    "queuectl cancel --all --queue mail,sms",
    "queuectl list --state pending --limit 1000000 --json | jq -r '.[].id' | xargs -r queuectl cancel",
  ],
  async run(context, { options, positionals }) {
    const selection = jobSelection("cancel", options, positionals);
    // Without a database no job exists: the answer creates nothing.
    const store = context.existingStore();
    if (!store && Array.isArray(selection)) {
      throw new JobNotFoundError(selection[0]!, "nothing was cancelled");
    }
    const { cancelled, alreadyEnded } = store
      ? await cancelJobs(store, selection, context.now)
      : { cancelled: [], alreadyEnded: [] };
    // Not an error: a job can end between the look that chose it and the cancel.
    for (const job of alreadyEnded) {
      context.stderr.line(`queuectl: ${job.id} already ${job.state}: not cancelled`);
    }
    const named = Array.isArray(selection);
    if (options.json) context.stdout.json(cancelled.map((job) => job.id));
    else if (named || cancelled.length > 0) {
      const names = cancelled.map((job) =>
        job.dependentOf === null ? job.id : `${job.id} (dependent of ${job.dependentOf})`
      );
      const count = `Cancelled ${names.length} job${names.length === 1 ? "" : "s"}`;
      context.stdout.line(names.length === 0 ? count : `${count}: ${names.join(", ")}`);
    }
    if (!named && cancelled.length === 0) {
      context.stderr.line(nothingSelected("cancel", selection, "No unfinished jobs"));
    }
    return 0;
  },
});
