import { CLAIMABLE, CLAIMABLE_PAIRS, PAIR_STEPS, pastLastPair } from "./claimable_pairs.ts";

const REST = pastLastPair("l");

/**
 * Whether :queue has a free slot under its concurrency limit and a due job to fill it (a queue
 * without a limit has no slot to free: no row, or a NULL concurrency, selects nothing). The
 * slot is checked first, so that a drain whose claim took the slot back stops there. The due
 * job is looked for a (priority, queue) pair at a time (claimable_pairs.ts): a seek in each of
 * the queue's pairs, not a walk over other queues' due jobs (16 ms with 100,000 of them, inside
 * the transaction that records a job's end, when the index was not ordered by queue).
 */
export const FREE_SLOT_CLAIMABLE = `
WITH RECURSIVE ${CLAIMABLE_PAIRS}
SELECT 1 FROM queues q
WHERE q.name = :queue AND q.paused = 0
  AND q.concurrency > (SELECT count(*) FROM jobs p WHERE p.state = 'processing' AND p.queue = q.name)
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
