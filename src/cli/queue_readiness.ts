import { queueService } from "../core/queue_service.ts";
import type { Store, WorkerRecord } from "../store/store.ts";
import { listLiveWorkers } from "../worker/live_workers.ts";
import type { QueueReadiness } from "./queue_hints.ts";

/**
 * Whether `queue` is paused and how the running workers serve it; without a database (null) no
 * queue is paused and no worker runs, and none is created. `workersDirectory`: where lost
 * workers' sockets are removed from (listLiveWorkers).
 */
export async function queueReadiness(
  store: Store | null,
  queue: string,
  now: number,
  workersDirectory: string,
): Promise<QueueReadiness> {
  const paused = store ? (await store.pausedQueues()).includes(queue) : false;
  const workers = store ? await listLiveWorkers(store, now, workersDirectory) : [];
  return { paused, ...servedBy(queue, workers) };
}

/**
 * How the live `workers` serve `queue`, by the rule `enqueue` follows (queueService), and if
 * none serves it, the queues that those taking jobs serve.
 */
export function servedBy(
  queue: string,
  workers: readonly WorkerRecord[],
): Omit<QueueReadiness, "paused"> {
  const service = queueService(
    queue,
    workers.map((worker) => ({ queues: worker.queues, stopping: worker.stopRequest !== "none" })),
  );
  // When none serves this queue, none serves every queue: each names the queues it serves.
  const otherQueues = service === "other_queues"
    ? [
      ...new Set(
        workers.filter((worker) => worker.stopRequest === "none")
          .flatMap((worker) => worker.queues ?? []),
      ),
    ].sort()
    : [];
  return { service, otherQueues };
}
