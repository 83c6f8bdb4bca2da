/**
 * Schema migrations, in order: migration N brings the schema from version N-1 to N. They are
 * TypeScript, so that a compiled binary carries them, and all in this one module: every process
 * loads it to learn SCHEMA_VERSION, and a module costs a process of the source form ~0.3 ms to
 * load. Never edit a released one: add one.
 */

/** The first schema: jobs, workers, config and counters. */
const migration001 = `
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  command TEXT NOT NULL,
  cwd TEXT NOT NULL,
  queue TEXT NOT NULL DEFAULT 'default',
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_retries INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  run_at INTEGER NOT NULL,
  timeout_ms INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  exit_code INTEGER,
  last_error TEXT,
  worker_id INTEGER,
  worker_host TEXT,
  worker_pid INTEGER,
  lease_expires_at INTEGER,
  pgid INTEGER,
  pgid_start TEXT
) STRICT;

-- The claim path: only claimable rows, in claim order.
CREATE INDEX jobs_claim ON jobs (priority DESC, run_at, seq)
  WHERE state IN ('pending', 'failed');
-- Counts per state, listing by state, the oldest pending job.
CREATE INDEX jobs_state ON jobs (state, seq);
-- Lease checks and heartbeats.
CREATE INDEX jobs_processing ON jobs (worker_id, lease_expires_at)
  WHERE state = 'processing';

CREATE TABLE workers (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  proc_start TEXT,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  queues TEXT,
  concurrency INTEGER NOT NULL DEFAULT 1,
  stop_request INTEGER NOT NULL DEFAULT 0,
  wake_socket TEXT
) STRICT;

CREATE TABLE config (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
`;

/**
 * Named queues with pause and concurrency limits, dependencies between jobs, unique keys,
 * per-job environment and exit-code retry policy, and the `cancelled` state.
 */
const migration002 = `
ALTER TABLE jobs ADD COLUMN unique_key TEXT;
ALTER TABLE jobs ADD COLUMN env TEXT;
ALTER TABLE jobs ADD COLUMN retry_on TEXT;
ALTER TABLE jobs ADD COLUMN no_retry_on TEXT;
-- How many of the job's dependencies have not completed yet; claimable only at 0.
ALTER TABLE jobs ADD COLUMN deps_pending INTEGER NOT NULL DEFAULT 0;

CREATE TABLE job_deps (
  job_seq INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
  dep_seq INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
  PRIMARY KEY (dep_seq, job_seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX job_deps_job ON job_deps (job_seq);

-- One live (not terminal) job per unique key.
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key)
  WHERE unique_key IS NOT NULL AND state NOT IN ('completed', 'dead', 'cancelled');

DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority DESC, run_at, seq)
  WHERE state IN ('pending', 'failed') AND deps_pending = 0;

CREATE TABLE queues (
  name TEXT PRIMARY KEY,
  paused INTEGER NOT NULL DEFAULT 0,
  concurrency INTEGER
) STRICT;
`;

/**
 * The claim index ordered by queue within a priority, so that a claim steps over a queue whose
 * jobs it may not take (paused, at its limit, not served) with one seek instead of a walk over
 * its rows (src/store/sqlite/claim_index.ts).
 */
const migration003 = `
DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority DESC, queue, run_at, seq)
  WHERE state IN ('pending', 'failed') AND deps_pending = 0;
`;

/**
 * How many ended jobs (completed, dead, cancelled) each queue holds, so that `status` and
 * `queue list` need not count them: they are nearly every row of a long-lived table, and
 * counting them read it all (64 ms of `status` and 0.7 s of `queue list` at 1,000,000 jobs).
 * Triggers keep the counts in the transaction of every UPDATE and DELETE. A job inserted ended
 * (enqueued after a dependency that ended dead or cancelled) is counted by the store: an
 * AFTER INSERT trigger, even one whose WHEN is false, made `enqueue --file` 1.7× slower.
 */
const migration004 = `
CREATE TABLE ended_counts (
  queue TEXT NOT NULL,
  state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (queue, state)
) STRICT, WITHOUT ROWID;

INSERT INTO ended_counts (queue, state, n)
  SELECT queue, state, count(*) FROM jobs WHERE state IN ('completed', 'dead', 'cancelled')
  GROUP BY queue, state;

CREATE TRIGGER jobs_ended_update AFTER UPDATE OF state ON jobs
  WHEN OLD.state IS NOT NEW.state
    AND (OLD.state IN ('completed', 'dead', 'cancelled')
         OR NEW.state IN ('completed', 'dead', 'cancelled'))
BEGIN
  UPDATE ended_counts SET n = n - 1 WHERE queue = OLD.queue AND state = OLD.state;
  INSERT INTO ended_counts (queue, state, n)
    SELECT NEW.queue, NEW.state, 1 WHERE NEW.state IN ('completed', 'dead', 'cancelled')
    ON CONFLICT (queue, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER jobs_ended_delete AFTER DELETE ON jobs
  WHEN OLD.state IN ('completed', 'dead', 'cancelled')
BEGIN
  UPDATE ended_counts SET n = n - 1 WHERE queue = OLD.queue AND state = OLD.state;
END;
`;

