import type { AttemptOutcome } from "../core/attempt_outcome.ts";
import type { Job, NewJob } from "../core/job.ts";
import type { JobState } from "../core/job_state.ts";
import type { QueueService } from "../core/queue_service.ts";

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
  /** Runs with `--burst`: stops once its queues hold nothing it could run. */
  readonly burst: boolean;
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
  readonly burst: boolean;
}

/**
 * Until when (ms) a worker holds an attempt: by the wall clock, which every host compares, and by
 * the worker host's CLOCK_MONOTONIC where its OS gives it (null otherwise), which neither a
 * suspend nor a step of the wall clock moves. Recovery on the worker's own host asks both
 * (recovery.ts).
 */
export interface Lease {
  readonly expiresAt: number;
  readonly expiresAtMonotonic: number | null;
}

export interface ClaimRequest {
  readonly worker: WorkerRecord;
  readonly now: number;
  readonly lease: Lease;
}

/** Identifies one attempt of one job held by one worker: the fencing token for its updates. */
export interface AttemptRef {
  readonly jobId: string;
  readonly attempt: number;
  readonly workerId: number;
}

export interface EnqueueResult {
  readonly job: Job;
  /** True when a live job with the same unique key existed: nothing new was stored. */
  readonly existing: boolean;
  /** Whether the job's queue is paused, as of the same transaction. */
  readonly queuePaused: boolean;
}

export interface BatchResult {
  readonly enqueued: number;
  /** Jobs skipped because a live job had their unique key. */
  readonly duplicates: number;
  /** By queue, the jobs stored that wait to run: not those cancelled at once by a dependency. */
  readonly waitingPerQueue: ReadonlyMap<string, number>;
}

/**
 * A job that `cancelJobs` cancelled; a running one names its attempt and the process group to
 * kill, if its worker recorded one.
 */
export interface CancelledJob {
  readonly id: string;
  readonly previousState: JobState;
  /**
   * null for a selected job; for a dependent, the first selected job (named ones in the order
   * given, else in the order enqueued) that it runs after, directly or through others.
   */
  readonly dependentOf: string | null;
  /** The attempt that was running; null for a job that was not. */
  readonly attempt: number | null;
  readonly pgid: number | null;
  /** The start time recorded with `pgid`, which tells its process from a later one's. */
  readonly pgidStart: string | null;
  readonly workerHost: string | null;
  /** The worker that ran the attempt: the one to ask, when no signal from here reaches it. */
  readonly workerId: number | null;
}

/** A job named to `cancelJobs` that had ended already, and how. */
export interface EndedJob {
  readonly id: string;
  readonly state: JobState;
}

export interface CancelResult {
  /**
   * The selected jobs that were cancelled (named ones in the order given, else in the order
   * enqueued), then their dependents in the order enqueued.
   */
  readonly cancelled: CancelledJob[];
  /** The named jobs that had ended already (completed, dead, cancelled), in the order given. */
  readonly alreadyEnded: EndedJob[];
  /**
   * The wake sockets of the burst workers, read in the same transaction, when a job was
   * cancelled: one may wait for that job, or for a chain the cancel ended, to tell whether its
   * queues are drained.
   */
  readonly burstWakeSockets: readonly string[];
}

/** Jobs to act on: the ones named, every one of the state acted on, or every one of some queues. */
export type JobSelection = readonly string[] | "all" | { readonly queues: readonly string[] };

/** The dead jobs to revive. */
export type DeadJobSelection = JobSelection;

/** The failed jobs to make due now. */
export type FailedJobSelection = JobSelection;

export interface RetriedJobs {
  /** The failed jobs made due now, in the order enqueued. */
  readonly retried: Job[];
  /**
   * Named jobs whose retry is underway or over (running or completed, claimed since the caller
   * saw them failed), left as they are: what `retry` asks for has happened.
   */
  readonly underway: EndedJob[];
}

