import { type BackoffPolicy, retryDelayMs } from "./backoff.ts";
import { formatDuration } from "./duration.ts";

/** How one attempt at running a job's command ended. */
export type AttemptResult =
  | { readonly kind: "exited"; readonly exitCode: number; readonly outputTail: string }
  | { readonly kind: "signaled"; readonly signal: string; readonly exitCode: number }
  | { readonly kind: "timed_out"; readonly timeoutMs: number }
  | { readonly kind: "start_failed"; readonly message: string }
  | { readonly kind: "worker_lost"; readonly workerPid: number | null };

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
): AttemptOutcome {
  if (result.kind === "exited" && result.exitCode === 0) {
    return { state: "completed", runAt: job.runAt, exitCode: 0, lastError: null };
  }
  const exitCode = result.kind === "exited" || result.kind === "signaled" ? result.exitCode : null;
  const lastError = describeFailure(result);
  if (job.attempts <= job.maxRetries) {
    return {
      state: "failed",
      runAt: now + retryDelayMs(job.attempts, backoff),
      exitCode,
      lastError,
    };
  }
  return { state: "dead", runAt: job.runAt, exitCode, lastError };
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
      text = `timed out after ${formatDuration(result.timeoutMs)}`;
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

function lastLine(output: string): string {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  return lines.at(-1) ?? "";
}
