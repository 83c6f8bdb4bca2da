// What queuectl tells a user whose job cannot run yet, and the exact command that lets it run.
// Queue names need no shell quoting: they are letters, digits, '.', '_' and '-' only.

/**
 * Why `run` refuses a queue that no running worker serves. With no worker at all, a plain
 * `worker start` serves every queue; with workers for other queues only, one for this queue: a
 * plain one would also take jobs from the queues that have workers of their own.
 */
export function noWorkerRefusal(queue: string, otherQueues: readonly string[]): string {
  const others = otherQueues.length === 0 ? "" : `, only for ${otherQueues.join(", ")}`;
  return `No worker is running for queue "${queue}"${others}: start one with '${
    workerStartCommand(queue, otherQueues)
  }', or pass --wait-for-worker`;
}

/** The command that starts a worker for `queue`, given the queues the running workers serve. */
function workerStartCommand(queue: string, otherQueues: readonly string[]): string {
  return otherQueues.length === 0
    ? "queuectl worker start"
    : `queuectl worker start --queue ${queue}`;
}
