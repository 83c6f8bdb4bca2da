import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { ExistingDataStore, PruneSelection } from "../store/store.ts";

const CHUNK = 2_000;

/**
 * Deletes terminal jobs finished before a time, with their log files, in chunks of one short
 * transaction each (workers keep claiming in between). Returns how many were deleted. A chunk's
 * logs are removed before its deletion commits: a prune killed in between (Ctrl-C, a worker's
 * retention SIGKILLed) leaves jobs without their logs, deleted by the next prune, never a log
 * without its job, which the next job enqueued with the same `--id` would read as its own.
 */
export async function pruneTerminalJobs(
  store: ExistingDataStore,
  layout: HomeLayout,
  selection: PruneSelection,
  maxJobs = Infinity,
): Promise<number> {
  let deleted = 0;
  while (deleted < maxJobs) {
    const ids = await store.pruneJobs(
      { ...selection, limit: Math.min(CHUNK, maxJobs - deleted) },
      (ids) => removeLogs(layout, ids),
    );
    deleted += ids.length;
    if (ids.length === 0) break;
  }
  return deleted;
}

function removeLogs(layout: HomeLayout, ids: readonly string[]): void {
  for (const id of ids) {
    try {
      Deno.removeSync(jobLogPath(layout, id));
    } catch {
      // Never written (the job never started), gone already, or not removable: the job goes
      // all the same, as it always did.
    }
  }
}
