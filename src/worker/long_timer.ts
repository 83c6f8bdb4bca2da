/**
 * The longest delay setTimeout honours (2^31 - 1 ms, ~24.8 days): a longer one fires after 1 ms
 * (Deno's TimeoutOverflowWarning), so a job with a 30-day timeout was killed at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer functions a long timer uses; tests pass fakes so that no test waits for days. */
export interface TimerClock {
  /** A monotonic time in ms. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

type TimerHandle = ReturnType<typeof setTimeout>;

const SYSTEM_CLOCK: TimerClock = {
  now: () => performance.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => setTimeout(callback, ms),
  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle);
  },
};

/**
 * Calls `callback` once `ms` have passed, however long that is: a delay over MAX_TIMER_MS is
 * waited in chunks that each re-arm for what is left. Returns a function that cancels it.
 */
export function setLongTimeout(
  callback: () => void,
  ms: number,
  clock: TimerClock = SYSTEM_CLOCK,
): () => void {
  const deadline = clock.now() + ms;
  let timer: unknown;
  const arm = () => {
    const left = Math.max(0, deadline - clock.now());
    timer = left > MAX_TIMER_MS
      ? clock.setTimeout(arm, MAX_TIMER_MS)
      : clock.setTimeout(callback, left);
  };
  arm();
  return () => clock.clearTimeout(timer);
}
