import { OperationalError } from "./errors.ts";

/**
 * The job state machine (drawn in docs/state_machine.md).
 *
 * - `pending`: waiting to be claimed (possibly scheduled for later by `run_at`).
 * - `processing`: claimed by a worker that holds a lease on it and runs its command.
 * - `completed`: the command exited 0. Terminal.
 * - `failed`: an attempt failed and a retry is scheduled at `run_at` (`retry` brings it to now).
 * - `dead`: the last allowed attempt failed; the job sits in the dead-letter queue until
 *   `dlq retry` revives it.
 * - `cancelled`: cancelled by the user, or because a job it depends on ended dead or
 *   cancelled. Terminal, but for a job cancelled because of a death: `dlq retry` of the dead
 *   job revives it too.
 */
export const JOB_STATES = [
  "pending",
  "processing",
  "completed",
  "failed",
  "dead",
  "cancelled",
] as const;
export type JobState = typeof JOB_STATES[number];

/** A count of no jobs in every state. */
export function zeroStateCounts(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
}

/** What can happen to a job. */
export type JobEvent =
  | "claim" // a worker takes the job
  | "succeed" // the command exited 0
  | "fail_retry" // an attempt failed (or its worker was lost) and retries remain
  | "fail_final" // an attempt failed and no retry remains
  | "requeue" // a worker was stopped with --now: the attempt is given back uncounted
  | "retry_now" // `retry`: a failed job's retry is due now instead of after its backoff
  | "revive" // `dlq retry`
  | "revive_dependent" // `dlq retry` of the job whose death cancelled this one
  | "cancel"; // `cancel`, or a dependency ended dead or cancelled

export const TRANSITIONS: Readonly<
  Record<JobEvent, { readonly from: readonly JobState[]; readonly to: JobState }>
> = {
  claim: { from: ["pending", "failed"], to: "processing" },
  succeed: { from: ["processing"], to: "completed" },
  fail_retry: { from: ["processing"], to: "failed" },
  fail_final: { from: ["processing"], to: "dead" },
  requeue: { from: ["processing"], to: "pending" },
  retry_now: { from: ["failed"], to: "failed" },
  revive: { from: ["dead"], to: "pending" },
  revive_dependent: { from: ["cancelled"], to: "pending" },
  cancel: { from: ["pending", "failed", "processing"], to: "cancelled" },
};

/** States a job never leaves on its own. */
export const TERMINAL_STATES: readonly JobState[] = ["completed", "dead", "cancelled"];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

export class InvalidTransitionError extends OperationalError {
  override name = "InvalidTransitionError";
}

/** Applies an event to a state: the next state, or an error if the event is not allowed. */
export function applyJobEvent(from: JobState, event: JobEvent): JobState {
  const transition = TRANSITIONS[event];
  if (!transition.from.includes(from)) {
    throw new InvalidTransitionError(`A ${from} job cannot ${event.replace("_", " ")}`);
  }
  return transition.to;
}
