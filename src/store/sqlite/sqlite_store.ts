// deno-lint-ignore-file require-await -- see SqliteStore
import type { AttemptOutcome } from "../../core/attempt_outcome.ts";
import {
  JobNotFoundError,
  RejectedJobError,
  UnknownDependencyError,
  UsageError,
} from "../../core/errors.ts";
import type { Job, NewJob } from "../../core/job.ts";
import { generateJobId } from "../../core/job_id.ts";
import { queueService } from "../../core/queue_service.ts";
import { type JobState, TRANSITIONS, zeroStateCounts } from "../../core/job_state.ts";
import type {
  AttemptRef,
  BatchResult,
  CancelledForDependency,
  CancelledJob,
  CancelResult,
  ClaimRequest,
  DeadJobSelection,
  EndedJob,
  EnqueueResult,
  FailedJobSelection,
  FinishAndClaimResult,
  FinishResult,
  JobSelection,
  KeyHeldJob,
  Lease,
  ListFilter,
  LostAttempt,
  NewWorker,
  PruneFilter,
  QueueChange,
  QueueService,
  QueueSettings,
  QueueSummary,
  RemoveLogs,
  RetriedJobs,
  RevivedJobs,
  StatusCounts,
  StopRequest,
  Store,
  WorkerRecord,
} from "../store.ts";
import {
  CLAIMED_JOB_SEQ,
  FREE_SLOT_CLAIMABLE,
  HELD_SLOTS_BY_QUEUE,
  LONGEST_WAITING_JOB,
  NEXT_RUN_AT,
  WORK_REMAINS,
} from "./claim_index.ts";
import { Database, isUniqueViolation, type Params } from "./database.ts";
import { jobFromRow, type JobRow, stopRequestCode, workerFromRow, type WorkerRow } from "./rows.ts";

/** Positional parameters: node:sqlite binds them ~40% faster than a named-parameter object. */
const INSERT_JOB = `
INSERT INTO jobs (id, command, cwd, queue, state, max_retries, priority, run_at, timeout_ms,
                  created_at, updated_at, unique_key, env, retry_on, no_retry_on, deps_pending,
                  last_error, finished_at, cancelled_by, after_ids)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
        ?19)`;

const SELECT_JOBS = `SELECT jobs.* FROM jobs`;

const TERMINAL = "('completed', 'dead', 'cancelled')";
/**
 * The jobs not ended of some queues (`:queues`, a JSON array; null: all), in the order enqueued.
 * The states are spelled out: `state IN` searches jobs_state, `NOT IN` would scan every job.
 */
export const UNFINISHED_JOBS = `
  ${SELECT_JOBS} WHERE state IN ('pending', 'processing', 'failed')
    AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
  ORDER BY seq`;

/** The jobs of the ids in `:ids` (a JSON array) that exist: a seek each, by the id's index. */
export const JOBS_BY_ID = `
  SELECT jobs.* FROM json_each(:ids) AS wanted CROSS JOIN jobs ON jobs.id = wanted.value`;

/** Of the ids in `:ids` (a JSON array), each job that has ended, and each id no job has. */
export const ENDED_JOBS = `
  SELECT wanted.value AS wanted_id, jobs.* FROM json_each(:ids) AS wanted
  LEFT JOIN jobs ON jobs.id = wanted.value
  WHERE jobs.id IS NULL OR jobs.state IN ${TERMINAL}`;

/**
 * A job just enqueued, and whether its queue is paused: read with the row, so that the note
 * `enqueue` gives about a paused queue costs no statement more (a column more: ~0.03 ms of a
 * process's first enqueue, a statement of its own ~0.05, a subquery around SELECT_JOBS ~0.08).
 */
const SELECT_ENQUEUED_JOB = `
SELECT jobs.*,
  EXISTS (SELECT 1 FROM queues q WHERE q.name = jobs.queue AND q.paused = 1) AS queue_paused
FROM jobs WHERE id = ?`;

function leaseParams(
  lease: Lease,
): { lease_expires_at: number; lease_expires_mono: number | null } {
  return { lease_expires_at: lease.expiresAt, lease_expires_mono: lease.expiresAtMonotonic };
}

/** Takes the next claimable job (claim_index.ts chooses it) for the worker, in one statement. */
export const CLAIM_JOB = `
UPDATE jobs
SET state = 'processing', attempts = attempts + 1, worker_id = :worker_id,
    worker_host = :worker_host, worker_pid = :worker_pid, started_at = :now, finished_at = NULL,
    updated_at = :now, lease_expires_at = :lease_expires_at,
    lease_expires_mono = :lease_expires_mono, pgid = NULL, pgid_start = NULL
WHERE seq = (${CLAIMED_JOB_SEQ})
RETURNING *`;

const WORKER_COLUMNS = `
  w.*, (SELECT group_concat(j.id, char(10)) FROM jobs j
        WHERE j.worker_id = w.id AND j.state = 'processing') AS current_jobs`;

/**
 * Renews the leases of the attempts a worker runs, given as a JSON array of [job id, attempt],
 * and of no other job naming the worker: an attempt its process does not run (lost before ids
 * stopped being reused, in migration 5, or claimed by a call that failed after its commit) must
 * expire, so that recovery kills what is left of it and counts it.
 */
const RENEW_LEASES = `
UPDATE jobs SET lease_expires_at = :lease_expires_at, lease_expires_mono = :lease_expires_mono
WHERE worker_id = :worker_id AND state = 'processing'
  AND (id, attempts) IN (SELECT value ->> 0, value ->> 1 FROM json_each(:attempts))`;

/**
 * Job counts without reading every row: the jobs still in play (pending, processing, failed) are
 * counted through the `jobs_state` index, a backlog's worth of entries; the ended ones, nearly
 * every row of a long-lived table, come from `ended_counts`, which triggers keep (migration 4).
 */

/** Rows (state, n), a state possibly twice (its live count, or its ended count). */
const STATE_COUNTS = `
SELECT state, count(*) AS n FROM jobs
WHERE state IN ('pending', 'processing', 'failed') GROUP BY state
UNION ALL
SELECT state, sum(n) FROM ended_counts GROUP BY state`;

/** Rows (queue, state, n), one per queue and state that has jobs. */
const QUEUE_STATE_COUNTS = `
SELECT queue, state, count(*) AS n FROM jobs
WHERE state IN ('pending', 'processing', 'failed') GROUP BY queue, state
UNION ALL
SELECT queue, state, n FROM ended_counts WHERE n > 0`;

/**
 * Counts a job inserted ended (a job enqueued after a dependency that ended dead or cancelled
 * is inserted cancelled): the triggers count updates and deletes only, since an insert trigger
 * slowed every insert.
 */
