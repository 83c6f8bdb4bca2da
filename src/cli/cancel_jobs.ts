import { configFromStored } from "../core/config.ts";
import type { CancelledJob, Store } from "../store/store.ts";
import { killCancelledAttempts } from "../worker/cancel_attempts.ts";

/** Cancels jobs (and their dependents) and kills the ones running on this host. */
export async function cancelJobs(
  store: Store,
  ids: readonly string[],
  now: number,
): Promise<CancelledJob[]> {
  const { cancelled } = await store.cancelJobs(ids, now);
  const config = configFromStored(await store.readConfigValues());
  await killCancelledAttempts(cancelled, config.killGraceMs);
  return cancelled;
}
