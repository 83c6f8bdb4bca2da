import { configFromStored } from "../core/config.ts";
import type { CancelledJob, EndedJob, JobSelection, Store } from "../store/store.ts";
import { killCancelledAttempts } from "../worker/cancel_attempts.ts";
import { hostName } from "../worker/process_info.ts";
import {
  otherHostSockets,
  pokeForHeartbeat,
  pokeWakeSockets,
  wakeWorkers,
} from "../worker/wake_socket.ts";

/**
 * Cancels the selected jobs that have not ended (and their dependents) and kills the ones running
 * on this host; returns them, and the named jobs that had ended already.
 */
export async function cancelJobs(
  store: Store,
  selection: JobSelection,
  now: () => number,
): Promise<{ cancelled: CancelledJob[]; alreadyEnded: EndedJob[] }> {
  const config = configFromStored(await store.readConfigValues());
  // A running job's slot is held while it is killed: up to kill_grace, and a lease's worth for
  // this process to get there (or, on another host, for the job's worker to learn of it).
  const { cancelled, alreadyEnded, burstWakeSockets } = await store.cancelJobs(
    selection,
    now(),
    config.killGraceMs + config.leaseSeconds * 1000,
  );
  // A burst worker may have waited for the cancelled jobs only.
  if (burstWakeSockets.length > 0) await pokeWakeSockets(burstWakeSockets);
  await pokeWorkersOfRunningElsewhere(store, cancelled);
  const killed = await killCancelledAttempts(cancelled, config.killGraceMs);
  // A killed job's slot of a limited queue is free once its command is gone, not at the cancel's
  // commit: a job of the queue started then would run beside it (up to kill_grace). Jobs not
  // killed here (another host's, or not started yet) free theirs at the end of their lease.
  if (killed.length === 0) return { cancelled, alreadyEnded };
  const freed = await store.releaseCancelledSlots(
    killed.map((job) => ({ jobId: job.id, attempt: job.attempt! })),
    now(),
  );
  if (freed) await wakeWorkers(store).catch(() => {});
  return { cancelled, alreadyEnded };
}

/**
 * A cancelled job running on another host (or in a container) is killed by its own worker, which
 * learns of the cancel at its heartbeat: asked through its socket, where that reaches it, at once.
 * Only those workers: another's heartbeat would learn nothing from this cancel.
 */
async function pokeWorkersOfRunningElsewhere(
  store: Store,
  cancelled: readonly CancelledJob[],
): Promise<void> {
  const host = hostName();
  const runners = new Set(
    cancelled.flatMap((job) =>
      job.attempt !== null && job.workerHost !== host && job.workerId !== null ? [job.workerId] : []
    ),
  );
  if (runners.size === 0) return;
  const workers = (await store.listWorkers()).filter((worker) => runners.has(worker.id));
  await pokeForHeartbeat(otherHostSockets(workers, host));
}
