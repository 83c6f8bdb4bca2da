/** How far a poll may move to coincide with the heartbeat. */
export const HEARTBEAT_ALIGN_MS = 500;

export interface IdleWaitInput {
  readonly now: number;
  readonly pollMs: number;
  /** When the next scheduled job comes due, or Infinity (none, or no free slot). */
  readonly dueAt: number;
  readonly nextHeartbeatAt: number;
}

/**
 * How long a worker's claim loop sleeps: until the next scheduled job, at most one poll. A poll
 * that would fall near or after the heartbeat sleeps without a timer of its own (Infinity):
 * the heartbeat wakes the loop. Each timer costs an idle worker ~1 ms of CPU on the machines
 * measured, and Deno still wakes up for a timer that was cleared, so a second timer set for
 * the same moment would cost that even when the heartbeat came first.
 */
export function idleWaitMs({ now, pollMs, dueAt, nextHeartbeatAt }: IdleWaitInput): number {
  const due = Math.max(0, dueAt - now);
  if (due < pollMs) return due;
  const untilHeartbeat = nextHeartbeatAt - now;
  if (untilHeartbeat >= 0 && untilHeartbeat <= pollMs + HEARTBEAT_ALIGN_MS) return Infinity;
  return pollMs;
}
