import type { Store } from "../store/store.ts";
import { listLiveWorkers } from "../worker/live_workers.ts";
import type { QueueReadiness } from "./queue_hints.ts";

/**
 * Whether `queue` is paused and whether a running worker serves it; without a database (null)
 * no queue is paused and no worker runs, and none is created. A worker asked to stop serves
 * nothing more.
 */
export async function queueReadiness(
  store: Store | null,
  queue: string,
  now: number,
): Promise<QueueReadiness> {
  const paused = store ? (await store.pausedQueues()).includes(queue) : false;
  const workers = (store ? await listLiveWorkers(store, now) : [])
    .filter((worker) => worker.stopRequest === "none");
  const served = workers.some((worker) => worker.queues === null || worker.queues.includes(queue));
  // When none serves this queue, none serves every queue: each names the queues it serves.
  const otherQueues = served
    ? []
    : [...new Set(workers.flatMap((worker) => worker.queues ?? []))].sort();
  return { paused, served, otherQueues };
}