const COUNT_INSERTED_ENDED = `
INSERT INTO ended_counts (queue, state, n) VALUES (:queue, :state, 1)
ON CONFLICT (queue, state) DO UPDATE SET n = n + 1`;

/** Why a job is inserted cancelled: a dependency of it had ended dead or cancelled. */
interface Doom {
  readonly reason: string;
  /** The seq of the job whose end is the root of it (migration 6's `cancelled_by`). */
  readonly rootSeq: number;
}

/** What recording an outcome changed, before any claim made alongside. */
interface AppliedOutcome {
  readonly recorded: boolean;
  readonly unblocked: number;
  /** The job's queue when it has a concurrency limit: the attempt freed one of its slots. */
  readonly limitedQueue: string | null;
}

/** Fences an update to the attempt it belongs to. */
const ATTEMPT_MATCHES =
  "id = :id AND state = 'processing' AND attempts = :attempt AND worker_id = :worker_id";

/**
 * The Store over node:sqlite. Its methods are async although SQLite is synchronous here, so that
 * an error rejects the returned promise instead of throwing (`store.getWorker(id).catch(...)`).
 */
export class SqliteStore implements Store {
  readonly location: string;
  /** The write-ahead log: it exists while this connection is open, which reads it. */
  readonly commitFile: string;
  readonly #db: Database;

  constructor(path: string) {
    this.location = path;
    this.commitFile = `${path}-wal`;
    this.#db = Database.open(path);
  }

  close(): void {
    this.#db.close();
  }

  closeBeforeExit(): void {
    this.#db.closeBeforeExit();
  }

