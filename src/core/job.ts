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
  /** A job with the same key that is not terminal blocks new ones with the key. */
  readonly uniqueKey: string | null;
  /** Variables set for the command, on top of the worker's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly retryOn: readonly number[] | null;
  readonly noRetryOn: readonly number[] | null;
  /** Ids of the jobs that must complete first (empty when not read with the job). */
  readonly after: readonly string[];
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
  readonly uniqueKey: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly retryOn: readonly number[] | null;
  readonly noRetryOn: readonly number[] | null;
  readonly after: readonly string[];
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
  after: readonly string[];
  unique_key: string | null;
  env: Readonly<Record<string, string>>;
  retry_on: readonly number[] | null;
  no_retry_on: readonly number[] | null;
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
    after: job.after,
    unique_key: job.uniqueKey,
    env: job.env,
    retry_on: job.retryOn,
    no_retry_on: job.noRetryOn,
  };
}
