import { configFromStored } from "../core/config.ts";
import type { CancelledJob, EndedJob, Store } from "../store/store.ts";
import { killCancelledAttempts } from "../worker/cancel_attempts.ts";
import { pokeWakeSockets, wakeWorkers } from "../worker/wake_socket.ts";

/**
 * Cancels the jobs that have not ended (and their dependents) and kills the ones running on this
 * host; returns them, and the named jobs that had ended already.
 */
export async function cancelJobs(
  store: Store,
  ids: readonly string[],
  now: number,
): Promise<{ cancelled: CancelledJob[]; alreadyEnded: EndedJob[] }> {
  const { cancelled, alreadyEnded, freedSlotClaimable, burstWakeSockets } = await store
    .cancelJobs(ids, now);
  // The slot is free from the COMMIT on: the next job of a limited queue need not wait for the
  // kill (up to kill_grace), nor for a poll when the cancelled job's worker cannot take it. A
  // burst worker may have waited for the cancelled jobs only.
  if (freedSlotClaimable) await wakeWorkers(store).catch(() => {});
  else if (burstWakeSockets.length > 0) await pokeWakeSockets(burstWakeSockets);
  const config = configFromStored(await store.readConfigValues());
  await killCancelledAttempts(cancelled, config.killGraceMs);
  return { cancelled, alreadyEnded };
}