export interface RevivedJobs {
  /** The ids moved back to pending. */
  readonly revived: string[];
  /** Dead jobs left dead because their unique key is held (only when not naming ids). */
  readonly skipped: KeyHeldJob[];
  /**
   * The jobs cancelled because one of the revived ones ended dead (directly or through others),
   * moved back to pending with them to wait for their dependencies again, in the order enqueued.
   */
  readonly dependents: string[];
  /** Such jobs left cancelled because their unique key is held (only when not naming ids). */
  readonly skippedDependents: KeyHeldJob[];
  /**
   * Such jobs left cancelled because another of their dependencies has ended dead or cancelled,
   * with the reason they now give (`dependency d ended dead`), in the order enqueued.
   */
  readonly leftCancelled: CancelledForDependency[];
}

/** A job that stays cancelled for a dependency's end, and the reason it gives. */
export interface CancelledForDependency {
  readonly id: string;
  readonly reason: string;
}

/** A dead job, or its cancelled dependent, that cannot go back to pending: its key is held. */
export interface KeyHeldJob {
  readonly id: string;
  readonly uniqueKey: string;
  /** The unfinished job that holds the key, or the one revived with it. */
  readonly heldBy: string;
}

export interface QueueSummary {
  readonly name: string;
  readonly paused: boolean;
  readonly concurrency: number | null;
  readonly jobs: Readonly<Record<JobState, number>>;
  /**
   * The running jobs that `cancel` cancelled whose commands may still run: each holds a slot,
   * counted against the limit beside the processing jobs, as the claim counts it.
   */
  readonly heldSlots: number;
}

/** A queue's own settings: a queue without stored settings has the defaults. */
export interface QueueSettings {
  readonly paused: boolean;
  /** null: no limit. */
  readonly concurrency: number | null;
}

export interface QueueChange {
  readonly paused?: boolean;
  /** null removes the limit. */
  readonly concurrency?: number | null;
}

/** The jobs a prune deletes: of these states, ended before a time. */
export interface PruneSelection {
  readonly states: readonly JobState[];
  readonly finishedBefore: number;
  /**
   * The time now: a job cancelled while running whose command may still run (it holds its
   * queue's slot until then, or until its lease runs out) has not ended yet, and stays.
   */
  readonly now: number;
}

export interface PruneFilter extends PruneSelection {
  readonly limit: number;
}

export interface FinishResult {
  /** False when the attempt was fenced off: nothing was changed. */
  readonly recorded: boolean;
  /** Jobs that waited only for this one and may now be claimed. */
  readonly unblocked: number;
  /**
   * Whether the attempt freed a slot of a queue with a concurrency limit that a due job of that
   * queue can take now, the claim made alongside (if any) having not taken it back: a worker
   * idle with that job in reach learns of it only through a wake-up.
   */
  readonly freedSlotClaimable: boolean;
  /**
   * The wake sockets of the burst workers other than this attempt's, read in the same
   * transaction: one may wait for this job's end to tell whether its queues are drained.
   */
  readonly burstWakeSockets: readonly string[];
}

export interface FinishAndClaimResult extends FinishResult {
  /** The job claimed in the same transaction, if one was due (and a claim was asked for). */
  readonly next: Job | null;
}

export interface ListFilter {
  readonly states?: readonly JobState[];
  readonly queues?: readonly string[];
  readonly limit: number;
}

/** A due job that waits for a worker: since `dueAt`, the later of its enqueue and its run_at. */
export interface WaitingJob {
  readonly createdAt: number;
  readonly dueAt: number;
}

export interface StatusCounts {
  readonly jobs: Readonly<Record<JobState, number>>;
  /** The due job that has waited longest for a worker; null when no job is due. */
  readonly longestWaiting: WaitingJob | null;
  readonly recoveredTotal: number;
}

/** A job whose worker vanished: what recovery needs to clean up and fail the attempt. */
export interface LostAttempt extends AttemptRef {
  readonly job: Job;
  readonly workerHost: string | null;
  readonly workerPid: number | null;
  readonly pgid: number | null;
  readonly pgidStart: string | null;
  /** The lease by the worker host's monotonic clock; null once its worker's row is gone. */
  readonly leaseExpiresAtMonotonic: number | null;
}

