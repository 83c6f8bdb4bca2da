import type { JobState } from "../core/job_state.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { ExistingDataStore } from "../store/store.ts";

const CHUNK = 2_000;

/**
 * Deletes terminal jobs finished before a time, with their log files, in chunks of one short
 * transaction each (workers keep claiming in between). Returns how many were deleted.
 */
export async function pruneTerminalJobs(
  store: ExistingDataStore,
  layout: HomeLayout,
  states: readonly JobState[],
  finishedBefore: number,
  maxJobs = Infinity,
): Promise<number> {
  let deleted = 0;
  while (deleted < maxJobs) {
    const ids = await store.pruneJobs({
      states,
      finishedBefore,
      limit: Math.min(CHUNK, maxJobs - deleted),
    });
    for (const id of ids) {
      await Deno.remove(jobLogPath(layout, id)).catch(() => {});
    }
    deleted += ids.length;
    if (ids.length === 0) break;
  }
  return deleted;
}
