/**
 * Stepping through `jobs_claim`, which is ordered by (priority DESC, queue, run_at, seq) over the
 * claimable jobs (pending or failed, no pending dependency), one (priority, queue) pair at a
 * time: each step is a seek, so that the queries built on it read a few index entries per pair
 * instead of walking rows that they would only step over (a paused queue's backlog, a delayed
 * one, another queue's). Within one pair the index is ordered by run_at, so the rows due at a
 * time, or the first one after it, are a seek too.
 *
 * A step is a row (priority, queue): (p, NULL) starts priority p, (p, q) is the pair, and a NULL
 * priority ends the steps. Each query stops after PAIR_STEPS rows and reads the rows past the
 * last one in one walk, so that a priority or a queue per job costs no more than that walk.
 * Every subquery repeats `jobs_claim`'s condition, which lets SQLite use that partial index, and
 * names it (INDEXED BY): without table statistics SQLite's planner may prefer another index.
 */

/** `jobs_claim`'s own condition, on `jobs j`. */
export const CLAIMABLE = "j.state IN ('pending', 'failed') AND j.deps_pending = 0";

/**
 * Whether a worker serving :queues (a JSON array, or NULL for every queue) may take jobs of
 * `queue` but for its concurrency limit: one of its queues, and not paused.
 */
export function queueOpen(queue: string): string {
  return `(:queues IS NULL OR ${queue} IN (SELECT value FROM json_each(:queues)))
    AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = ${queue} AND q.paused = 1)`;
}

/** How many step rows a query reads one seek at a time before walking the rest. */
export const PAIR_STEPS = 32;

/** The highest priority of a claimable job, or NULL: the first step's priority. */
export const FIRST_PRIORITY = `(SELECT j.priority FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} ORDER BY j.priority DESC LIMIT 1)`;

/** The priority of the step after step `s`: its own while a queue follows in it, else the next. */
export function nextPriority(s: string): string {
  return `CASE WHEN ${s}.queue IS NULL OR EXISTS (
            SELECT 1 FROM jobs j INDEXED BY jobs_claim
            WHERE ${CLAIMABLE} AND j.priority = ${s}.priority AND j.queue > ${s}.queue)
          THEN ${s}.priority
          ELSE (SELECT j.priority FROM jobs j INDEXED BY jobs_claim
                WHERE ${CLAIMABLE} AND j.priority < ${s}.priority
                ORDER BY j.priority DESC LIMIT 1) END`;
}

/** The queue of the step after step `s`: the next in its priority, NULL when the priority ends. */
export function nextQueue(s: string): string {
  return `CASE WHEN ${s}.queue IS NULL
          THEN (SELECT j.queue FROM jobs j INDEXED BY jobs_claim
                WHERE ${CLAIMABLE} AND j.priority = ${s}.priority ORDER BY j.queue LIMIT 1)
          ELSE (SELECT j.queue FROM jobs j INDEXED BY jobs_claim
                WHERE ${CLAIMABLE} AND j.priority = ${s}.priority AND j.queue > ${s}.queue
                ORDER BY j.queue LIMIT 1) END`;
}

/**
 * A recursive CTE, `pairs (priority, queue, n)`: every step (see above) in index order, at most
 * PAIR_STEPS of them. Its rows with a queue are the pairs; the row `n = PAIR_STEPS`, when its
 * priority is not NULL, is where the walk of the rest starts (pastLastPair).
 */
export const CLAIMABLE_PAIRS = `
pairs (priority, queue, n) AS (
  SELECT ${FIRST_PRIORITY}, NULL, 1
  UNION ALL
  SELECT ${nextPriority("p")}, ${nextQueue("p")}, p.n + 1
  FROM pairs p WHERE p.priority IS NOT NULL AND p.n < ${PAIR_STEPS}
)`;

/**
 * On `jobs j` and the last step `l` of CLAIMABLE_PAIRS, the two index ranges past it, to be
 * walked when the steps stopped short: the rest of its priority, and every lower priority. When
 * `l` starts its priority (no queue), the second range holds all of it: priorities are integers.
 */
export function pastLastPair(l: string): { samePriority: string; lowerPriorities: string } {
  return {
    samePriority: `j.priority = ${l}.priority AND j.queue > ${l}.queue`,
    lowerPriorities: `j.priority < ${l}.priority + (${l}.queue IS NULL)`,
  };
}
