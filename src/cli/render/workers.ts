import { toIso } from "../../core/timestamp.ts";
import type { LiveWorker } from "../../worker/live_workers.ts";
import { relativeTime } from "./relative_time.ts";
import { renderTable } from "./table.ts";

/** The JSON shape of a worker in `worker list --json` and `status --json`. */
export interface WorkerJson {
  id: number;
  pid: number;
  host: string;
  started_at: string;
  last_heartbeat_at: string;
  queues: readonly string[] | null;
  concurrency: number;
  current_jobs: readonly string[];
  stopping: boolean;
  stale: boolean;
  burst: boolean;
}

export function workerToJson(worker: LiveWorker): WorkerJson {
  return {
    id: worker.id,
    pid: worker.pid,
    host: worker.host,
    started_at: toIso(worker.startedAt),
    last_heartbeat_at: toIso(worker.heartbeatAt),
    queues: worker.queues,
    concurrency: worker.concurrency,
    current_jobs: worker.currentJobs,
    stopping: worker.stopRequest !== "none",
    stale: worker.stale,
    burst: worker.burst,
  };
}

/**
 * The line `status` prints about the workers. A stale one (no heartbeat for a whole lease: stopped
 * with SIGSTOP, or its machine suspended) is counted as running, since its process runs, and
 * named apart: it takes no jobs and its running ones are recovered by others.
 */
export function describeWorkers(workers: readonly LiveWorker[]): string {
  if (workers.length === 0) {
    return "Workers: none running (start some with 'queuectl worker start')";
  }
  const busy = workers.filter((worker) => worker.currentJobs.length > 0).length;
  const stale = workers.filter((worker) => worker.stale).length;
  const staleNote = stale === 0
    ? ""
    : `, ${stale} stale (no heartbeat for a lease; see 'queuectl worker list')`;
  return `Workers: ${workers.length} running, ${busy} busy${staleNote}`;
}

/**
 * The human rendering of `worker list`: BUSY is running jobs of the worker's concurrency. STATUS
 * says `stale` first: a worker that sends no heartbeat does nothing, stopping or not. An active
 * burst worker says so: it will exit by itself once its queues are drained. HOST appears when the
 * workers are on more than one (machine or PID namespace): a pid alone would not say which
 * process it is.
 */
export function renderWorkerTable(
  workers: readonly LiveWorker[],
  now: number,
  width: number | null,
): string {
  const showHost = new Set(workers.map((worker) => worker.host)).size > 1;
  return renderTable(
    [
      ...showHost ? ["HOST"] : [],
      "PID",
      "STARTED",
      "HEARTBEAT",
      "QUEUES",
      "BUSY",
      "STATUS",
      "JOBS",
    ],
    workers.map((worker) => [
      ...showHost ? [worker.host] : [],
      String(worker.pid),
      relativeTime(worker.startedAt, now),
      relativeTime(worker.heartbeatAt, now),
      worker.queues?.join(",") ?? "all",
      `${worker.currentJobs.length}/${worker.concurrency}`,
      workerStatus(worker),
      worker.currentJobs.length === 0 ? "-" : worker.currentJobs.join(","),
    ]),
    width,
    { shrink: ["JOBS"] },
  );
}

function workerStatus(worker: LiveWorker): string {
  if (worker.stale) return "stale";
  if (worker.stopRequest !== "none") return "stopping";
  return worker.burst ? "active (burst)" : "active";
}
