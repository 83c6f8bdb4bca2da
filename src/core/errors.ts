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
    super(`No job with id "${jobId}": ${outcome}`);
  }
}

/** A job to run after one that does not exist. */
export class UnknownDependencyError extends UsageError {
  override name = "UnknownDependencyError";
  constructor(readonly jobId: string) {
    super(`Unknown job "${jobId}" in after: a job can only run after jobs that exist`);
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
