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
  };
}

/**
 * The human rendering of `worker list`: BUSY is running jobs of the worker's concurrency. STATUS
 * says `stale` first: a worker that sends no heartbeat does nothing, stopping or not.
 */
export function renderWorkerTable(
  workers: readonly LiveWorker[],
  now: number,
  width: number | null,
): string {
  return renderTable(
    ["PID", "STARTED", "HEARTBEAT", "QUEUES", "BUSY", "STATUS", "JOBS"],
    workers.map((worker) => [
      String(worker.pid),
      relativeTime(worker.startedAt, now),
      relativeTime(worker.heartbeatAt, now),
      worker.queues?.join(",") ?? "all",
      `${worker.currentJobs.length}/${worker.concurrency}`,
      worker.stale ? "stale" : worker.stopRequest === "none" ? "active" : "stopping",
      worker.currentJobs.length === 0 ? "-" : worker.currentJobs.join(","),
    ]),
    width,
    { shrink: ["JOBS"] },
  );
}
