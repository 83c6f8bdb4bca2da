import type { QueueSummary } from "../store/store.ts";

/**
 * What a burst worker leaves behind when it stops drained, one line per queue it serves: a
 * paused queue's jobs wait for its resume; a job left in another of its queues can only be one
 * waiting for a dependency that nothing ends without someone acting (or one enqueued since).
 */
export function describeLeftJobs(
  queues: readonly string[] | null,
  summaries: readonly QueueSummary[],
): string[] {
  const lines: string[] = [];
  for (const { name, paused, jobs } of summaries) {
    if (queues !== null && !queues.includes(name)) continue;
    const waiting = jobs.pending + jobs.failed;
    if (waiting === 0) continue;
    lines.push(
      paused
        ? `left ${waiting} job(s) in paused queue ${name}: 'queuectl queue resume ${name}' lets them run`
        : `left ${waiting} job(s) in queue ${name} waiting for dependencies that wait in a paused queue or in one no worker serves`,
    );
  }
  return lines;
}
