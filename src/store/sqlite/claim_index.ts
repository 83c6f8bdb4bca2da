/**
 * The queries that step through `jobs_claim` (the claim, an idle worker's next look, status's
 * longest wait, the freed-slot check), and the stepping they share, in one module: each module
 * costs every process of the source form ~0.4 ms to load.
 *
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

import { stopRequestCode } from "./rows.ts";

/** `jobs_claim`'s own condition, on `jobs j`. */
const CLAIMABLE = "j.state IN ('pending', 'failed') AND j.deps_pending = 0";

/**
 * Whether a worker serving :queues (a JSON array, or NULL for every queue) may take jobs of
 * `queue` but for its concurrency limit: one of its queues, and not paused.
 */
function queueOpen(queue: string): string {
  return `(:queues IS NULL OR ${queue} IN (SELECT value FROM json_each(:queues)))
    AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = ${queue} AND q.paused = 1)`;
}

/** How many step rows a query reads one seek at a time before walking the rest. */
export const PAIR_STEPS = 32;

/** The highest priority of a claimable job, or NULL: the first step's priority. */
const FIRST_PRIORITY = `(SELECT j.priority FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} ORDER BY j.priority DESC LIMIT 1)`;

/** The priority of the step after step `s`: its own while a queue follows in it, else the next. */
function nextPriority(s: string): string {
  return `CASE WHEN ${s}.queue IS NULL OR EXISTS (
            SELECT 1 FROM jobs j INDEXED BY jobs_claim
            WHERE ${CLAIMABLE} AND j.priority = ${s}.priority AND j.queue > ${s}.queue)
          THEN ${s}.priority
          ELSE (SELECT j.priority FROM jobs j INDEXED BY jobs_claim
                WHERE ${CLAIMABLE} AND j.priority < ${s}.priority
                ORDER BY j.priority DESC LIMIT 1) END`;
}