/**
 * Worker ids never reused: without AUTOINCREMENT, a worker registered after the highest-id row
 * was deleted (a lost worker pruned) took that id, and with it the lost worker's jobs (its
 * heartbeat renewed their leases, so they were never recovered) and any stalled process's
 * updates meant for the old row. SQLite cannot add AUTOINCREMENT in place: the table is rebuilt
 * (no foreign key, index, trigger or view refers to it). The sequence starts above every id
 * seen, in `workers` and in `jobs.worker_id`, which may name a worker whose row is gone.
 */
const migration005 = `
CREATE TABLE workers_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  proc_start TEXT,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  queues TEXT,
  concurrency INTEGER NOT NULL DEFAULT 1,
  stop_request INTEGER NOT NULL DEFAULT 0,
  wake_socket TEXT
) STRICT;

INSERT INTO workers_new (id, host, pid, proc_start, started_at, heartbeat_at, queues,
                         concurrency, stop_request, wake_socket)
  SELECT id, host, pid, proc_start, started_at, heartbeat_at, queues, concurrency, stop_request,
         wake_socket
  FROM workers;

DROP TABLE workers;
ALTER TABLE workers_new RENAME TO workers;

DELETE FROM sqlite_sequence WHERE name IN ('workers', 'workers_new');
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'workers', max(coalesce((SELECT max(id) FROM workers), 0),
                        coalesce((SELECT max(worker_id) FROM jobs), 0));
`;

/**
 * Which job's end cancelled a job in a cascade: the seq of the job that ended dead (or was
 * cancelled) at the root of it, so that `dlq retry` of that job revives its victims. NULL for a
 * job cancelled by the user, and for every job cancelled before this migration: their cause is
 * known only from the text of `last_error`, which is not parsed. No foreign key: the root is a
 * dependency of the job, enqueued before it, so its seq is lower and never reused while the job
 * exists. The index serves `dlq retry`; it holds only cascade victims.
 */
const migration006 = `
ALTER TABLE jobs ADD COLUMN cancelled_by INTEGER;
CREATE INDEX jobs_cancelled_by ON jobs (cancelled_by) WHERE cancelled_by IS NOT NULL;
`;

/**
 * A job's `after` ids as given, in a column of its own: they were read through `job_deps`, whose
 * edge to a dependency goes with it when `prune` (or `retention`) deletes it, so a pending job's
 * `after` lost the id of a completed dependency that was pruned. The edges stay as they are:
 * only unfinished dependencies matter to `deps_pending` and the cascades, and a pruned one had
 * completed. Jobs whose dependencies were pruned before this migration keep only the rest.
 */
const migration007 = `
ALTER TABLE jobs ADD COLUMN after_ids TEXT;
UPDATE jobs SET after_ids = (SELECT json_group_array(d.id)
                             FROM job_deps jd JOIN jobs d ON d.seq = jd.dep_seq
                             WHERE jd.job_seq = jobs.seq)
  WHERE seq IN (SELECT job_seq FROM job_deps);
`;

/**
 * Whether a worker runs with `--burst`: it waits for the ends of jobs that other workers run, so
 * they poke it at each end (`worker list` shows it too). A worker registered by an older
 * queuectl is not one.
 */
const migration008 = `
ALTER TABLE workers ADD COLUMN burst INTEGER NOT NULL DEFAULT 0;
`;

/**
 * A running job that `cancel` cancelled keeps its lease until its command is gone: killed by the
 * cancel or by its worker, or its lease run out. Until then it holds its slot of a limited queue
 * (claim_index.ts), so that no job of the queue starts beside a command still ending (a SIGTERM
 * handler may run up to `kill_grace`). The index serves that count; it holds only such jobs.
 */
const migration009 = `
CREATE INDEX jobs_cancel_held ON jobs (queue, lease_expires_at)
  WHERE state = 'cancelled' AND lease_expires_at IS NOT NULL;
`;

/**
 * A running attempt's lease also by the worker host's CLOCK_MONOTONIC, which neither a suspend
 * nor a step of the wall clock moves. After a laptop's lid is opened or NTP steps the clock
 * forward, every lease looks expired by the wall clock, and the first worker to look recovered
 * (killed, and counted as failed) the jobs of every other live worker on the host. On the
 * worker's own host, recovery now also asks this clock (recovery.ts). NULL where it is unknown
 * (not Linux, an older queuectl's claim): the wall clock alone decides, as before.
 */
const migration010 = `
ALTER TABLE jobs ADD COLUMN lease_expires_mono INTEGER;
`;

export const MIGRATIONS: readonly string[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
