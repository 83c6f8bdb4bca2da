/**
 * How the running workers serve a queue: a worker not asked to stop serves it ("served"); such
 * workers run, for other queues only ("other_queues"); or every one was asked to stop
 * ("stopping"), finishing its jobs, taking no more.
 */
export type QueueService = "served" | "other_queues" | "stopping";

/** What queueService needs to know of a worker. */
export interface QueueServer {
  /** null: every queue. */
  readonly queues: readonly string[] | null;
  /** Asked to stop: it finishes its jobs and takes no new one. */
  readonly stopping: boolean;
}

/**
 * How `workers` serve `queue`; null when there is none. The one rule for what `enqueue`, `run`,
 * `wait` and `retry` say of a job that waits for a worker.
 */
export function queueService(
  queue: string,
  workers: readonly QueueServer[],
): QueueService | null {
  if (workers.length === 0) return null;
  const serving = workers.filter((worker) => !worker.stopping);
  if (serving.length === 0) return "stopping";
  return serving.some((worker) => worker.queues === null || worker.queues.includes(queue))
    ? "served"
    : "other_queues";
}
