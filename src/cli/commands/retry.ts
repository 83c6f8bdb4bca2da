import { defineCommand } from "../command.ts";
import { noteHeldJobs } from "../held_jobs_note.ts";
import { jobSelection, nothingSelected } from "../job_selection.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

export default defineCommand({
  name: "retry",
  arguments: "<id>... | --all [--queue <names>]",
  description: [
    "A failed job waits out its backoff before its retry; this makes that retry due now and",
    "wakes the workers. Its attempts and retries left are unchanged: it is the retry it would",
    "have had, only earlier. All named jobs or none: an unknown id exits 1, a job that is not",
    "failed 2 (a dead one is retried with dlq retry); one running or completed since it failed",
    "is left as it is and named on stderr. Says on stderr when a retried job's queue is paused",
    "or no running worker serves it.",
    "--queue narrows --all to the failed jobs of some queues; named ids are retried whatever",
    "their queue, so ids and --queue together are refused.",
  ].join("\n"),
  options: {
    all: { type: Boolean, description: "retry every failed job now" },
    queue: {
      type: String,
      placeholder: "<names>",
      description: "with --all: only the failed jobs of these queues, comma-separated",
    },
    json: { type: Boolean, description: "print the ids made due as a JSON array" },
  },
  examples: [
    "queuectl retry k3x9m2qa7z",
    "queuectl retry --all",
    "queuectl retry --all --queue mail,sms",
  ],
  async run(context, { options, positionals }) {
    const selection = jobSelection("retry", options, positionals);
    // Without a database no job exists, failed or not: the answer creates nothing.
    const store = context.storeOrEmpty();
    const { retried, underway } = await store.retryFailedJobs(selection, context.now());
    for (const job of underway) {
      const state = job.state === "processing" ? "running" : job.state;
      context.stderr.line(`queuectl: ${job.id} already ${state}: not retried`);
    }
    if (retried.length > 0) {
      await wakeWorkers(store);
      // Due is not running: a paused queue, or one no worker serves, still holds the job.
      await noteHeldJobs(context, store, retried);
    }
    const ids = retried.map((job) => job.id);
    if (options.json) context.stdout.json(ids);
    else if (ids.length > 0) {
      context.stdout.line(`Retrying ${jobs(ids.length)} now: ${ids.join(", ")}`);
    }
    if (ids.length === 0 && underway.length === 0) {
      context.stderr.line(nothingSelected("retry", selection, "No failed jobs"));
    }
    return 0;
  },
});

function jobs(count: number): string {
  return `${count} job${count === 1 ? "" : "s"}`;
}
