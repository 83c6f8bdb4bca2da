import type { JobState } from "./job_state.ts";
import { toIso } from "./timestamp.ts";

/** A stored job. Times are epoch milliseconds; `timeoutMs` null means "the configured default". */
export interface Job {
  readonly id: string;
  readonly command: string;
  readonly cwd: string;
  readonly queue: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly maxRetries: number;
  readonly priority: number;
  readonly runAt: number;
  readonly timeoutMs: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly exitCode: number | null;
  readonly lastError: string | null;
  readonly worker: string | null;
}

/** A job about to be stored: validated, with every default resolved. */
export interface NewJob {
  /** null: the store assigns a generated id. */
  readonly id: string | null;
  readonly command: string;
  readonly cwd: string;
  readonly queue: string;
  readonly maxRetries: number;
  readonly priority: number;
  readonly runAt: number;
  readonly timeoutMs: number | null;
}

/** The JSON shape of a job in every `--json` output (documented in docs/json.md). */
export interface JobJson {
  id: string;
  command: string;
  state: JobState;
  attempts: number;
  max_retries: number;
  priority: number;
  run_at: string;
  timeout: number | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  last_error: string | null;
  worker: string | null;
  queue: string;
  cwd: string;
}

export function jobToJson(job: Job): JobJson {
  return {
    id: job.id,
    command: job.command,
    state: job.state,
    attempts: job.attempts,
    max_retries: job.maxRetries,
    priority: job.priority,
    run_at: toIso(job.runAt),
    timeout: job.timeoutMs === null ? null : job.timeoutMs / 1000,
    created_at: toIso(job.createdAt),
    updated_at: toIso(job.updatedAt),
    started_at: toIso(job.startedAt),
    finished_at: toIso(job.finishedAt),
    exit_code: job.exitCode,
    last_error: job.lastError,
    worker: job.worker,
    queue: job.queue,
    cwd: job.cwd,
  };
}