export type { QueueService } from "../core/queue_service.ts";

/**
 * Removes any log left under the ids of jobs just stored, each id given by the enqueuer, by an
 * earlier job of that id (one whose removal failed when it was pruned). Called inside the
 * enqueue's transaction: until it commits no worker sees the job, so no live log is removed,
 * and a throw stores nothing. Generated ids are never passed: no earlier job had them.
 */
export type RemoveLogs = (ids: readonly string[]) => void;

/**
 * The one storage interface. Every method that changes state is one transaction; every time is
 * passed in (`now`), never read inside, so tests control the clock.
 */
export interface Store {
  readonly location: string;
  /**
   * A file that every commit writes, for a waiting command to watch (SQLite's write-ahead log),
   * or null when there is none. Never a file the database holds locks on: a watcher may open and
   * close what it watches (Deno's does), and POSIX drops every lock a process holds on a file
   * when it closes any descriptor of it.
   */
  readonly commitFile: string | null;
  close(): void;
  /**
   * For a process about to exit: closes, or leaves to the OS what closing would only spend
   * time on. Nothing may use the store afterwards.
   */
  closeBeforeExit(): void;

  readConfigValues(): Promise<Map<string, string>>;
  writeConfigValue(key: string, value: string): Promise<void>;

  /**
   * Stores a job; with a unique key held by a live job, returns that one instead. A job after
   * a dead or cancelled dependency is stored cancelled. Unknown dependencies are refused.
   * `removeLogs` is called with the id of a job stored with an id of the caller's inside the
   * transaction, before its commit (see RemoveLogs).
   */
  enqueueJob(job: NewJob, now: number, removeLogs?: RemoveLogs): Promise<EnqueueResult>;
  /**
   * Stores every job of the stream (given in arrays, to be inserted together) or none of them,
   * as enqueueJob would one by one. A job refused throws a RejectedJobError naming it.
   * `onStored` gets each array's ids, in order: the job's, or for a job skipped, the id of the
   * unfinished job holding its unique key (what enqueueJob returns). It is called inside the
   * transaction: the ids are the stored jobs' only once the returned promise resolves.
   * `removeLogs` gets each array's jobs stored with ids of the caller's, as for enqueueJob.
   */
  enqueueBatch(
    batches: AsyncIterable<readonly NewJob[]>,
    now: number,
    onStored?: (ids: readonly string[]) => void,
    removeLogs?: RemoveLogs,
  ): Promise<BatchResult>;
  getJob(id: string): Promise<Job | null>;
  /**
   * Of `ids`, the jobs that exist, by id; an id of no job is left out. One statement however
   * many ids, read at one moment: what a `wait` for thousands of jobs asks at its start.
   */
  getJobs(ids: readonly string[]): Promise<Map<string, Job>>;
  listJobs(filter: ListFilter): Promise<Job[]>;
  /**
   * The jobs that have not ended (pending, processing, failed awaiting a retry) of `queues`
   * (null: of every queue), in the order enqueued, read at one moment: what `wait --queue`
   * waits for.
   */
  unfinishedJobs(queues: readonly string[] | null): Promise<Job[]>;
  /**
   * Of `ids`, the jobs that have ended (completed, dead, cancelled), and null for those that no
   * longer exist (pruned); the others are left out. One statement however many ids: what a
   * `wait` for thousands of jobs asks at each look.
   */
  endedJobs(ids: readonly string[]): Promise<Map<string, Job | null>>;
  /**
   * Jobs by state, and the due job that has waited longest for a worker at `now`: of the jobs a
   * claim could take but for their queue (pending, or failed with the retry due, with no pending
   * dependency and `run_at <= now`), the one due first, due meaning max(created_at, run_at). A
   * paused queue or a queue's limit does not exclude a job: they are why it waits.
   */
  statusCounts(now: number): Promise<StatusCounts>;
  /**
   * Moves dead jobs back to pending with attempts reset; all named ids or none. A job whose
   * unique key an unfinished job holds (or another job revived with it) is refused when named,
   * and skipped by "all" (or `queues`): of dead jobs sharing a free key, it revives the oldest.
   * With each revived job go the jobs its death cancelled, when none of their dependencies is
   * still dead or cancelled (one that is names it as their cause instead); the same rule of held
   * keys applies to them.
   */
  reviveDeadJobs(selection: DeadJobSelection, now: number): Promise<RevivedJobs>;
  /**
   * Makes failed jobs due now: `run_at` becomes `now` (or stays, when earlier), their attempts
   * and retries left unchanged, in one transaction; all named ids or none. A named job running
   * or completed is left as it is and returned as underway; a named id of no job throws
   * JobNotFoundError, one of a job in another state a UsageError naming its state.
   */
  retryFailedJobs(selection: FailedJobSelection, now: number): Promise<RetriedJobs>;
  /**
   * Cancels the selected jobs that have not ended (pending, failed, processing; of every queue,
   * or of some, paused or not, when not named), and their dependents whatever their queue, in one
   * transaction; named ones that have ended are returned as such, unchanged. An unknown id
   * cancels nothing (JobNotFoundError). A running job keeps its slot of a limited queue while its
   * command may still run: until releaseCancelledSlots or the end of its lease, which lasts at
   * least `holdMs` from now (the time its killer may take), also when its worker's had ended.
   */
  cancelJobs(selection: JobSelection, now: number, holdMs?: number): Promise<CancelResult>;
  /**
   * Frees the queue slots of cancelled attempts whose commands are gone (killed by the cancel).
   * Returns whether a slot freed in a limited queue can be taken by a due job.
   */
  releaseCancelledSlots(
    attempts: readonly { jobId: string; attempt: number }[],
    now: number,
  ): Promise<boolean>;
  /**
   * Deletes up to `limit` terminal jobs finished before a time, but none whose cancelled command
   * may still run; returns their ids.
   * `removeLogs` is called with them inside the transaction, before its commit.
   */
  pruneJobs(filter: PruneFilter, removeLogs: (ids: readonly string[]) => void): Promise<string[]>;
  /** Every queue that has jobs, or settings, by name; its held slots as of `now`. */
  listQueues(now: number): Promise<QueueSummary[]>;
  /** The names of the paused queues, sorted. */
  pausedQueues(): Promise<string[]>;
  /**
   * Changes a queue's settings. A queue whose settings are all at their defaults (not paused,
   * no limit) has none stored: without jobs, it is not listed. Returns the settings it had
   * before, so that a change that changes nothing can be told apart.
   */
  configureQueue(name: string, change: QueueChange): Promise<QueueSettings>;
  /** A number that changes whenever another connection commits (cheap to poll). */
  dataVersion(): Promise<number>;

