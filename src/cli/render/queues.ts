import { JOB_STATES } from "../../core/job_state.ts";
import type { QueueSummary } from "../../store/store.ts";
import { renderTable } from "./table.ts";

/** The human rendering of `queue list`: a count per job state, named as the states are. */
export function renderQueueTable(queues: readonly QueueSummary[], width: number | null): string {
  return renderTable(
    ["QUEUE", "STATUS", "LIMIT", ...JOB_STATES.map((state) => state.toUpperCase())],
    queues.map((queue) => [
      queue.name,
      queue.paused ? "paused" : "active",
      queue.concurrency === null ? "-" : String(queue.concurrency),
      ...JOB_STATES.map((state) => String(queue.jobs[state])),
    ]),
    width,
  );
}
