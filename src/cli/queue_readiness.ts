import type { ExistingDataStore, Store } from "../store/store.ts";
import { listLiveWorkers, type LiveWorker } from "../worker/live_workers.ts";
import type { QueueReadiness } from "./queue_hints.ts";

/**
 * Whether `queue` is paused and whether a running worker serves it; without a database (null)
 * no queue is paused and no worker runs, and none is created. `workersDirectory`: where lost
 * workers' sockets are removed from (listLiveWorkers).
 */
export async function queueReadiness(
  store: Store | null,
  queue: string,
  now: number,
  workersDirectory: string,
): Promise<QueueReadiness> {
  const paused = store ? (await store.pausedQueues()).includes(queue) : false;
  const workers = store ? await servingWorkers(store, now, workersDirectory) : [];
  return { paused, ...servedBy(queue, workers) };
}

/** The live workers that take jobs: a worker asked to stop takes no more. */
export async function servingWorkers(
  store: ExistingDataStore,
  now: number,
  workersDirectory: string,
): Promise<LiveWorker[]> {
  return (await listLiveWorkers(store, now, workersDirectory)).filter((worker) =>
    worker.stopRequest === "none"
  );
}

/** Whether one of `workers` serves `queue`, and if none does, the queues they serve. */
export function servedBy(
  queue: string,
  workers: readonly LiveWorker[],
): Omit<QueueReadiness, "paused"> {
  const served = workers.some((worker) => worker.queues === null || worker.queues.includes(queue));
  // When none serves this queue, none serves every queue: each names the queues it serves.
  const otherQueues = served
    ? []
    : [...new Set(workers.flatMap((worker) => worker.queues ?? []))].sort();
  return { served, otherQueues };
}