  registerWorker(worker: NewWorker, now: number): Promise<WorkerRecord>;
  unregisterWorker(workerId: number): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;
  /**
   * How the registered workers serve the queue; null when none is registered. A worker that
   * died unseen counts until its row is pruned (listLiveWorkers).
   */
  queueService(queue: string): Promise<QueueService | null>;
  getWorker(workerId: number): Promise<WorkerRecord | null>;
  /** The wake-up sockets of registered workers (to poke after making a job due). */
  listWakeSockets(): Promise<string[]>;
  /**
   * Renews the worker's heartbeat and the leases of the attempts it is running (`running`);
   * null if its row is gone. Another job naming this worker (an attempt the process no longer
   * knows of) is left to expire and be recovered.
   */
  heartbeat(
    workerId: number,
    running: readonly AttemptRef[],
    now: number,
    lease: Lease,
  ): Promise<WorkerRecord | null>;
  /**
   * Raises the workers' stop requests to `request` (never lowers one); resolves with the ids of
   * those whose request it raised, so that of two stops at once only one asks each worker first.
   */
  requestStop(workerIds: readonly number[], request: StopRequest): Promise<number[]>;
  /** Removes dead workers' rows and expires their jobs' leases so they are recovered. */
  removeWorkers(workerIds: readonly number[], now: number): Promise<void>;

