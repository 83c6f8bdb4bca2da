import { type BackoffPolicy, retryDelayMs } from "./backoff.ts";
import { formatDuration } from "./duration.ts";

/** How one attempt at running a job's command ended. */
export type AttemptResult =
  | { readonly kind: "exited"; readonly exitCode: number; readonly outputTail: string }
  | { readonly kind: "signaled"; readonly signal: string; readonly exitCode: number }
  | { readonly kind: "timed_out"; readonly timeoutMs: number }
  | { readonly kind: "start_failed"; readonly message: string }
  | { readonly kind: "worker_lost"; readonly workerPid: number | null };

/**
 * Which exit codes are worth a retry: with `retryOn`, only those; codes in `noRetryOn` never.
 * A timeout counts as exit code 124 (as with timeout(1)). A command that could not start and
 * a lost worker are always retried.
 */
export interface RetryPolicy {
  readonly retryOn: readonly number[] | null;
  readonly noRetryOn: readonly number[] | null;
}

export const RETRY_ANY: RetryPolicy = { retryOn: null, noRetryOn: null };

export const TIMEOUT_EXIT_CODE = 124;

/** How `last_error` begins for an attempt its timeout ended. */
const TIMED_OUT = "timed out after ";

/** What the job becomes after an attempt. */
export interface AttemptOutcome {
  readonly state: "completed" | "failed" | "dead";
  /** When the retry may run (the unchanged time for completed and dead jobs). */
  readonly runAt: number;
  readonly exitCode: number | null;
  readonly lastError: string | null;
}

const MAX_ERROR_LENGTH = 300;

/**
 * Decides the job's next state after attempt number `attempts` (already counted at claim).
 * A failed attempt is retried while `attempts <= maxRetries`, after the backoff delay;
 * otherwise the job is dead. `maxRetries = 0` means dead after the first failure.
 */
export function decideAttemptOutcome(
  job: { readonly attempts: number; readonly maxRetries: number; readonly runAt: number },
  result: AttemptResult,
  backoff: BackoffPolicy,
  now: number,
  policy: RetryPolicy = RETRY_ANY,
): AttemptOutcome {
  if (result.kind === "exited" && result.exitCode === 0) {
    return { state: "completed", runAt: job.runAt, exitCode: 0, lastError: null };
  }
  const exitCode = result.kind === "exited" || result.kind === "signaled" ? result.exitCode : null;
  const lastError = describeFailure(result);
  if (job.attempts <= job.maxRetries && isRetryable(result, policy)) {
    return {
      state: "failed",
      runAt: now + retryDelayMs(job.attempts, backoff),
      exitCode,
      lastError,
    };
  }
  return { state: "dead", runAt: job.runAt, exitCode, lastError };
}

function isRetryable(result: AttemptResult, policy: RetryPolicy): boolean {
  let code: number;
  if (result.kind === "exited" || result.kind === "signaled") code = result.exitCode;
  else if (result.kind === "timed_out") code = TIMEOUT_EXIT_CODE;
  else return true;
  if (policy.retryOn !== null && !policy.retryOn.includes(code)) return false;
  return policy.noRetryOn === null || !policy.noRetryOn.includes(code);
}

/** The one-line `last_error` of a failed attempt. */
export function describeFailure(result: AttemptResult): string {
  let text: string;
  switch (result.kind) {
    case "exited": {
      const tail = lastLine(result.outputTail);
      text = `exited with code ${result.exitCode}${tail ? `: ${tail}` : ""}`;
      break;
    }
    case "signaled":
      text = `killed by ${result.signal}`;
      break;
    case "timed_out":
      text = `${TIMED_OUT}${formatDuration(result.timeoutMs)}`;
      break;
    case "start_failed":
      text = `could not start: ${result.message}`;
      break;
    case "worker_lost":
      text = result.workerPid === null ? "worker lost" : `worker lost (pid ${result.workerPid})`;
      break;
  }
  text = text.replace(/\s*[\r\n]+\s*/g, " ");
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 3)}...` : text;
}

/**
 * Whether a job's latest finished attempt was ended by its timeout. Its exit code is not recorded
 * (null), so `last_error` tells: no other failure leaves a null exit code with that beginning (a
 * command's own output follows "exited with code n: ").
 */
export function timedOut(
  job: { readonly exitCode: number | null; readonly lastError: string | null },
): boolean {
  return job.exitCode === null && job.lastError !== null && job.lastError.startsWith(TIMED_OUT);
}

function lastLine(output: string): string {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  return lines.at(-1) ?? "";
}
