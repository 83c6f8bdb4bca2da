import { OperationalError } from "../core/errors.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import type { RemoveLogs } from "../store/store.ts";

/**
 * Bytes of a directory's size per entry, fewer than any file system here gives a job's log
 * (ext4 ~28, tmpfs 20): the size over it overestimates the entries, never underestimates them
 * by much. A size says nothing of a file system that does not grow it with entries; only the
 * cost of the choice below depends on it, never what is removed.
 */
const DIRECTORY_BYTES_PER_ENTRY = 20;
/**
 * A failed unlink (a NotFound thrown and caught) costs about as much as listing 3 entries
 * (~25 µs against ~8 µs an entry, measured with 100,000 of each).
 */
const ENTRIES_PER_UNLINK = 3;

/**
 * The `removeLogs` of an enqueue (Store.enqueueJob, enqueueBatch), for `namedJobs` jobs with ids
 * of the user's: it removes `logs/<id>.log` left by an earlier job of that id (its prune could
 * not remove it, or an older version's prune was killed between its commit and the unlink), so
 * that `logs` does not show that job's attempts as the new one's. Such a log is rare, and an
 * unlink that finds nothing costs `enqueue --file` more than the insert (~25 µs a job, where
 * the whole enqueue takes ~10): when listing the logs directory once costs less (judged by its
 * size), only the ids listed in it are unlinked. Nothing can add a log for these ids while the
 * enqueue's transaction is open (they have no job), so the list stays true until it commits.
 * A log that cannot be removed refuses the enqueue: the job would read it as its own.
 */
export function staleLogRemover(layout: HomeLayout, namedJobs: number): RemoveLogs {
  let listed: Set<string> | null | undefined;
  return (ids) => {
    listed ??= listedLogs(layout.logs, namedJobs);
    if (listed?.size === 0) return;
    for (const id of ids) {
      if (listed === null || listed.has(`${id}.log`)) removeStaleLog(layout, id);
    }
  };
}

/** The names in the logs directory, or null when unlinking each id costs less than listing. */
function listedLogs(directory: string, namedJobs: number): Set<string> | null {
  let size: number;
  try {
    const info = Deno.statSync(directory);
    if (!info.isDirectory) return new Set();
    size = info.size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Set();
    // Unlinking says what is wrong, if anything is.
    return null;
  }
  if (size / DIRECTORY_BYTES_PER_ENTRY > namedJobs * ENTRIES_PER_UNLINK) return null;
  try {
    return new Set(Array.from(Deno.readDirSync(directory), (entry) => entry.name));
  } catch {
    return null;
  }
}

function removeStaleLog(layout: HomeLayout, id: string): void {
  const path = jobLogPath(layout, id);
  try {
    Deno.removeSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new OperationalError(
      `Cannot remove ${path}, left by an earlier job with id "${id}": ${
        osErrorReason(error)
      }: remove it, or give the job another id`,
    );
  }
}
