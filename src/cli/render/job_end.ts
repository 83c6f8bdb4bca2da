import type { Job } from "../../core/job.ts";

/**
 * How a job ended, after its id in `wait` and `run`: "completed", "dead: exited with code 4",
 * "cancelled: dependency build-1 was cancelled"; the state alone when the reason only repeats it
 * (a plain cancel records "cancelled").
 */
export function describeJobEnd(job: Job): string {
  const reason = job.state === "completed" ? null : job.lastError;
  return reason === null || reason === job.state ? job.state : `${job.state}: ${reason}`;
}
