/**
 * Job counts without reading every row: the jobs still in play (pending, processing, failed) are
 * counted through the `jobs_state` index, a backlog's worth of entries; the ended ones, nearly
 * every row of a long-lived table, come from `ended_counts`, which triggers keep (migration 4).
 */

/** Rows (state, n), a state possibly twice (its live count, or its ended count). */
export const STATE_COUNTS = `
SELECT state, count(*) AS n FROM jobs
WHERE state IN ('pending', 'processing', 'failed') GROUP BY state
UNION ALL
SELECT state, sum(n) FROM ended_counts GROUP BY state`;

/** Rows (queue, state, n), one per queue and state that has jobs. */
export const QUEUE_STATE_COUNTS = `
SELECT queue, state, count(*) AS n FROM jobs
WHERE state IN ('pending', 'processing', 'failed') GROUP BY queue, state
UNION ALL
SELECT queue, state, n FROM ended_counts WHERE n > 0`;

/**
 * Counts a job inserted ended (a job enqueued after a dependency that ended dead or cancelled
 * is inserted cancelled): the triggers count updates and deletes only, since an insert trigger
 * slowed every insert.
 */
export const COUNT_INSERTED_ENDED = `
INSERT INTO ended_counts (queue, state, n) VALUES (:queue, :state, 1)
ON CONFLICT (queue, state) DO UPDATE SET n = n + 1`;
