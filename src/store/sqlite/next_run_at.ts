import { CLAIMABLE_PRIORITIES } from "./claimable_priorities.ts";

/**
 * When an idle worker should claim again: the earliest `run_at` after :now of a job that a claim
 * by a worker serving :queues (a JSON array, or NULL for every queue) could take once it is due
 * (pending, or failed with a retry scheduled; no pending dependency; its queue not paused).
 * `next` is NULL when there is none.
 *
 * A plain `min(run_at)` over those rows reads every waiting row and its table row: 30 ms with
 * 100,000 jobs delayed by an hour, paid by every idle worker on every enqueue's wake-up. This
 * reads a few index entries instead, because `jobs_claim` is ordered by (priority DESC, run_at,
 * seq): within one priority, the first row with `run_at > :now` is a seek. That row may be in a
 * paused queue or in a queue the worker does not serve, so each priority's subquery keeps the
 * filters in its WHERE and walks that priority's rows in run_at order until one passes
 * (ORDER BY run_at LIMIT 1). So: step through the priorities of waiting jobs through the index
 * (a seek each), take each one's first passing run_at, and the least of those. Past 16
 * priorities the rest are read whole, so that a priority per job costs no more than the plain
 * query. The `state IN ... AND deps_pending = 0` of every step is `jobs_claim`'s own condition,
 * which lets SQLite use that partial index. Measured with those 100,000 delayed jobs: 0.08 ms.
 * A worker whose queues hold none of them still walks them all (19 ms; the plain query 23 ms):
 * no index orders claimable rows by queue.
 */
export const NEXT_RUN_AT = `
WITH RECURSIVE ${CLAIMABLE_PRIORITIES},
candidates (run_at) AS (
  SELECT (SELECT j.run_at FROM jobs j INDEXED BY jobs_claim
          WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
            AND j.priority = p.priority AND j.run_at > :now
            AND (:queues IS NULL OR j.queue IN (SELECT value FROM json_each(:queues)))
            AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = j.queue AND q.paused = 1)
          ORDER BY j.run_at LIMIT 1)
  FROM priorities p WHERE p.priority IS NOT NULL
  UNION ALL
  SELECT min(j.run_at) FROM jobs j INDEXED BY jobs_claim
  WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
    AND j.priority < (SELECT min(priority) FROM priorities) AND j.run_at > :now
    AND (:queues IS NULL OR j.queue IN (SELECT value FROM json_each(:queues)))
    AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = j.queue AND q.paused = 1)
)
SELECT min(run_at) AS next FROM candidates`;
