/**
 * Named queues with pause and concurrency limits, dependencies between jobs, unique keys,
 * per-job environment and exit-code retry policy, and the `cancelled` state.
 */
export const migration002 = `
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
