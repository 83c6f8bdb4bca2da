import type { AttemptOutcome } from "../core/attempt_outcome.ts";
import type { Job, NewJob } from "../core/job.ts";
import type { JobState } from "../core/job_state.ts";

/** What a worker process is and does, as recorded for the others to see. */
export interface WorkerRecord {
  readonly id: number;
  readonly host: string;
  readonly pid: number;
  /** The process's start time as the OS reports it, to tell a live worker from a reused pid. */
  readonly procStart: string | null;
  readonly startedAt: number;
  readonly heartbeatAt: number;
  readonly queues: readonly string[] | null;
  readonly concurrency: number;
  readonly stopRequest: StopRequest;
  readonly wakeSocket: string | null;
  readonly currentJobs: readonly string[];
}

export type StopRequest = "none" | "graceful" | "now";

export interface NewWorker {
  readonly host: string;
  readonly pid: number;
  readonly procStart: string | null;
  readonly queues: readonly string[] | null;
  readonly concurrency: number;
  readonly wakeSocket: string | null;
}

export interface ClaimRequest {
  readonly worker: WorkerRecord;
  readonly now: number;
  readonly leaseMs: number;
}

/** Identifies one attempt of one job held by one worker: the fencing token for its updates. */
export interface AttemptRef {
  readonly jobId: string;
  readonly attempt: number;
  readonly workerId: number;
}

export interface ListFilter {
  readonly states?: readonly JobState[];
  readonly queue?: string;
  readonly limit: number;
}

export interface StatusCounts {
  readonly jobs: Readonly<Record<JobState, number>>;
  readonly oldestPendingCreatedAt: number | null;
  readonly recoveredTotal: number;
}

/** A job whose worker vanished: what recovery needs to clean up and fail the attempt. */
export interface LostAttempt extends AttemptRef {
  readonly job: Job;
  readonly workerHost: string | null;
  readonly workerPid: number | null;
  readonly pgid: number | null;
  readonly pgidStart: string | null;
}

/**
 * The one storage interface. Every method that changes state is one transaction; every time is
 * passed in (`now`), never read inside, so tests control the clock.
 */
export interface Store {
  readonly location: string;
  close(): void;

  readConfigValues(): Promise<Map<string, string>>;
  writeConfigValue(key: string, value: string): Promise<void>;

  enqueueJob(job: NewJob, now: number): Promise<Job>;
  /** Stores every job of the stream or none of them; returns how many were stored. */
  enqueueBatch(jobs: AsyncIterable<NewJob>, now: number): Promise<number>;
  getJob(id: string): Promise<Job | null>;
  listJobs(filter: ListFilter): Promise<Job[]>;
  statusCounts(): Promise<StatusCounts>;
  /** Moves dead jobs back to pending with attempts reset; all named ids or none. */
  reviveDeadJobs(ids: readonly string[] | "all", now: number): Promise<string[]>;

  registerWorker(worker: NewWorker, now: number): Promise<WorkerRecord>;
  unregisterWorker(workerId: number): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;
  getWorker(workerId: number): Promise<WorkerRecord | null>;
  /** The wake-up sockets of registered workers (to poke after making a job due). */
  listWakeSockets(): Promise<string[]>;
  /** Renews the worker's heartbeat and the leases of its jobs; null if its row is gone. */
  heartbeat(workerId: number, now: number, leaseMs: number): Promise<WorkerRecord | null>;
  requestStop(workerIds: readonly number[], request: StopRequest): Promise<void>;
  /** Removes dead workers' rows and expires their jobs' leases so they are recovered. */
  removeWorkers(workerIds: readonly number[], now: number): Promise<void>;

  claimNextJob(request: ClaimRequest): Promise<Job | null>;
  /** The earliest `run_at` among jobs waiting to be claimed, if any. */
  nextRunAt(queues: readonly string[] | null): Promise<number | null>;
  recordAttemptProcess(ref: AttemptRef, pgid: number, pgidStart: string | null): Promise<void>;
  /** Records an attempt's end; false if the attempt was fenced off (recovered meanwhile). */
  finishAttempt(ref: AttemptRef, outcome: AttemptOutcome, now: number): Promise<boolean>;
  /** Gives a running attempt back uncounted (worker stopped with --now). */
  requeueAttempt(ref: AttemptRef, now: number): Promise<boolean>;
  /** Processing jobs whose lease expired. */
  findLostAttempts(now: number): Promise<LostAttempt[]>;
  /** Fails a lost attempt unless it was finished or renewed meanwhile. */
  recoverLostAttempt(ref: AttemptRef, outcome: AttemptOutcome, now: number): Promise<boolean>;
}
