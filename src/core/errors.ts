/**
 * Errors as typed values. Every error a user can cause carries a one-line, user-facing message
 * and the exit status the CLI maps it to; anything else reaching the top is a bug.
 */
export abstract class QueuectlError extends Error {
  abstract readonly exitCode: number;
}

/** The caller asked for something malformed or invalid: exit 2, nothing written. */
export class UsageError extends QueuectlError {
  readonly exitCode = 2;
  override name = "UsageError";
}

/** A well-formed request that cannot be carried out now (unknown job, wrong state): exit 1. */
export class OperationalError extends QueuectlError {
  readonly exitCode = 1;
  override name = "OperationalError";
}

/** A job id that names no job; `outcome` follows it in the message. */
export class JobNotFoundError extends OperationalError {
  override name = "JobNotFoundError";
  constructor(readonly jobId: string, outcome = "see 'queuectl list' for the ids") {
    super(`No job with id ${quoteValue(jobId)}: ${outcome}`);
  }
}

/** A job to run after one that does not exist. */
export class UnknownDependencyError extends UsageError {
  override name = "UnknownDependencyError";
  constructor(readonly jobId: string) {
    super(`Unknown job ${quoteValue(jobId)} in after: a job can only run after jobs that exist`);
  }
}

/** A job of a batch that the store refused (an id taken, an unknown dependency): nothing stored. */
export class RejectedJobError extends UsageError {
  override name = "RejectedJobError";
  /** The job's position in the batch's stream, from 0. */
  readonly index: number;

  constructor(index: number, cause: UsageError) {
    super(cause.message);
    this.index = index;
  }
}

/** A job that exists, but without the attempt asked for (`logs --attempt`): as an unknown id. */
export class NoSuchAttemptError extends OperationalError {
  override name = "NoSuchAttemptError";
  constructor(readonly jobId: string, readonly attempt: number, why: string) {
    super(`Job ${jobId} has no attempt ${attempt}: ${why}`);
  }
}

/** The characters of a user-given value that an error message quotes before cutting it. */
const QUOTED_VALUE_MAX = 60;

/**
 * A user-given value as an error message quotes it: whole up to 60 characters, else its first 60
 * followed by "..." and its length, so that a 100 KB value does not make a 100 KB error line.
 */
export function quoteValue(text: string): string {
  return quoteCut(text, (shown) => `"${shown}"`);
}

/** As `quoteValue`, in JSON's quotes and escapes: for a value that may hold control characters. */
export function quoteJsonValue(text: string): string {
  return quoteCut(text, (shown) => JSON.stringify(shown));
}

function quoteCut(text: string, quote: (shown: string) => string): string {
  if (text.length <= QUOTED_VALUE_MAX) return quote(text);
  // Not between the two halves of a surrogate pair: a lone half is no character.
  const last = text.charCodeAt(QUOTED_VALUE_MAX - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? QUOTED_VALUE_MAX - 1 : QUOTED_VALUE_MAX;
  return `${quote(`${text.slice(0, end)}...`)} (${text.length} characters)`;
}
