/**
 * A recursive CTE, `priorities (priority, n)`: the distinct priorities of claimable jobs (pending
 * or failed, no pending dependency), highest first, at most 16, each found by one seek of
 * `jobs_claim` past the one before; a row with a NULL priority ends them early. Queries that
 * step through priorities instead of walking the whole index (longest_waiting.ts,
 * next_run_at.ts) start from it and read the priorities below its last one in one walk, so that a
 * priority per job costs no more than that walk. Each step repeats `jobs_claim`'s condition,
 * which lets SQLite use that partial index.
 */
export const CLAIMABLE_PRIORITIES = `
priorities (priority, n) AS (
  SELECT (SELECT j.priority FROM jobs j INDEXED BY jobs_claim
          WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
          ORDER BY j.priority DESC LIMIT 1), 1
  UNION ALL
  SELECT (SELECT j.priority FROM jobs j INDEXED BY jobs_claim
          WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0 AND j.priority < p.priority
          ORDER BY j.priority DESC LIMIT 1), p.n + 1
  FROM priorities p WHERE p.priority IS NOT NULL AND p.n < 16
)`;
