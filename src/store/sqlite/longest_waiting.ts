import { CLAIMABLE, CLAIMABLE_PAIRS, PAIR_STEPS, pastLastPair } from "./claimable_pairs.ts";

const REST = pastLastPair("l");

/**
 * The due job that has waited longest for a worker at :now, as `status` reports it: among jobs
 * that a claim could take but for their queue (pending, or failed with the retry due; no
 * pending dependency; `run_at <= :now`), the one that became due first, due meaning
 * `max(created_at, run_at)`. Ties go to the older job. No row: no job is due.
 *
 * A plain `min(max(created_at, run_at))` over `jobs_claim` reads every due row and its table
 * row: 39 ms with 100,000 due jobs. This reads a few index entries instead, because within one
 * (priority, queue) pair `jobs_claim` is ordered by run_at (claimable_pairs.ts) and a job's due
 * time is never before its run_at. Within a pair, the first due row bounds the answer (its due
 * time); only rows with `run_at` up to that bound can be due earlier, and there are none unless
 * jobs were enqueued with a `--run-at` in the past. So: step through the pairs (a seek each),
 * find each one's bound, and read the rows under it. Past the steps the rest is read whole, so
 * that a priority or a queue per job costs no more than the plain scan. CROSS JOIN keeps the
 * pairs the outer loop.
 */
export const LONGEST_WAITING_JOB = `
WITH RECURSIVE ${CLAIMABLE_PAIRS},
bounds (priority, queue, bound) AS (
  SELECT p.priority, p.queue,
         (SELECT max(j.created_at, j.run_at) FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} AND j.priority = p.priority AND j.queue = p.queue
            AND j.run_at <= :now
          ORDER BY j.run_at, j.seq LIMIT 1)
  FROM pairs p WHERE p.queue IS NOT NULL
),
candidates (seq, created_at, due_at) AS (
  SELECT j.seq, j.created_at, max(j.created_at, j.run_at)
  FROM bounds b CROSS JOIN jobs j INDEXED BY jobs_claim
  WHERE ${CLAIMABLE} AND j.priority = b.priority AND j.queue = b.queue
    AND j.run_at <= min(b.bound, :now)
  UNION ALL
  SELECT j.seq, j.created_at, max(j.created_at, j.run_at)
  FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
  WHERE l.n = ${PAIR_STEPS} AND l.queue IS NOT NULL
    AND ${CLAIMABLE} AND ${REST.samePriority} AND j.run_at <= :now
  UNION ALL
  SELECT j.seq, j.created_at, max(j.created_at, j.run_at)
  FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
  WHERE l.n = ${PAIR_STEPS} AND l.priority IS NOT NULL
    AND ${CLAIMABLE} AND ${REST.lowerPriorities} AND j.run_at <= :now
)
SELECT created_at, due_at FROM candidates ORDER BY due_at, seq LIMIT 1`;
