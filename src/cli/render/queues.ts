import { JOB_STATES, type JobState } from "../../core/job_state.ts";
import type { QueueSummary } from "../../store/store.ts";
import { renderTable } from "./table.ts";

/** The human rendering of `queue list`: a count per job state, named as the states are. */
export function renderQueueTable(queues: readonly QueueSummary[], width: number | null): string {
  return renderTable(
    ["QUEUE", "STATUS", "LIMIT", ...JOB_STATES.map((state) => state.toUpperCase())],
    queues.map((queue) => [
      queue.name,
      queueStatus(queue),
      queue.concurrency === null ? "-" : String(queue.concurrency),
      ...JOB_STATES.map((state) => String(queue.jobs[state])),
    ]),
    width,
  );
}

/**
 * Why a queue's jobs may not start: `paused` (none starts, whatever runs), `full` (its running
 * jobs, with the cancelled ones whose commands may still run, have reached its limit: no more
 * starts until one ends, as the claim counts), else `active`. Lowering a limit leaves running
 * jobs running, so more than the limit may run: that is full too.
 */
export function queueStatus(queue: QueueSummary): "paused" | "full" | "active" {
  if (queue.paused) return "paused";
  if (
    queue.concurrency !== null && queue.jobs.processing + queue.heldSlots >= queue.concurrency
  ) {
    return "full";
  }
  return "active";
}

/** The JSON shape of a queue in `queue list --json`. */
export interface QueueJson {
  name: string;
  paused: boolean;
  concurrency: number | null;
  jobs: Readonly<Record<JobState, number>>;
  held_slots: number;
}

export function queueToJson(queue: QueueSummary): QueueJson {
  return {
    name: queue.name,
    paused: queue.paused,
    concurrency: queue.concurrency,
    jobs: queue.jobs,
    held_slots: queue.heldSlots,
  };
}