/** The queue of the step after step `s`: the next in its priority, NULL when the priority ends. */
function nextQueue(s: string): string {
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
function pastLastPair(l: string): { samePriority: string; lowerPriorities: string } {
  return {
    samePriority: `j.priority = ${l}.priority AND j.queue > ${l}.queue`,
    lowerPriorities: `j.priority < ${l}.priority + (${l}.queue IS NULL)`,
  };
}

/** The rest walks of the queries below, past their last step `l`. */
const REST = pastLastPair("l");

/**
 * On `jobs c`, a running job that was cancelled while its command may still run at :now (a
 * SIGTERM handler ends it, up to `kill_grace`): it keeps its lease, and holds a slot of its queue,
 * until its command is seen gone (migration 9) or the lease runs out. `jobs_cancel_held` holds
 * only such jobs.
 */
const HELD_SLOT = `c.state = 'cancelled' AND c.lease_expires_at IS NOT NULL
  AND c.lease_expires_at > :now`;

/** How many slots of `queue` are taken at :now: its processing jobs, and its HELD_SLOTs. */
function slotsTaken(queue: string): string {
  return `((SELECT count(*) FROM jobs p WHERE p.state = 'processing' AND p.queue = ${queue})
          + (SELECT count(*) FROM jobs c INDEXED BY jobs_cancel_held
             WHERE ${HELD_SLOT} AND c.queue = ${queue}))`;
}

/** Rows (queue, n): the slots held at :now by cancelled jobs (HELD_SLOT), as the claim counts. */
export const HELD_SLOTS_BY_QUEUE = `
SELECT c.queue, count(*) AS n FROM jobs c INDEXED BY jobs_cancel_held
WHERE ${HELD_SLOT} GROUP BY c.queue`;

/**
 * Whether a claim by a worker serving :queues may take jobs of `queue`: open to it, and under
 * its concurrency limit (slotsTaken).
 */
function queueTakeable(queue: string): string {
  return `${queueOpen(queue)}
            AND NOT EXISTS (
              SELECT 1 FROM queues q
              WHERE q.name = ${queue} AND q.concurrency <= ${slotsTaken(queue)})`;
}

/** A row of `jobs j` that the claim may take: due, and its queue takeable. */
const TAKEABLE = `j.run_at <= :now AND ${queueTakeable("j.queue")}`;

/**
 * A recursive CTE, `steps (priority, queue, seq, found, n)`: the claim's steps through
 * `jobs_claim` (above), at most PAIR_STEPS of them. Row n holds, in `seq`, the
 * candidate of row n-1's pair: its first due job when the worker may take its queue's jobs; in
 * `found`, whether an earlier row holds one. The steps end at the start of the first priority
 * after one that has a candidate: no lower priority can hold the job to take.
 */
export const CLAIM_STEPS = `
steps (priority, queue, seq, found, n) AS (
  SELECT ${FIRST_PRIORITY}, NULL, NULL, 0, 1
  UNION ALL
  SELECT ${nextPriority("s")}, ${nextQueue("s")},
         CASE WHEN s.queue IS NOT NULL AND ${queueTakeable("s.queue")}
         THEN (SELECT j.seq FROM jobs j INDEXED BY jobs_claim
               WHERE ${CLAIMABLE} AND j.priority = s.priority AND j.queue = s.queue
                 AND j.run_at <= :now
               ORDER BY j.run_at, j.seq LIMIT 1) END,
         s.found OR s.seq IS NOT NULL,
         s.n + 1
  FROM steps s
  WHERE s.priority IS NOT NULL AND s.n < ${PAIR_STEPS}
    AND NOT (s.queue IS NULL AND (s.found OR s.seq IS NOT NULL))
)`;

/**
 * The `seq` of the job a claim takes: the first takeable job in (priority DESC, run_at, seq)
 * order, or NULL.
 *
 * Walking `jobs_claim` in that order with the filters applied row by row reads every row it
 * steps over: every delayed job when nothing is due (5.7–7.4 ms with 100,000 jobs delayed by an
 * hour, paid by an idle worker on every wake-up), and every due job of a paused queue or of one
 * at its concurrency limit (38 and 96 ms per claim with 100,000 of them, all claims waiting on
 * it). So this steps through the index a (priority, queue) pair at a time (above):
 * a pair's queue is checked once, and only a takeable one's first due job is read, a seek. The
 * candidates of one priority are compared by (run_at, seq); the first priority that has one
 * ends the steps (CLAIM_STEPS). Past PAIR_STEPS rows the rest of the index is walked as before,
 * from the last row's pair on, so that a priority or a queue per job costs no more than the walk.
 */
export const CLAIMED_JOB_SEQ = `
WITH RECURSIVE ${CLAIM_STEPS},
last (priority, queue, found) AS (
  SELECT priority, queue, found OR seq IS NOT NULL FROM steps
  WHERE n = ${PAIR_STEPS} AND priority IS NOT NULL
    AND NOT (queue IS NULL AND (found OR seq IS NOT NULL))
),
candidates (seq) AS (
  SELECT seq FROM steps WHERE seq IS NOT NULL
  UNION ALL
  SELECT (SELECT j.seq FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} AND j.priority = l.priority AND j.queue >= l.queue AND ${TAKEABLE}
          ORDER BY j.run_at, j.seq LIMIT 1)
  FROM last l WHERE l.queue IS NOT NULL
  UNION ALL
  SELECT (SELECT j.seq FROM jobs j INDEXED BY jobs_claim
          WHERE ${CLAIMABLE} AND j.priority < l.priority + (l.queue IS NULL) AND ${TAKEABLE}
          ORDER BY j.priority DESC, j.run_at, j.seq LIMIT 1)
  FROM last l WHERE NOT l.found
)
SELECT taken.seq FROM candidates c JOIN jobs taken ON taken.seq = c.seq
ORDER BY taken.priority DESC, taken.run_at, taken.seq LIMIT 1`;

/**
 * When an idle worker should claim again: the earliest `run_at` after :now of a job that a claim
 * by a worker serving :queues (a JSON array, or NULL for every queue) could take once it is due
 * (pending, or failed with a retry scheduled; no pending dependency; its queue not paused).
 * `next` is NULL when there is none.
 *
 * A plain `min(run_at)` over those rows reads every waiting row and its table row: 30 ms with
 * 100,000 jobs delayed by an hour, paid by every idle worker on every enqueue's wake-up. This
 * steps through `jobs_claim` a (priority, queue) pair at a time (above), checks
 * each pair's queue once, and in an open one seeks its first row after :now: the least of those
 * is the answer. Past the steps the rest is read whole, so that a priority or a queue per job
 * costs no more than the plain query. Measured with those 100,000 delayed jobs: 0.08 ms, also
 * for a worker whose queues hold none of them (19 ms when the index was not ordered by queue).
 * The end of a lease that holds a slot for a cancelled job (slotsTaken) counts too: a slot freed
 * so, when the cancel could not release it, is no commit that would wake an idle worker.
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
  UNION ALL
  SELECT min(c.lease_expires_at) FROM jobs c INDEXED BY jobs_cancel_held
  WHERE ${HELD_SLOT} AND ${queueOpen("c.queue")}
)
SELECT min(run_at) AS next FROM candidates`;

/**
 * The due job that has waited longest for a worker at :now, as `status` reports it: among jobs
 * that a claim could take but for their queue (pending, or failed with the retry due; no
 * pending dependency; `run_at <= :now`), the one that became due first, due meaning
 * `max(created_at, run_at)`. Ties go to the older job. No row: no job is due.
 *
 * A plain `min(max(created_at, run_at))` over `jobs_claim` reads every due row and its table
 * row: 39 ms with 100,000 due jobs. This reads a few index entries instead, because within one
 * (priority, queue) pair `jobs_claim` is ordered by run_at (above) and a job's due
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

/**
 * Whether :queue has a free slot under its concurrency limit and a due job to fill it (a queue
 * without a limit has no slot to free: no row, or a NULL concurrency, selects nothing). The
 * slot is checked first, so that a drain whose claim took the slot back stops there. The due
 * job is looked for a (priority, queue) pair at a time (above): a seek in each of
 * the queue's pairs, not a walk over other queues' due jobs (16 ms with 100,000 of them, inside
 * the transaction that records a job's end, when the index was not ordered by queue).
 */
export const FREE_SLOT_CLAIMABLE = `
WITH RECURSIVE ${CLAIMABLE_PAIRS}
SELECT 1 FROM queues q
WHERE q.name = :queue AND q.paused = 0
  AND q.concurrency > ${slotsTaken("q.name")}
  AND (EXISTS (
         SELECT 1 FROM pairs p CROSS JOIN jobs j INDEXED BY jobs_claim
         WHERE p.queue = q.name
           AND ${CLAIMABLE} AND j.priority = p.priority AND j.queue = p.queue AND j.run_at <= :now)
       OR EXISTS (
         SELECT 1 FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
         WHERE l.n = ${PAIR_STEPS} AND l.queue IS NOT NULL
           AND ${CLAIMABLE} AND ${REST.samePriority} AND j.queue = q.name AND j.run_at <= :now)
       OR EXISTS (
         SELECT 1 FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
         WHERE l.n = ${PAIR_STEPS} AND l.priority IS NOT NULL
           AND ${CLAIMABLE} AND ${REST.lowerPriorities} AND j.queue = q.name
           AND j.run_at <= :now))`;

/**
 * On `jobs j`, a job that ends without anyone acting: running, or in `jobs_claim` in a queue that
 * is not paused and that a worker not stopping serves (its `queues` are comma-separated).
 */
const CAN_END = `(j.state = 'processing'
  OR (${CLAIMABLE}
      AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = j.queue AND q.paused = 1)
      AND EXISTS (
        SELECT 1 FROM workers w
        WHERE w.stop_request = ${stopRequestCode("none")}
          AND (w.queues IS NULL OR instr(',' || w.queues || ',', ',' || j.queue || ',') > 0))))`;

/**
 * Whether a job can still end up runnable by a worker serving :queues (a JSON array, or NULL for
 * every queue) without anyone acting, as a burst worker asks before it exits. In one of those
 * queues that is not paused, one of:
 *
 * - a job in `jobs_claim` (pending, or failed awaiting its retry; no pending dependency), due or
 *   not: a delayed job or a backoff comes due, a queue at its concurrency limit frees a slot;
 * - a `processing` job (another worker's): it may fail into a retry, or be given back;
 * - a job waiting for dependencies of which one, directly or through others, can end without
 *   anyone acting (`awaited` holds the waiting jobs and, through `job_deps`, every dependency
 *   not yet completed): `processing` anywhere, or in `jobs_claim` in a queue that is not paused and
 *   that a worker not stopping serves. A chain whose head waits in a paused queue, or in a queue
 *   no worker serves, keeps nobody.
 *
 * The tests run in that order and the first that holds ends the query (CASE). The first steps
 * through `jobs_claim` a (priority, queue) pair at a time (above), as NEXT_RUN_AT does, so a
 * paused queue's backlog costs a seek; running jobs are few. Only then are the pending jobs read
 * (`jobs_state`) for those waiting for dependencies: first their direct dependencies, read as the
 * EXISTS goes, so one job waiting for a running one costs a few rows (0.1 ms with 100,000 such
 * jobs); then through `job_deps_job` to their dependencies' dependencies, a walk whose first step
 * reads every waiting job at once (SQLite runs a recursive CTE's first SELECT whole). Measured
 * with 100,000 jobs waiting for one job in a paused queue, the answer no: 0.3 s, paid once, by the
 * worker that then exits; 15 to 40 ms per 100,000 pending jobs of paused or other queues.
 */
export const WORK_REMAINS = `
WITH RECURSIVE ${CLAIMABLE_PAIRS},
awaited (seq) AS (
  SELECT b.seq FROM jobs b INDEXED BY jobs_state
  WHERE b.state = 'pending' AND b.deps_pending > 0 AND ${queueOpen("b.queue")}
  UNION
  SELECT d.dep_seq FROM awaited a
  CROSS JOIN jobs j ON j.seq = a.seq
  JOIN job_deps d INDEXED BY job_deps_job ON d.job_seq = j.seq
  WHERE j.state = 'pending' AND j.deps_pending > 0
)
SELECT CASE
  WHEN EXISTS (SELECT 1 FROM pairs p WHERE p.queue IS NOT NULL AND ${queueOpen("p.queue")})
    THEN 1
  WHEN EXISTS (
    SELECT 1 FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
    WHERE l.n = ${PAIR_STEPS} AND l.queue IS NOT NULL
      AND ${CLAIMABLE} AND ${REST.samePriority} AND ${queueOpen("j.queue")})
    THEN 1
  WHEN EXISTS (
    SELECT 1 FROM pairs l CROSS JOIN jobs j INDEXED BY jobs_claim
    WHERE l.n = ${PAIR_STEPS} AND l.priority IS NOT NULL
      AND ${CLAIMABLE} AND ${REST.lowerPriorities} AND ${queueOpen("j.queue")})
    THEN 1
  WHEN EXISTS (
    SELECT 1 FROM jobs j INDEXED BY jobs_state
    WHERE j.state = 'processing' AND ${queueOpen("j.queue")})
    THEN 1
  WHEN EXISTS (
    SELECT 1 FROM jobs b INDEXED BY jobs_state
    CROSS JOIN job_deps d INDEXED BY job_deps_job ON d.job_seq = b.seq
    CROSS JOIN jobs j ON j.seq = d.dep_seq
    WHERE b.state = 'pending' AND b.deps_pending > 0 AND ${queueOpen("b.queue")}
      AND ${CAN_END})
    THEN 1
  WHEN EXISTS (SELECT 1 FROM awaited a CROSS JOIN jobs j ON j.seq = a.seq WHERE ${CAN_END})
    THEN 1
  ELSE 0 END AS remains`;