  async readConfigValues(): Promise<Map<string, string>> {
    const rows = this.#db.statement("SELECT key, value FROM config").all() as {
      key: string;
      value: string;
    }[];
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async writeConfigValue(key: string, value: string): Promise<void> {
    this.#db.write(() =>
      this.#db.statement(
        "INSERT INTO config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(key, value)
    );
  }

  async enqueueJob(job: NewJob, now: number, removeLogs?: RemoveLogs): Promise<EnqueueResult> {
    return this.#db.write(() => {
      const existing = this.#liveJobWithKey(job.uniqueKey);
      const id = existing?.id ?? this.#insertJob(job, now).id;
      if (existing === null && job.id !== null) removeLogs?.([job.id]);
      const row = this.#db.statement(SELECT_ENQUEUED_JOB).get(id) as unknown as
        & JobRow
        & { queue_paused: number };
      return {
        job: jobFromRow(row),
        existing: existing !== null,
        queuePaused: row.queue_paused === 1,
      };
    });
  }

  async enqueueBatch(
    batches: AsyncIterable<readonly NewJob[]>,
    now: number,
    onStored?: (ids: readonly string[]) => void,
    removeLogs?: RemoveLogs,
  ): Promise<BatchResult> {
    return this.#db.writeAsync(async () => {
      let enqueued = 0;
      let duplicates = 0;
      let index = 0;
      const waitingPerQueue = new Map<string, number>();
      for await (const jobs of batches) {
        // Only for a caller that wants them: the default path allocates nothing per job.
        const ids: string[] | null = onStored === undefined ? null : [];
        let named: string[] | null = null;
        for (const job of jobs) {
          try {
            const holder = this.#liveJobWithKey(job.uniqueKey);
            if (holder) {
              duplicates++;
              ids?.push(holder.id);
            } else {
              const { id, cancelled } = this.#insertJob(job, now);
              enqueued++;
              if (!cancelled) {
                waitingPerQueue.set(job.queue, (waitingPerQueue.get(job.queue) ?? 0) + 1);
              }
              ids?.push(id);
              if (job.id !== null) (named ??= []).push(job.id);
            }
          } catch (error) {
            if (error instanceof UsageError) throw new RejectedJobError(index, error);
            throw error;
          }
          index++;
        }
        if (named !== null) removeLogs?.(named);
        if (ids !== null) onStored?.(ids);
      }
      return { enqueued, duplicates, waitingPerQueue };
    });
  }

  #liveJobWithKey(key: string | null): Job | null {
    if (key === null) return null;
    const row = this.#db.statement(
      `${SELECT_JOBS} WHERE unique_key = ? AND state NOT IN ${TERMINAL}`,
    ).get(key);
    return row ? jobFromRow(row as unknown as JobRow) : null;
  }

  /**
   * Inserts a job and its dependency edges; returns its id, and whether it was cancelled at once
   * (a dependency had ended dead or cancelled).
   */
  #insertJob(job: NewJob, now: number): { id: string; cancelled: boolean } {
    if (job.after.length === 0) {
      return { id: this.#insertJobRow(job, now, 0, null), cancelled: false };
    }
    const deps: { seq: number }[] = [];
    let depsPending = 0;
    let doomedBy: Doom | null = null;
    for (const id of job.after) {
      // With the job at the root of its cancellation: the reason says it as a cascade's does.
      const dep = this.#db.statement(`
        SELECT d.seq, d.id, d.state, d.cancelled_by, r.id AS root_id, r.state AS root_state
        FROM jobs d LEFT JOIN jobs r ON r.seq = d.cancelled_by WHERE d.id = ?`)
        .get(id) as EndedDependency | { seq: number; state: JobState } | undefined;
      if (!dep) throw new UnknownDependencyError(id);
      deps.push(dep);
      if (dep.state === "dead" || dep.state === "cancelled") {
        const ended = dep as EndedDependency;
        doomedBy ??= { reason: cancelReason(ended), rootSeq: ended.cancelled_by ?? ended.seq };
      } else if (dep.state !== "completed") {
        depsPending++;
      }
    }
    const id = this.#insertJobRow(job, now, depsPending, doomedBy);
    const edge = this.#db.statement(`
      INSERT OR IGNORE INTO job_deps (job_seq, dep_seq)
      VALUES ((SELECT seq FROM jobs WHERE id = ?), ?)`);
    for (const dep of deps) edge.run(id, dep.seq);
    return { id, cancelled: doomedBy !== null };
  }

  /** Inserts the job's row, drawing another id if a generated one is taken; returns the id. */
  #insertJobRow(job: NewJob, now: number, depsPending: number, doomedBy: Doom | null): string {
    const insert = this.#db.statement(INSERT_JOB);
    const env = Object.keys(job.env).length === 0 ? null : JSON.stringify(job.env);
    const retryOn = job.retryOn === null ? null : JSON.stringify(job.retryOn);
    const noRetryOn = job.noRetryOn === null ? null : JSON.stringify(job.noRetryOn);
    for (let attempt = 1;; attempt++) {
      const id = job.id ?? generateJobId();
      try {
        // `get`, not `run`: run's result object is allocated in V8's old space, ~6 MB of garbage
        // per 100,000 rows that grew the heap with the size of an `enqueue --file`. Arguments
        // rather than a spread array: one allocation less a row. In INSERT_JOB's order.
        insert.get(
          id,
          job.command,
          job.cwd,
          job.queue,
          doomedBy === null ? "pending" : "cancelled",
          job.maxRetries,
          job.priority,
          job.runAt,
          job.timeoutMs,
          now,
          job.uniqueKey,
          env,
          retryOn,
          noRetryOn,
          depsPending,
          doomedBy?.reason ?? null,
          doomedBy === null ? null : now,
          doomedBy?.rootSeq ?? null,
          job.after.length === 0 ? null : JSON.stringify(job.after),
        );
        if (doomedBy !== null) {
          this.#db.statement(COUNT_INSERTED_ENDED).run({ queue: job.queue, state: "cancelled" });
        }
        return id;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (job.id !== null) {
          throw new UsageError(
            `A job with id "${job.id}" already exists: choose another id, or omit it to get a generated one`,
          );
        }
        if (attempt >= 5) throw error;
      }
    }
  }

  async getJob(id: string): Promise<Job | null> {
    const row = this.#db.statement(`${SELECT_JOBS} WHERE id = ?`).get(id);
    return row ? jobFromRow(row as unknown as JobRow) : null;
  }

  async getJobs(ids: readonly string[]): Promise<Map<string, Job>> {
    const rows = this.#db.statement(JOBS_BY_ID).all({ ids: JSON.stringify(ids) });
    return new Map((rows as unknown as JobRow[]).map((row) => [row.id, jobFromRow(row)]));
  }

  async listJobs(filter: ListFilter): Promise<Job[]> {
    const rows = this.#db.statement(`
      SELECT * FROM (
        ${SELECT_JOBS}
        WHERE (:states IS NULL OR state IN (SELECT value FROM json_each(:states)))
          AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
        ORDER BY seq DESC LIMIT :limit
      ) ORDER BY seq`).all({
      states: filter.states ? JSON.stringify(filter.states) : null,
      queues: filter.queues ? JSON.stringify(filter.queues) : null,
      limit: filter.limit,
    });
    return (rows as unknown as JobRow[]).map(jobFromRow);
  }

  async unfinishedJobs(queues: readonly string[] | null): Promise<Job[]> {
    const rows = this.#db.statement(UNFINISHED_JOBS).all({
      queues: queues === null ? null : JSON.stringify(queues),
    });
    return (rows as unknown as JobRow[]).map(jobFromRow);
  }

  async endedJobs(ids: readonly string[]): Promise<Map<string, Job | null>> {
    const rows = this.#db.statement(ENDED_JOBS).all({
      ids: JSON.stringify(ids),
    }) as unknown as (JobRow & { wanted_id: string })[];
    return new Map(rows.map((row) => [row.wanted_id, row.id === null ? null : jobFromRow(row)]));
  }

  async statusCounts(now: number): Promise<StatusCounts> {
    const jobs = zeroStateCounts();
    const rows = this.#db.statement(STATE_COUNTS).all() as { state: JobState; n: number }[];
    for (const row of rows) jobs[row.state] += row.n;
    // No job can wait without a pending or failed one; then the query is not even prepared
    // (~0.9 ms of a `status` process, the common case of an idle queue).
    const longest = jobs.pending + jobs.failed === 0
      ? undefined
      : this.#db.statement(LONGEST_WAITING_JOB).get({ now }) as
        | { created_at: number; due_at: number }
        | undefined;
    const recovered = this.#db.statement(
      "SELECT value FROM counters WHERE name = 'jobs_recovered'",
    ).get() as { value: number } | undefined;
    return {
      jobs,
      longestWaiting: longest ? { createdAt: longest.created_at, dueAt: longest.due_at } : null,
      recoveredTotal: recovered?.value ?? 0,
    };
  }

  async reviveDeadJobs(selection: DeadJobSelection, now: number): Promise<RevivedJobs> {
    return this.#db.write(() => {
      const ids = Array.isArray(selection) ? selection as readonly string[] : null;
      for (const id of ids ?? []) {
        const row = this.#db.statement("SELECT state FROM jobs WHERE id = ?").get(id) as
          | { state: string }
          | undefined;
        if (!row) throw new JobNotFoundError(id, "nothing was retried");
        if (!TRANSITIONS.revive.from.includes(row.state as JobState)) {
          throw new UsageError(
            `Job "${id}" is ${row.state}, not dead: only jobs in the DLQ can be retried (nothing was retried)`,
          );
        }
      }
      const named = ids === null ? null : JSON.stringify(ids);
      const queues = typeof selection === "object" && "queues" in selection
        ? JSON.stringify(selection.queues)
        : null;
      const skipped = this.#deadJobsWithHeldKeys(named, queues);
      const rows = this.#db.statement(`
        UPDATE jobs SET state = 'pending', attempts = 0, run_at = :now, updated_at = :now,
          started_at = NULL, finished_at = NULL, worker_id = NULL, worker_host = NULL,
          worker_pid = NULL, lease_expires_at = NULL
        WHERE state = 'dead' AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
          AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
          AND id NOT IN (SELECT value FROM json_each(:skipped))
        RETURNING seq, id`).all({
        now,
        ids: named,
        queues,
        skipped: JSON.stringify(skipped.map((job) => job.id)),
      }) as { seq: number; id: string }[];
      return {
        revived: rows.map((row) => row.id),
        skipped,
        ...this.#reviveDependents(rows, named !== null, now),
      };
    });
  }

  async retryFailedJobs(selection: FailedJobSelection, now: number): Promise<RetriedJobs> {
    return this.#db.write(() => {
      const named = Array.isArray(selection) ? selection as readonly string[] : null;
      const underway: EndedJob[] = [];
      for (const id of named ?? []) {
        const row = this.#db.statement("SELECT state FROM jobs WHERE id = ?").get(id) as
          | { state: JobState }
          | undefined;
        if (!row) throw new JobNotFoundError(id, "nothing was retried");
        // Claimed since the caller saw it failed (`list --state failed | xargs retry`): its
        // retry is what was asked for, and it has come.
        if (row.state === "processing" || row.state === "completed") {
          underway.push({ id, state: row.state });
        } else if (!TRANSITIONS.retry_now.from.includes(row.state)) {
          throw new UsageError(notFailedMessage(id, row.state));
        }
      }
      const ids = named?.filter((id) => !underway.some((job) => job.id === id)) ?? null;
      // The job stays in jobs_claim (failed, no pending dependency: it was claimed once), and
      // SQLite moves its entry to the new run_at. An earlier run_at is kept: the job is due
      // already, and keeping its place keeps it ahead of the jobs due after it.
      const rows = this.#db.statement(`
        UPDATE jobs SET run_at = min(run_at, :now), updated_at = :now
        WHERE state = 'failed' AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
          AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
        RETURNING *`).all({
        now,
        ids: ids === null ? null : JSON.stringify(ids),
        queues: typeof selection === "object" && "queues" in selection
          ? JSON.stringify(selection.queues)
          : null,
      }) as unknown as (JobRow & { seq: number })[];
      return { retried: rows.sort((a, b) => a.seq - b.seq).map(jobFromRow), underway };
    });
  }

  /**
   * Moves back to pending the jobs that the deaths of the revived ones cancelled (migration 6's
   * `cancelled_by`), in the order enqueued, so that each one's dependencies are settled before
   * it. One that still has a dead or cancelled dependency stays cancelled, its cause now that
   * dependency's end, so that reviving that other job revives it. One whose unique key a live
   * job holds (or one revived before it) throws when the revived jobs were named, else is left
   * cancelled and returned as skipped.
   */
  #reviveDependents(
    roots: readonly { seq: number; id: string }[],
    named: boolean,
    now: number,
  ): {
    dependents: string[];
    skippedDependents: KeyHeldJob[];
    leftCancelled: CancelledForDependency[];
  } {
    const rootIds = new Map(roots.map((root) => [root.seq, root.id]));
    const victims = this.#db.statement(`
      SELECT seq, id, unique_key, cancelled_by FROM jobs
      WHERE cancelled_by IN (SELECT value FROM json_each(:roots)) AND state = 'cancelled'
      ORDER BY seq`).all({ roots: JSON.stringify([...rootIds.keys()]) }) as {
      seq: number;
      id: string;
      unique_key: string | null;
      cancelled_by: number;
    }[];
    const endedDependency = this.#db.statement(`
      SELECT d.seq, d.id, d.state, d.cancelled_by, r.id AS root_id, r.state AS root_state
      FROM job_deps jd JOIN jobs d ON d.seq = jd.dep_seq LEFT JOIN jobs r ON r.seq = d.cancelled_by
      WHERE jd.job_seq = ? AND d.state IN ('dead', 'cancelled')
      ORDER BY d.seq LIMIT 1`);
    const recause = this.#db.statement(`
      UPDATE jobs SET cancelled_by = :root, last_error = :reason, updated_at = :now
      WHERE seq = :seq`);
    // deps_pending is counted again: a job inserted cancelled did not count its ended dependency.
    const revive = this.#db.statement(`
      UPDATE jobs SET state = 'pending', last_error = NULL, finished_at = NULL,
        cancelled_by = NULL, updated_at = :now,
        deps_pending = (SELECT count(*) FROM job_deps jd JOIN jobs d ON d.seq = jd.dep_seq
                        WHERE jd.job_seq = jobs.seq AND d.state <> 'completed')
      WHERE seq = :seq`);
    const dependents: string[] = [];
    const skippedDependents: KeyHeldJob[] = [];
    const leftCancelled: CancelledForDependency[] = [];
    for (const victim of victims) {
      const ended = endedDependency.get(victim.seq) as EndedDependency | undefined;
      if (ended) {
        const root = ended.state === "dead" ? ended.seq : ended.cancelled_by ?? ended.seq;
        const reason = cancelReason(ended);
        if (root !== victim.cancelled_by) recause.run({ seq: victim.seq, root, reason, now });
        leftCancelled.push({ id: victim.id, reason });
        continue;
      }
      const live = this.#liveJobWithKey(victim.unique_key);
      if (live && named) {
        throw new UsageError(
          `Job "${victim.id}", cancelled because "${
            rootIds.get(victim.cancelled_by)
          }" ended dead, cannot be retried with it while job "${live.id}" (${live.state}) holds its unique key "${victim.unique_key}": wait for it to end or cancel it (nothing was retried)`,
        );
      }
      if (live) {
        skippedDependents.push({ id: victim.id, uniqueKey: victim.unique_key!, heldBy: live.id });
        continue;
      }
      revive.run({ seq: victim.seq, now });
      dependents.push(victim.id);
    }
    return { dependents, skippedDependents, leftCancelled };
  }

  /**
   * The dead jobs to revive (the named ones, or all when `named` is null, of the `queues` when
   * not null) that would break the uniqueness of a live job's key: a named one throws, as
   * nothing may be revived then.
   */
  #deadJobsWithHeldKeys(named: string | null, queues: string | null): KeyHeldJob[] {
    const keyed = this.#db.statement(`
      SELECT id, unique_key FROM jobs
      WHERE state = 'dead' AND unique_key IS NOT NULL
        AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
        AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
      ORDER BY seq`).all({ ids: named, queues }) as { id: string; unique_key: string }[];
    const revivedWithKey = new Map<string, string>();
    const held: KeyHeldJob[] = [];
    for (const { id, unique_key: uniqueKey } of keyed) {
      const live = this.#liveJobWithKey(uniqueKey);
      const sibling = revivedWithKey.get(uniqueKey);
      if (named !== null && live) {
        throw new UsageError(
          `Job "${id}" cannot be retried while job "${live.id}" (${live.state}) holds its unique key "${uniqueKey}": wait for it to end or cancel it (nothing was retried)`,
        );
      }
      if (named !== null && sibling !== undefined) {
        throw new UsageError(
          `Jobs "${sibling}" and "${id}" have the same unique key "${uniqueKey}": retry one of them (nothing was retried)`,
        );
      }
      const heldBy = live?.id ?? sibling;
      if (heldBy === undefined) revivedWithKey.set(uniqueKey, id);
      else held.push({ id, uniqueKey, heldBy });
    }
    return held;
  }

  async cancelJobs(selection: JobSelection, now: number, holdMs = 0): Promise<CancelResult> {
    return this.#db.write(() => {
      const { found, alreadyEnded } = selection === "all" || "queues" in selection
        ? { found: this.#unfinishedJobs(selection), alreadyEnded: [] }
        : this.#namedJobsToCancel(selection);
      // A running job keeps its lease, and so its queue's slot, until the cancel has seen its
      // command gone (releaseCancelledSlots) or the lease runs out; no sooner than the hold, as
      // the lease of a worker that died (or stopped renewing it) may end before the kill does.
      this.#db.statement(`
        UPDATE jobs SET state = 'cancelled', last_error = 'cancelled', finished_at = :now,
          updated_at = :now, worker_id = NULL,
          lease_expires_at = CASE WHEN state = 'processing'
            THEN max(coalesce(lease_expires_at, 0), :now + :hold_ms) END
        WHERE seq IN (SELECT value FROM json_each(:seqs))`).run({
        seqs: JSON.stringify(found.map((row) => row.seq)),
        now,
        hold_ms: holdMs,
      });
      // After all the selected ones: a selected job that runs after another is not its dependent.
      const dependents = this.#cancelDependents(found, "was cancelled", now);
      const cancelled = [
        ...found.map(cancelledJobFromRow),
        ...dependents.map(({ id, state, dependentOf }) => ({
          id,
          previousState: state,
          dependentOf,
          // Not running: it waits for the cancelled job.
          attempt: null,
          pgid: null,
          pgidStart: null,
          workerHost: null,
          workerId: null,
        })),
      ];
      return {
        cancelled,
        alreadyEnded,
        burstWakeSockets: cancelled.length > 0 ? this.#burstWakeSockets(null) : [],
      };
    });
  }

  /** The named jobs that have not ended, in the order given, and the ones that have. */
  #namedJobsToCancel(
    ids: readonly string[],
  ): { found: CancellableRow[]; alreadyEnded: EndedJob[] } {
    const select = this.#db.statement(`SELECT ${CANCELLABLE_COLUMNS} FROM jobs WHERE id = ?`);
    const found: CancellableRow[] = [];
    const alreadyEnded: EndedJob[] = [];
    for (const id of ids) {
      const row = select.get(id) as CancellableRow | undefined;
      if (!row) throw new JobNotFoundError(id, "nothing was cancelled");
      // Ended between the caller's look and this one, or before: what cancel would do is done.
      if (TRANSITIONS.cancel.from.includes(row.state)) found.push(row);
      else alreadyEnded.push({ id, state: row.state });
    }
    return { found, alreadyEnded };
  }

  /** The jobs that have not ended, of every queue or of some, in the order enqueued. */
  #unfinishedJobs(selection: "all" | { readonly queues: readonly string[] }): CancellableRow[] {
    return this.#db.statement(`
      SELECT ${CANCELLABLE_COLUMNS} FROM jobs
      WHERE state IN (SELECT value FROM json_each(:states))
        AND (:queues IS NULL OR queue IN (SELECT value FROM json_each(:queues)))
      ORDER BY seq`).all({
      states: JSON.stringify(TRANSITIONS.cancel.from),
      queues: selection === "all" ? null : JSON.stringify(selection.queues),
    }) as unknown as CancellableRow[];
  }

  async releaseCancelledSlots(
    attempts: readonly { jobId: string; attempt: number }[],
    now: number,
  ): Promise<boolean> {
    return this.#db.write(() => {
      const queues = attempts.map(({ jobId, attempt }) =>
        this.#releaseCancelledSlot(jobId, attempt)
      )
        .filter((queue) => queue !== null);
      return [...new Set(queues)].some((queue) => this.#freeSlotClaimable(queue, now));
    });
  }

  /**
   * Frees the slot that a cancelled attempt held while its command might run; returns its queue
   * when the queue has a limit (a slot to fill), else null.
   */
  #releaseCancelledSlot(jobId: string, attempt: number): string | null {
    const released = this.#db.statement(`
      UPDATE jobs SET lease_expires_at = NULL
      WHERE id = ? AND state = 'cancelled' AND attempts = ? AND lease_expires_at IS NOT NULL
      RETURNING CASE WHEN EXISTS (SELECT 1 FROM queues q
                                  WHERE q.name = jobs.queue AND q.concurrency IS NOT NULL)
                THEN queue END AS limited_queue`).get(jobId, attempt) as
      | { limited_queue: string | null }
      | undefined;
    return released?.limited_queue ?? null;
  }

  async pruneJobs(
    filter: PruneFilter,
    removeLogs: (ids: readonly string[]) => void,
  ): Promise<string[]> {
    return this.#db.write(() => {
      const rows = this.#db.statement(`
        DELETE FROM jobs WHERE seq IN (
          SELECT seq FROM jobs
          WHERE state IN (SELECT value FROM json_each(:states)) AND finished_at < :before
            AND (state <> 'cancelled' OR lease_expires_at IS NULL OR lease_expires_at <= :now)
          ORDER BY seq LIMIT :limit)
        RETURNING id`).all({
        states: JSON.stringify(filter.states),
        before: filter.finishedBefore,
        now: filter.now,
        limit: filter.limit,
      }) as { id: string }[];
      const ids = rows.map((row) => row.id);
      removeLogs(ids);
      return ids;
    });
  }

  async listQueues(now: number): Promise<QueueSummary[]> {
    const summaries = new Map<
      string,
      {
        paused: boolean;
        concurrency: number | null;
        jobs: Record<JobState, number>;
        heldSlots: number;
      }
    >();
    const summary = (name: string) => {
      let entry = summaries.get(name);
      if (!entry) {
        entry = { paused: false, concurrency: null, jobs: zeroStateCounts(), heldSlots: 0 };
        summaries.set(name, entry);
      }
      return entry;
    };
    const settings = this.#db.statement("SELECT name, paused, concurrency FROM queues").all() as {
      name: string;
      paused: number;
      concurrency: number | null;
    }[];
    for (const row of settings) {
      const entry = summary(row.name);
      entry.paused = row.paused === 1;
      entry.concurrency = row.concurrency;
    }
    const counts = this.#db.statement(QUEUE_STATE_COUNTS).all() as {
      queue: string;
      state: JobState;
      n: number;
    }[];
    for (const row of counts) summary(row.queue).jobs[row.state] = row.n;
    const held = this.#db.statement(HELD_SLOTS_BY_QUEUE).all({ now }) as {
      queue: string;
      n: number;
    }[];
    for (const row of held) summary(row.queue).heldSlots = row.n;
    return [...summaries].sort(([a], [b]) => compareNames(a, b)).map(([name, entry]) => ({
      name,
      ...entry,
    }));
  }

  async pausedQueues(): Promise<string[]> {
    const rows = this.#db.statement("SELECT name FROM queues WHERE paused = 1").all() as {
      name: string;
    }[];
    return rows.map((row) => row.name).sort(compareNames);
  }

  async configureQueue(name: string, change: QueueChange): Promise<QueueSettings> {
    return this.#db.write(() => {
      const before = this.#db.statement("SELECT paused, concurrency FROM queues WHERE name = ?")
        .get(name) as { paused: number; concurrency: number | null } | undefined;
      this.#db.statement("INSERT OR IGNORE INTO queues (name) VALUES (?)").run(name);
      if (change.paused !== undefined) {
        this.#db.statement("UPDATE queues SET paused = ? WHERE name = ?")
          .run(change.paused ? 1 : 0, name);
      }
      if (change.concurrency !== undefined) {
        this.#db.statement("UPDATE queues SET concurrency = ? WHERE name = ?")
          .run(change.concurrency, name);
      }
      // A row holds only settings: back at the defaults it would keep a queue without jobs (a
      // typo's `queue resume`) in `queue list` for good.
      this.#db.statement("DELETE FROM queues WHERE name = ? AND paused = 0 AND concurrency IS NULL")
        .run(name);
      return { paused: before?.paused === 1, concurrency: before?.concurrency ?? null };
    });
  }

  async dataVersion(): Promise<number> {
    const row = this.#db.statement("PRAGMA data_version").get() as { data_version: number };
    return row.data_version;
  }

  async registerWorker(worker: NewWorker, now: number): Promise<WorkerRecord> {
    const id = this.#db.write(() => {
      const row = this.#db.statement(`
        INSERT INTO workers (host, pid, proc_start, started_at, heartbeat_at, queues, concurrency,
                             wake_socket, burst)
        VALUES (:host, :pid, :proc_start, :now, :now, :queues, :concurrency, :wake_socket, :burst)
        RETURNING id`).get({
        host: worker.host,
        pid: worker.pid,
        proc_start: worker.procStart,
        now,
        queues: worker.queues === null ? null : worker.queues.join(","),
        concurrency: worker.concurrency,
        wake_socket: worker.wakeSocket,
        burst: worker.burst ? 1 : 0,
      }) as { id: number };
      return row.id;
    });
    return (await this.getWorker(id)) as WorkerRecord;
  }

  async unregisterWorker(workerId: number): Promise<void> {
    this.#db.write(() => this.#db.statement("DELETE FROM workers WHERE id = ?").run(workerId));
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    const rows = this.#db.statement(`SELECT ${WORKER_COLUMNS} FROM workers w ORDER BY w.id`)
      .all() as unknown as WorkerRow[];
    return rows.map(workerFromRow);
  }

  async queueService(queue: string): Promise<QueueService | null> {
    const rows = this.#db.statement(
      `SELECT queues, stop_request = ${stopRequestCode("none")} AS serving FROM workers`,
    ).all() as { queues: string | null; serving: number }[];
    return queueService(
      queue,
      rows.map((row) => ({
        queues: row.queues === null ? null : row.queues.split(","),
        stopping: row.serving === 0,
      })),
    );
  }

  async getWorker(workerId: number): Promise<WorkerRecord | null> {
    const row = this.#db.statement(`SELECT ${WORKER_COLUMNS} FROM workers w WHERE w.id = ?`)
      .get(workerId) as unknown as WorkerRow | undefined;
    return row ? workerFromRow(row) : null;
  }

  async listWakeSockets(): Promise<string[]> {
    const rows = this.#db.statement(
      "SELECT wake_socket FROM workers WHERE wake_socket IS NOT NULL",
    ).all() as { wake_socket: string }[];
    return rows.map((row) => row.wake_socket);
  }

  async heartbeat(
    workerId: number,
    running: readonly AttemptRef[],
    now: number,
    lease: Lease,
  ): Promise<WorkerRecord | null> {
    // Unsynced: heartbeats and leases mean nothing after a reboot, which ends every worker.
    const found = this.#db.writeUnsynced(() => {
      const result = this.#db.statement("UPDATE workers SET heartbeat_at = ? WHERE id = ?")
        .run(now, workerId);
      if (result.changes === 0) return false;
      if (running.length > 0) {
        this.#db.statement(RENEW_LEASES).run({
          ...leaseParams(lease),
          worker_id: workerId,
          attempts: JSON.stringify(running.map((ref) => [ref.jobId, ref.attempt])),
        });
      }
      return true;
    });
    return found ? await this.getWorker(workerId) : null;
  }

  async requestStop(workerIds: readonly number[], request: StopRequest): Promise<number[]> {
    return this.#db.write(() => {
      const rows = this.#db.statement(`
        UPDATE workers SET stop_request = :code
        WHERE id IN (SELECT value FROM json_each(:ids)) AND stop_request < :code
        RETURNING id`).all({ code: stopRequestCode(request), ids: JSON.stringify(workerIds) });
      return (rows as { id: number }[]).map((row) => row.id);
    });
  }

  async removeWorkers(workerIds: readonly number[], now: number): Promise<void> {
    if (workerIds.length === 0) return;
    this.#db.write(() => {
      const ids = JSON.stringify(workerIds);
      this.#db.statement(`
        UPDATE jobs SET lease_expires_at = :now, lease_expires_mono = NULL
        WHERE state = 'processing' AND worker_id IN (SELECT value FROM json_each(:ids))
          AND lease_expires_at > :now`).run({ now, ids });
      this.#db.statement("DELETE FROM workers WHERE id IN (SELECT value FROM json_each(?))")
        .run(ids);
    });
  }

  async claimNextJob(request: ClaimRequest): Promise<Job | null> {
    return this.#db.write(() => this.#claim(request));
  }

  #claim(request: ClaimRequest): Job | null {
    const { worker, now } = request;
    const row = this.#db.statement(CLAIM_JOB).get({
      worker_id: worker.id,
      worker_host: worker.host,
      worker_pid: worker.pid,
      now,
      ...leaseParams(request.lease),
      queues: worker.queues === null ? null : JSON.stringify(worker.queues),
    });
    return row ? jobFromRow(row as unknown as JobRow) : null;
  }

  async nextRunAt(queues: readonly string[] | null, now: number): Promise<number | null> {
    const row = this.#db.statement(NEXT_RUN_AT).get({
      now,
      queues: queues === null ? null : JSON.stringify(queues),
    }) as { next: number | null };
    return row.next;
  }

  async workRemains(queues: readonly string[] | null): Promise<boolean> {
    const row = this.#db.statement(WORK_REMAINS).get({
      queues: queues === null ? null : JSON.stringify(queues),
    }) as { remains: number };
    return row.remains === 1;
  }

  /** Not synced to disk, as heartbeats are: a lease means nothing after a reboot. */
  async renewAttemptLease(ref: AttemptRef, lease: Lease): Promise<boolean> {
    return this.#db.writeUnsynced(() =>
      this.#db.statement(`
        UPDATE jobs SET lease_expires_at = :lease_expires_at,
                        lease_expires_mono = :lease_expires_mono
        WHERE ${ATTEMPT_MATCHES}`).run({ ...attemptParams(ref), ...leaseParams(lease) })
        .changes === 1
    );
  }

  /**
   * Not synced to disk: the process group is only worth knowing while the machine stays up (a
   * reboot ends it), and a worker crash keeps the commit. Saves one fsync per job.
   */
  async recordAttemptProcess(
    ref: AttemptRef,
    pgid: number,
    pgidStart: string | null,
  ): Promise<boolean> {
    return this.#db.writeUnsynced(() => this.#updateAttemptProcess(ref, pgid, pgidStart));
  }

  async tryRecordAttemptProcess(
    ref: AttemptRef,
    pgid: number,
    pgidStart: string | null,
  ): Promise<boolean | null> {
    const written = this.#db.tryWriteUnsynced(() =>
      this.#updateAttemptProcess(ref, pgid, pgidStart)
    );
    return written === null ? null : written.result;
  }

  #updateAttemptProcess(ref: AttemptRef, pgid: number, pgidStart: string | null): boolean {
    const result = this.#db.statement(
      `UPDATE jobs SET pgid = :pgid, pgid_start = :pgid_start WHERE ${ATTEMPT_MATCHES}`,
    ).run({ ...attemptParams(ref), pgid, pgid_start: pgidStart });
    return result.changes === 1;
  }

  async finishAttempt(
    ref: AttemptRef,
    outcome: AttemptOutcome,
    now: number,
  ): Promise<FinishResult> {
    return this.#db.write(() =>
      this.#finishResult(ref, this.#applyOutcome(ref, outcome, now), now)
    );
  }

  async finishAttemptAndClaim(
    ref: AttemptRef,
    outcome: AttemptOutcome,
    now: number,
    claim: ClaimRequest | null,
  ): Promise<FinishAndClaimResult> {
    return this.#db.write(() => {
      // The finish first: the claim sees the slot it freed and any job it unblocked.
      const applied = this.#applyOutcome(ref, outcome, now);
      const next = claim ? this.#claim(claim) : null;
      // Then whether the freed slot still waits: a claim that took it back leaves it full.
      return { ...this.#finishResult(ref, applied, now), next };
    });
  }

  #finishResult(ref: AttemptRef, applied: AppliedOutcome, now: number): FinishResult {
    return {
      recorded: applied.recorded,
      unblocked: applied.unblocked,
      freedSlotClaimable: applied.limitedQueue !== null &&
        this.#freeSlotClaimable(applied.limitedQueue, now),
      burstWakeSockets: this.#burstWakeSockets(ref.workerId),
    };
  }

  /** The wake sockets of burst workers, but `except`'s: the workers table has a few rows. */
  #burstWakeSockets(except: number | null): string[] {
    const rows = this.#db.statement(`
      SELECT wake_socket FROM workers
      WHERE burst = 1 AND wake_socket IS NOT NULL AND id IS NOT :except`).all({ except }) as {
      wake_socket: string;
    }[];
    return rows.map((row) => row.wake_socket);
  }

  #freeSlotClaimable(queue: string, now: number): boolean {
    return this.#db.statement(FREE_SLOT_CLAIMABLE).get({ queue, now }) !== undefined;
  }

  /**
   * Records the outcome. Whether the job's queue has a limit comes back from the same statement:
   * a finish in a queue without one (the drain's hot path) runs no query more.
   */
  #applyOutcome(ref: AttemptRef, outcome: AttemptOutcome, now: number): AppliedOutcome {
    const finished = this.#db.statement(`
      UPDATE jobs SET state = :state, run_at = :run_at, exit_code = :exit_code,
        last_error = :last_error, updated_at = :now,
        finished_at = CASE WHEN :state IN ('completed', 'dead') THEN :now ELSE NULL END,
        worker_id = NULL, lease_expires_at = NULL, pgid = NULL, pgid_start = NULL
      WHERE ${ATTEMPT_MATCHES}
      RETURNING seq, CASE WHEN EXISTS (SELECT 1 FROM queues q
                                       WHERE q.name = jobs.queue AND q.concurrency IS NOT NULL)
                     THEN queue END AS limited_queue`).get({
      ...attemptParams(ref),
      state: outcome.state,
      run_at: outcome.runAt,
      exit_code: outcome.exitCode,
      last_error: outcome.lastError,
      now,
    }) as { seq: number; limited_queue: string | null } | undefined;
    // Fenced off. A cancelled attempt's slot stays held: its command's leader has exited, but
    // not necessarily the rest of its process group, which the cancel waits for.
    if (!finished) return { recorded: false, unblocked: 0, limitedQueue: null };
    let unblocked = 0;
    if (outcome.state === "completed") {
      const rows = this.#db.statement(`
        UPDATE jobs SET deps_pending = deps_pending - 1
        WHERE seq IN (SELECT job_seq FROM job_deps
                      WHERE dep_seq = (SELECT seq FROM jobs WHERE id = ?))
        RETURNING deps_pending`).all(ref.jobId) as { deps_pending: number }[];
      unblocked = rows.filter((row) => row.deps_pending === 0).length;
    } else if (outcome.state === "dead") {
      this.#cancelDependents([{ seq: finished.seq, id: ref.jobId }], "ended dead", now);
    }
    return { recorded: true, unblocked, limitedQueue: finished.limited_queue };
  }

  /**
   * Cancels every job that waits, directly or not, on one of the given ones (which have ended);
   * returns them, oldest first, each with the first of the given jobs (in the order given) that
   * it waits on. Each one's reason names its own dependency that ended, and that given job when
   * it was another: "dependency b was cancelled because a ended dead". Of several such
   * dependencies, that given job if it is one, else the one enqueued first. Every edge is read
   * once, whatever the number of given jobs: a chain of n jobs all given costs O(n), not O(n²).
   */
  #cancelDependents(
    ended: readonly { readonly seq: number; readonly id: string }[],
    how: "was cancelled" | "ended dead",
    now: number,
  ): { seq: number; id: string; state: JobState; dependentOf: string }[] {
    // Every job downstream, whatever its state: a cause is traced through jobs ended already.
    const reached = this.#db.statement(`
      WITH RECURSIVE reached (seq) AS (
        SELECT job_seq FROM job_deps WHERE dep_seq IN (SELECT value FROM json_each(:ended))
        UNION
        SELECT jd.job_seq FROM job_deps jd JOIN reached ON jd.dep_seq = reached.seq
      )
      SELECT j.seq, j.id, j.state, json_group_array(jd.dep_seq) AS deps
      FROM reached r JOIN jobs j ON j.seq = r.seq JOIN job_deps jd ON jd.job_seq = r.seq
      GROUP BY j.seq
      ORDER BY j.seq`).all({ ended: JSON.stringify(ended.map((job) => job.seq)) }) as {
      seq: number;
      id: string;
      state: JobState;
      deps: string;
    }[];
    const rank = new Map<number, number>();
    ended.forEach((job, index) => rank.has(job.seq) || rank.set(job.seq, index));
    const ids = new Map(ended.map((job) => [job.seq, job.id]));
    // By seq, the rank of the first given job it waits on. A dependency's seq is below its
    // dependents', so each job's dependencies are settled before it.
    const firstCause = new Map<number, number>();
    const doomed: { seq: number; id: string; state: JobState; root: number; via: number }[] = [];
    for (const job of reached) {
      ids.set(job.seq, job.id);
      const deps = (JSON.parse(job.deps) as number[]).sort((a, b) => a - b);
      const causeOf = (dep: number) =>
        Math.min(rank.get(dep) ?? Infinity, firstCause.get(dep) ?? Infinity);
      const cause = deps.reduce((first, dep) => Math.min(first, causeOf(dep)), Infinity);
      firstCause.set(job.seq, cause);
      if (job.state !== "pending" && job.state !== "failed") continue;
      const root = ended[cause]!.seq;
      // Its first dependency that the cause reached, or the cause itself (enqueued before any).
      const via = deps.find((dep) => dep === root || firstCause.get(dep) === cause)!;
      doomed.push({ seq: job.seq, id: job.id, state: job.state, root, via });
    }
    const byReason = Map.groupBy(
      doomed,
      ({ root, via }) =>
        via === root
          ? `dependency ${ids.get(root)} ${how}`
          : `dependency ${ids.get(via)} was cancelled because ${ids.get(root)} ${how}`,
    );
    const cancel = this.#db.statement(`
      UPDATE jobs SET state = 'cancelled', last_error = :reason, finished_at = :now,
        updated_at = :now, cancelled_by = :root
      WHERE seq IN (SELECT value FROM json_each(:seqs))`);
    for (const [reason, jobs] of byReason) {
      cancel.run({
        seqs: JSON.stringify(jobs.map((job) => job.seq)),
        reason,
        root: jobs[0]!.root,
        now,
      });
    }
    return doomed.map(({ seq, id, state, root }) => ({
      seq,
      id,
      state,
      dependentOf: ids.get(root)!,
    }));
  }

  async requeueAttempt(ref: AttemptRef, now: number): Promise<boolean> {
    const result = this.#db.write(() =>
      this.#db.statement(`
        UPDATE jobs SET state = 'pending', attempts = attempts - 1, updated_at = :now,
          started_at = NULL, worker_id = NULL, worker_host = NULL, worker_pid = NULL,
          lease_expires_at = NULL, pgid = NULL, pgid_start = NULL
        WHERE ${ATTEMPT_MATCHES}`).run({ ...attemptParams(ref), now })
    );
    return result.changes === 1;
  }

  async findLostAttempts(now: number): Promise<LostAttempt[]> {
    // A lease by the monotonic clock counts only while its worker's row stands: that row goes
    // when the worker is found dead, and with it the one proof that the clock is this boot's.
    const rows = this.#db.statement(`
      SELECT jobs.*,
        CASE WHEN EXISTS (SELECT 1 FROM workers w WHERE w.id = jobs.worker_id)
          THEN lease_expires_mono END AS worker_lease_expires_mono
      FROM jobs
      WHERE state = 'processing' AND lease_expires_at <= ?
      ORDER BY seq`).all(now) as unknown as (JobRow & {
      worker_id: number;
      pgid: number | null;
      pgid_start: string | null;
      worker_lease_expires_mono: number | null;
    })[];
    return rows.map((row) => ({
      jobId: row.id,
      attempt: row.attempts,
      workerId: row.worker_id,
      job: jobFromRow(row),
      workerHost: row.worker_host,
      workerPid: row.worker_pid,
      pgid: row.pgid,
      pgidStart: row.pgid_start,
      leaseExpiresAtMonotonic: row.worker_lease_expires_mono,
    }));
  }

  async recoverLostAttempt(
    ref: AttemptRef,
    outcome: AttemptOutcome,
    now: number,
  ): Promise<boolean> {
    const recovered = this.#db.write(() => {
      const lease = this.#db.statement(
        `SELECT lease_expires_at FROM jobs WHERE ${ATTEMPT_MATCHES}`,
      ).get(attemptParams(ref)) as { lease_expires_at: number } | undefined;
      if (!lease || lease.lease_expires_at > now) return false;
      this.#applyOutcome(ref, outcome, now);
      this.#db.statement(`
        INSERT INTO counters (name, value) VALUES ('jobs_recovered', 1)
        ON CONFLICT (name) DO UPDATE SET value = value + 1`).run();
      return true;
    });
    return recovered;
  }
}

/** A job's dependency that ended dead or cancelled, with the job at the root of its end. */
interface EndedDependency {
  seq: number;
  id: string;
  state: "dead" | "cancelled";
  cancelled_by: number | null;
  root_id: string | null;
  root_state: JobState | null;
}

/** A job that `cancel` may cancel, as read for it. */
interface CancellableRow {
  seq: number;
  id: string;
  state: JobState;
  attempts: number;
  pgid: number | null;
  pgid_start: string | null;
  worker_host: string | null;
  worker_id: number | null;
}

const CANCELLABLE_COLUMNS = "seq, id, state, attempts, pgid, pgid_start, worker_host, worker_id";

/** A job the cancel selected; a running one with its attempt and process group to kill. */
function cancelledJobFromRow(row: CancellableRow): CancelledJob {
  const running = row.state === "processing";
  return {
    id: row.id,
    previousState: row.state,
    dependentOf: null,
    attempt: running ? row.attempts : null,
    pgid: running ? row.pgid : null,
    pgidStart: running ? row.pgid_start : null,
    workerHost: running ? row.worker_host : null,
    workerId: running ? row.worker_id : null,
  };
}

/** Why `retry` refuses a named job that is not failed, and what would act on it instead. */
function notFailedMessage(id: string, state: JobState): string {
  const why = state === "dead"
    ? `its retries are spent: retry it from the dead-letter queue with 'queuectl dlq retry ${id}'`
    : "only a failed job waiting for its retry can be retried now";
  return `Job "${id}" is ${state}, not failed: ${why} (nothing was retried)`;
}

/** A reason of a job cancelled for a dependency's end, in the words of a cascade's. */
function cancelReason(ended: EndedDependency): string {
  if (ended.state === "dead") return `dependency ${ended.id} ended dead`;
  if (ended.root_state === "dead" || ended.root_state === "cancelled") {
    const rootEnded = ended.root_state === "dead" ? "ended dead" : "was cancelled";
    return `dependency ${ended.id} was cancelled because ${ended.root_id} ${rootEnded}`;
  }
  return `dependency ${ended.id} was cancelled`;
}

function attemptParams(ref: AttemptRef): Params {
  return { id: ref.jobId, attempt: ref.attempt, worker_id: ref.workerId };
}

/**
 * Case-insensitive, then by code point. Not `localeCompare`: its first call loads ICU's
 * collator, ~10 ms of a `queue list` process measured here, for names that are ASCII anyway.
 */
function compareNames(a: string, b: string): number {
  const [lowerA, lowerB] = [a.toLowerCase(), b.toLowerCase()];
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