  claimNextJob(request: ClaimRequest): Promise<Job | null>;
  /**
   * When the next job comes due that a claim could take then: the earliest `run_at` after `now`
   * of a waiting job with no pending dependency, in a queue that is not paused. A job already
   * due that no claim could take (paused, waiting for a dependency, over its queue's limit)
   * becomes claimable only through a commit (resume, completion), which wakes idle workers.
   */
  nextRunAt(queues: readonly string[] | null, now: number): Promise<number | null>;
  /**
   * Whether a worker serving `queues` (null: every queue) may still get a job to run without
   * anyone acting, as a burst worker asks before it exits. In one of those queues that is not
   * paused: a job pending or failed awaiting its retry, due or not (a queue's concurrency limit
   * frees up by itself); a job running (it may be retried, or given back); a job waiting for a
   * dependency that, directly or through others, is running, or waits in a queue that is not
   * paused and that a worker not stopping serves. A paused queue's jobs wait for its resume.
   */
  workRemains(queues: readonly string[] | null): Promise<boolean>;
  /**
   * Renews one attempt's lease; false, with nothing written, if the attempt was cancelled or
   * recovered meanwhile.
   */
  renewAttemptLease(ref: AttemptRef, lease: Lease): Promise<boolean>;
  /** Records the attempt's process group; false if the attempt was cancelled or recovered. */
  recordAttemptProcess(ref: AttemptRef, pgid: number, pgidStart: string | null): Promise<boolean>;
  /**
   * recordAttemptProcess without waiting for the database's write lock: null, with nothing
   * written, when another connection holds it.
   */
  tryRecordAttemptProcess(
    ref: AttemptRef,
    pgid: number,
    pgidStart: string | null,
  ): Promise<boolean | null>;
  /** Records an attempt's end, unless it was fenced off (cancelled or recovered meanwhile). */
  finishAttempt(ref: AttemptRef, outcome: AttemptOutcome, now: number): Promise<FinishResult>;
  /**
   * finishAttempt, then with a request the worker's next claim, in one transaction: a worker
   * that goes straight on to its next job commits (and syncs) once per job, not twice.
   */
  finishAttemptAndClaim(
    ref: AttemptRef,
    outcome: AttemptOutcome,
    now: number,
    claim: ClaimRequest | null,
  ): Promise<FinishAndClaimResult>;
  /** Gives a running attempt back uncounted (worker stopped with --now). */
  requeueAttempt(ref: AttemptRef, now: number): Promise<boolean>;
  /** Processing jobs whose lease expired. */
  findLostAttempts(now: number): Promise<LostAttempt[]>;
  /** Fails a lost attempt unless it was finished or renewed meanwhile. */
  recoverLostAttempt(ref: AttemptRef, outcome: AttemptOutcome, now: number): Promise<boolean>;
}

/**
 * The part of the Store that acts only on what a database holds already: reads, and changes to
 * rows that exist (removing lost workers' rows, asking workers to stop, pruning jobs, making
 * failed jobs due). A data
 * directory without a database answers it as an empty database does (`EmptyStore`), so a command
 * that needs no more than this creates nothing.
 */
export type ExistingDataStore = Pick<
  Store,
  | "location"
  | "commitFile"
  | "readConfigValues"
  | "getJob"
  | "getJobs"
  | "listJobs"
  | "unfinishedJobs"
  | "endedJobs"
  | "statusCounts"
  | "listQueues"
  | "pausedQueues"
  | "workRemains"
  | "dataVersion"
  | "listWorkers"
  | "removeWorkers"
  | "requestStop"
  | "pruneJobs"
  | "retryFailedJobs"
  | "listWakeSockets"
>;
