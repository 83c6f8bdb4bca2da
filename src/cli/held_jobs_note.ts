import type { Job } from "../core/job.ts";
import type { ExistingDataStore } from "../store/store.ts";
import { listLiveWorkers } from "../worker/live_workers.ts";
import type { CliContext } from "./context.ts";
import { heldJobsSubject, pausedQueueNote, waitingForWorkerNote } from "./queue_hints.ts";
import { servedBy } from "./queue_readiness.ts";

/**
 * Says, once, which of the jobs wait for something nothing but a user's command brings: a paused
 * queue's resume, or a worker for their queue (`wait` at its start, `retry` after making them
 * due). A job that is running or ended needs neither; null: a job deleted.
 */
export async function noteHeldJobs(
  context: CliContext,
  store: ExistingDataStore,
  jobs: readonly (Job | null)[],
): Promise<void> {
  const waiting = jobs.filter((job) => job?.state === "pending" || job?.state === "failed")
    .map((job) => job!);
  if (waiting.length === 0) return;
  const note = (text: string) => context.stderr.line(`queuectl: ${text}`);
  const heldIn = (queues: readonly string[]) =>
    heldJobsSubject(waiting.filter((job) => queues.includes(job.queue)).length, jobs.length);
  for (const queue of await store.pausedQueues()) {
    if (waiting.some((job) => job.queue === queue)) note(pausedQueueNote(queue, heldIn([queue])));
  }
  const workers = await listLiveWorkers(store, context.now(), context.layout().workers);
  const queues = [...new Set(waiting.map((job) => job.queue))].sort();
  for (const queue of queues) {
    const { service } = servedBy(queue, workers);
    // No worker takes any queue's jobs (none runs, or every one is stopping): one note for all.
    if (service === null || service === "stopping") {
      note(waitingForWorkerNote(queue, service, heldIn(queues))!);
      return;
    }
    const text = waitingForWorkerNote(queue, service, heldIn([queue]));
    if (text !== null) note(text);
  }
}
