/**
 * The claim index ordered by queue within a priority, so that a claim steps over a queue whose
 * jobs it may not take (paused, at its limit, not served) with one seek instead of a walk over
 * its rows (src/store/sqlite/claimable_pairs.ts).
 */
export const migration003 = `
DROP INDEX jobs_claim;
CREATE INDEX jobs_claim ON jobs (priority DESC, queue, run_at, seq)
  WHERE state IN ('pending', 'failed') AND deps_pending = 0;
`;
