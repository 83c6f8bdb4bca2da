import { configFromStored } from "../core/config.ts";
import type { ExistingDataStore, WorkerRecord } from "../store/store.ts";
import { removeLostWakeSocket } from "./lost_wake_socket.ts";
import { hostName, isProcessAlive } from "./process_info.ts";

// Which workers are alive, apart from the rest of the worker code: `status`, `worker list` and
// `run` need this and none of what starts, runs or recovers jobs, whose modules would cost each
// of these short-lived processes their loading.

/** Where and when a liveness question is asked. */
export interface LivenessContext {
  readonly now: number;
  readonly host: string;
  /** The asking worker's own id (never judged lost), or null outside a worker. */
  readonly self: number | null;
  readonly leaseMs: number;
}

/**
 * Whether a worker is gone. On its own host a worker is dead when its pid no longer runs with
 * the start time it registered (so a reused pid cannot pass for it); on another host, or where
 * the OS cannot tell, when it has sent no heartbeat for a whole lease.
 */
export function isWorkerLost(
  worker: WorkerRecord,
  host: string,
  now: number,
  leaseMs: number,
): boolean {
  if (worker.host === host) {
    const alive = isProcessAlive(worker.pid, worker.procStart);
    if (alive !== null) return !alive;
  }
  return now - worker.heartbeatAt > leaseMs;
}

/**
 * Removes the rows of lost workers (expiring their jobs' leases), and their wake-up sockets
 * from `workersDirectory` (null: sockets are left); returns the live ones.
 */
export async function pruneLostWorkers(
  store: ExistingDataStore,
  context: LivenessContext,
  workersDirectory: string | null,
): Promise<WorkerRecord[]> {
  const workers = await store.listWorkers();
  const lost = workers.filter((worker) =>
    worker.id !== context.self && isWorkerLost(worker, context.host, context.now, context.leaseMs)
  );
  await store.removeWorkers(lost.map((worker) => worker.id), context.now);
  const live = workers.filter((worker) => !lost.includes(worker));
  if (workersDirectory !== null) {
    for (const worker of lost) {
      await removeLostWakeSocket(worker, live, workersDirectory);
    }
  }
  return live;
}

/** A worker whose process runs. */
export interface LiveWorker extends WorkerRecord {
  /**
   * No heartbeat for a whole lease though its process runs (stopped with SIGSTOP, or stalled):
   * its jobs' leases expire and other workers recover them, so it does no work for now.
   */
  readonly stale: boolean;
}

/**
 * The workers that are really running; rows of dead ones are removed on the way, with their
 * wake-up sockets when given the data directory's `workers` (see pruneLostWorkers).
 */
export async function listLiveWorkers(
  store: ExistingDataStore,
  now: number,
  workersDirectory: string | null = null,
): Promise<LiveWorker[]> {
  const config = configFromStored(await store.readConfigValues());
  // The lease the workers themselves renew by: they read the same setting.
  const leaseMs = config.leaseSeconds * 1000;
  const live = await pruneLostWorkers(
    store,
    { now, host: hostName(), self: null, leaseMs },
    workersDirectory,
  );
  return live.map((worker) => ({ ...worker, stale: now - worker.heartbeatAt > leaseMs }));
}
