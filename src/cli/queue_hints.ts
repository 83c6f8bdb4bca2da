// What queuectl tells a user whose job cannot run yet, and the exact command that lets it run.
// Queue names need no shell quoting: they are letters, digits, '.', '_' and '-' only.
import type { QueueService } from "../core/queue_service.ts";

/** Whether a queue's jobs can run now: it is not paused and a running worker serves it. */
export interface QueueReadiness {
  readonly paused: boolean;
  /** How the running workers serve it (queueService); null: no worker runs. */
  readonly service: QueueService | null;
  /** The queues that the running workers serve when none serves this one. */
  readonly otherQueues: readonly string[];
}

/**
 * Why `run` refuses a queue, or null when its job can run. With no worker at all, or every one
 * stopping, a plain `worker start` serves every queue; with workers for other queues only, one
 * for this queue: a plain one would also take jobs from the queues that have workers of their
 * own.
 */
export function runRefusal(queue: string, readiness: QueueReadiness): string | null {
  const { paused, service, otherQueues } = readiness;
  if (!paused && service === "served") return null;
  const others = otherQueues.length === 0 ? "" : `, only for ${otherQueues.join(", ")}`;
  const start = `start one with '${workerStartCommand(queue, otherQueues.length > 0)}'`;
  const resume = `resume it with '${resumeCommand(queue)}'`;
  const unserved = service === "stopping"
    ? "every running worker is stopping"
    : `no worker is running for ${paused ? "it" : `queue "${queue}"`}${others}`;
  const [problem, fix] = !paused
    ? [`${unserved[0]!.toUpperCase()}${unserved.slice(1)}`, start]
    : service === "served"
    ? [`Queue "${queue}" is paused`, resume]
    : [`Queue "${queue}" is paused and ${unserved}`, `${resume} and ${start}`];
  return `${problem}: ${fix}, or pass --wait-for-worker`;
}

/** The note on a paused queue: `subject` ("the job runs") is what waits for its resume. */
export function pausedQueueNote(queue: string, subject: string): string {
  return `queue "${queue}" is paused: ${subject} after '${resumeCommand(queue)}'`;
}

/**
 * The note on a queue that no running worker serves while workers for other queues run;
 * `subject` ("the job runs") is what waits for a worker.
 */
function unservedQueueNote(queue: string, subject: string): string {
  return `no running worker serves queue "${queue}": ${subject} after '${
    workerStartCommand(queue, true)
  }'`;
}

/**
 * The note on a queue whose enqueue found workers registered but not serving it (`service`,
 * from Store.queueService), or null when one serves it. Every worker stopping (after `worker
 * stop`, finishing its jobs) takes no new job: a plain `worker start` serves every queue.
 */
export function enqueuedQueueNote(
  queue: string,
  service: QueueService | null,
  subject: string,
): string | null {
  if (service === "other_queues") return unservedQueueNote(queue, subject);
  if (service === "stopping") {
    return `every running worker is stopping: ${subject} after '${PLAIN_WORKER_START}'`;
  }
  return null;
}

/**
 * The note on a queue whose jobs a command waits for (`run --wait-for-worker`, `wait`, `retry`)
 * while no running worker takes them, or null when one does. Unlike enqueueing, waiting with no
 * worker at all is worth a note: nothing will end the wait but a worker start.
 */
export function waitingForWorkerNote(
  queue: string,
  service: QueueService | null,
  subject: string,
): string | null {
  return service === null
    ? `no worker is running: ${subject} after '${PLAIN_WORKER_START}'`
    : enqueuedQueueNote(queue, service, subject);
}

/** The subject of a note on `held` of `total` jobs: "the job runs", "2 of the 5 jobs run". */
export function heldJobsSubject(held: number, total: number): string {
  if (held === total) return held === 1 ? "the job runs" : "the jobs run";
  return `${held} of the ${total} jobs ${held === 1 ? "runs" : "run"}`;
}

function resumeCommand(queue: string): string {
  return `queuectl queue resume ${queue}`;
}

/** The command that starts a worker for `queue`, given whether workers for other queues run. */
function workerStartCommand(queue: string, othersRun: boolean): string {
  return othersRun ? `queuectl worker start --queue ${queue}` : PLAIN_WORKER_START;
}

const PLAIN_WORKER_START = "queuectl worker start";
