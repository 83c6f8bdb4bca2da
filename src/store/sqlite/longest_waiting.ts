import { CLAIMABLE_PRIORITIES } from "./claimable_priorities.ts";

/**
 * The due job that has waited longest for a worker at :now, as `status` reports it: among jobs
 * that a claim could take but for their queue (pending, or failed with the retry due; no
 * pending dependency; `run_at <= :now`), the one that became due first, due meaning
 * `max(created_at, run_at)`. Ties go to the older job. No row: no job is due.
 *
 * A plain `min(max(created_at, run_at))` over `jobs_claim` reads every due row and its table
 * row: 39 ms with 100,000 due jobs. This reads a few index entries instead, because
 * `jobs_claim` is ordered by (priority DESC, run_at, seq) and a job's due time is never before
 * its run_at. Within one priority, the first due row in that order bounds the answer (its due
 * time); only rows with `run_at` up to that bound can be due earlier, and there are none unless
 * jobs were enqueued with a `--run-at` in the past. So: step through the priorities of waiting
 * jobs through the index (a seek each), find each one's bound, and read the rows under it. Past
 * 16 priorities the rest are read whole, so that a priority per job costs no more than the plain
 * scan. The `state IN ... AND deps_pending = 0` of every step is `jobs_claim`'s own condition,
 * which lets SQLite use that partial index; CROSS JOIN keeps the priorities the outer loop.
 */
export const LONGEST_WAITING_JOB = `
WITH RECURSIVE ${CLAIMABLE_PRIORITIES},
bounds (priority, bound) AS (
  SELECT p.priority, (SELECT max(j.created_at, j.run_at) FROM jobs j INDEXED BY jobs_claim
                      WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
                        AND j.priority = p.priority AND j.run_at <= :now
                      ORDER BY j.run_at, j.seq LIMIT 1)
  FROM priorities p WHERE p.priority IS NOT NULL
),
candidates (seq, created_at, due_at) AS (
  SELECT j.seq, j.created_at, max(j.created_at, j.run_at)
  FROM bounds b CROSS JOIN jobs j INDEXED BY jobs_claim
  WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
    AND j.priority = b.priority AND j.run_at <= min(b.bound, :now)
  UNION ALL
  SELECT j.seq, j.created_at, max(j.created_at, j.run_at) FROM jobs j INDEXED BY jobs_claim
  WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
    AND j.priority < (SELECT min(priority) FROM bounds) AND j.run_at <= :now
)
SELECT created_at, due_at FROM candidates ORDER BY due_at, seq LIMIT 1`;
