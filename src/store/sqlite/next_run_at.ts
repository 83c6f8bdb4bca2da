import {
  CLAIMABLE,
  CLAIMABLE_PAIRS,
  PAIR_STEPS,
  pastLastPair,
  queueOpen,
} from "./claimable_pairs.ts";

const REST = pastLastPair("l");

/**
 * When an idle worker should claim again: the earliest `run_at` after :now of a job that a claim
 * by a worker serving :queues (a JSON array, or NULL for every queue) could take once it is due
 * (pending, or failed with a retry scheduled; no pending dependency; its queue not paused).
 * `next` is NULL when there is none.
 *
 * A plain `min(run_at)` over those rows reads every waiting row and its table row: 30 ms with
 * 100,000 jobs delayed by an hour, paid by every idle worker on every enqueue's wake-up. This
 * steps through `jobs_claim` a (priority, queue) pair at a time (claimable_pairs.ts), checks
 * each pair's queue once, and in an open one seeks its first row after :now: the least of those
 * is the answer. Past the steps the rest is read whole, so that a priority or a queue per job
 * costs no more than the plain query. Measured with those 100,000 delayed jobs: 0.08 ms, also
 * for a worker whose queues hold none of them (19 ms when the index was not ordered by queue).
 */
export const NEXT_RUN_AT = `
WITH RECURSIVE ${CLAIMABLE_PAIRS},
candidates (run_at) AS (
  SELECT CASE WHEN ${queueOpen("p.queue")}
         THEN (SELECT j.run_at FROM jobs j INDEXED BY jobs_claim
               WHERE ${CLAIMABLE} AND j.priority = p.priority AND j.queue = p.queue
                 AND j.run_at > :now
               ORDER BY j.run_at LIMIT 1) END
  FROM pairs p WHERE p.queue IS NOT NULL
  UNION ALL
  SELECT (SELECT min(j.run_at) FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} AND ${REST.samePriority} AND j.run_at > :now
            AND ${queueOpen("j.queue")})
  FROM pairs l WHERE l.n = ${PAIR_STEPS} AND l.queue IS NOT NULL
  UNION ALL
  SELECT (SELECT min(j.run_at) FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} AND ${REST.lowerPriorities} AND j.run_at > :now
            AND ${queueOpen("j.queue")})
  FROM pairs l WHERE l.n = ${PAIR_STEPS} AND l.priority IS NOT NULL
)
SELECT min(run_at) AS next FROM candidates`;
