/** The first schema: jobs, workers, config and counters. */
export const migration001 = `
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
