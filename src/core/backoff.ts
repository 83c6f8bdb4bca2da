/**
 * Retry backoff: the delay before the retry that follows failed attempt number `attempts`
 * (1-based) is `unit × base^attempts`, capped at `max`.
 *
 * With the defaults (base 2, unit 1s, max 1h) the delays are 2s, 4s, 8s, 16s, 32s, ... and
 * 3600s from the 12th attempt on. Tests shrink `unit` to milliseconds.
 */
export interface BackoffPolicy {
  readonly base: number;
  readonly unitMs: number;
  readonly maxMs: number;
}

export function retryDelayMs(attempts: number, policy: BackoffPolicy): number {
  const raw = policy.unitMs * Math.pow(policy.base, attempts);
  if (!Number.isFinite(raw)) return policy.maxMs;
  return Math.min(Math.round(raw), policy.maxMs);
}
