import type { Job } from "../../core/job.ts";
import type { JobState } from "../../core/job_state.ts";
import type { StopRequest, WorkerRecord } from "../store.ts";

export interface JobRow {
  id: string;
  command: string;
  cwd: string;
  queue: string;
  state: string;
  attempts: number;
  max_retries: number;
  priority: number;
  run_at: number;
  timeout_ms: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  exit_code: number | null;
  last_error: string | null;
  worker_host: string | null;
  worker_pid: number | null;
  unique_key: string | null;
  env: string | null;
  retry_on: string | null;
  no_retry_on: string | null;
  /** JSON array of the ids given with --after; null when none. */
  after_ids: string | null;
}

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    command: row.command,
    cwd: row.cwd,
    queue: row.queue,
    state: row.state as JobState,
    attempts: row.attempts,
    maxRetries: row.max_retries,
    priority: row.priority,
    runAt: row.run_at,
    timeoutMs: row.timeout_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    exitCode: row.exit_code,
    lastError: row.last_error,
    worker: row.worker_pid === null ? null : `${row.worker_host}:${row.worker_pid}`,
    uniqueKey: row.unique_key,
    env: row.env === null ? {} : JSON.parse(row.env),
    retryOn: row.retry_on === null ? null : JSON.parse(row.retry_on),
    noRetryOn: row.no_retry_on === null ? null : JSON.parse(row.no_retry_on),
    after: row.after_ids === null ? [] : JSON.parse(row.after_ids),
  };
}

export interface WorkerRow {
  id: number;
  host: string;
  pid: number;
  proc_start: string | null;
  started_at: number;
  heartbeat_at: number;
  queues: string | null;
  concurrency: number;
  stop_request: number;
  wake_socket: string | null;
  burst: number;
  current_jobs: string | null;
}

const STOP_REQUESTS: readonly StopRequest[] = ["none", "graceful", "now"];

export function stopRequestCode(request: StopRequest): number {
  return STOP_REQUESTS.indexOf(request);
}

export function workerFromRow(row: WorkerRow): WorkerRecord {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    procStart: row.proc_start,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    queues: row.queues === null ? null : row.queues.split(","),
    concurrency: row.concurrency,
    stopRequest: STOP_REQUESTS[row.stop_request] ?? "none",
    wakeSocket: row.wake_socket,
    burst: row.burst === 1,
    currentJobs: row.current_jobs ? row.current_jobs.split("\n") : [],
  };
}
