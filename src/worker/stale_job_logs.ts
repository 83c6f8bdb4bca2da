import { OperationalError } from "../core/errors.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import type { RemoveLogs } from "../store/store.ts";
import type { UnlinkFile } from "./libc_unlink.ts";

/**
 * Bytes of a directory's size per entry, fewer than any file system here gives a job's log
 * (ext4 ~28, tmpfs 20): the size over it overestimates the entries, never underestimates them
 * by much. A size says nothing of a file system that does not grow it with entries; only the
 * cost of the choice below depends on it, never what is removed.
 */
const DIRECTORY_BYTES_PER_ENTRY = 20;
/**
 * What each way costs, in µs, measured with 100,000 of each: listing the directory, an entry;
 * an unlink that finds nothing, by Deno.removeSync (a NotFound thrown and caught) and by libc's
 * unlink (libc_unlink.ts); and loading the latter (its module, permission query and dlopen).
 */
const LISTED_ENTRY_US = 8;
const DENO_UNLINK_US = 25;
const LIBC_UNLINK_US = 3;
const LIBC_LOAD_US = 2_000;

/**
 * The `removeLogs` of an enqueue (Store.enqueueJob, enqueueBatch), for `namedJobs` jobs with ids
 * of the user's: it removes `logs/<id>.log` left by an earlier job of that id (its prune could
 * not remove it, or an older version's prune was killed between its commit and the unlink), so
 * that `logs` does not show that job's attempts as the new one's. Such a log is rare, and an
 * unlink that finds nothing costs `enqueue --file` more than the insert (~25 µs a job, where
 * the whole enqueue takes ~10) by Deno's API: from enough jobs on, libc's unlink is loaded,
 * ~3 µs. When listing the logs directory once costs less still (judged by its size), only the
 * ids listed in it are unlinked. Nothing can add a log for these ids while the enqueue's
 * transaction is open (they have no job), so the list stays true until it commits.
 * A log that cannot be removed refuses the enqueue: the job would read it as its own.
 */
export async function staleLogRemover(layout: HomeLayout, namedJobs: number): Promise<RemoveLogs> {
  const unlinkFile = await libcUnlinkRepaid(namedJobs);
  let listed: Set<string> | null | undefined;
  return (ids) => {
    listed ??= listedLogs(layout.logs, namedJobs * (unlinkFile ? LIBC_UNLINK_US : DENO_UNLINK_US));
    if (listed?.size === 0) return;
    for (const id of ids) {
      if (listed === null || listed.has(`${id}.log`)) removeStaleLog(layout, id, unlinkFile);
    }
  };
}

/**
 * libc's unlink, for enough jobs to repay loading it: loaded before the transaction, which it
 * would otherwise hold up.
 */
async function libcUnlinkRepaid(namedJobs: number): Promise<UnlinkFile | null> {
  if (namedJobs * (DENO_UNLINK_US - LIBC_UNLINK_US) <= LIBC_LOAD_US) return null;
  const { libcUnlink }: typeof import("./libc_unlink.ts") = await import(
    new URL("./libc_unlink.ts", import.meta.url).href
  );
  return libcUnlink();
}

/**
 * The names in the logs directory, or null when unlinking each id (`unlinksUs` for all) costs
 * less than listing.
 */
function listedLogs(directory: string, unlinksUs: number): Set<string> | null {
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
  if ((size / DIRECTORY_BYTES_PER_ENTRY) * LISTED_ENTRY_US > unlinksUs) return null;
  try {
    return new Set(Array.from(Deno.readDirSync(directory), (entry) => entry.name));
  } catch {
    return null;
  }
}

function removeStaleLog(layout: HomeLayout, id: string, unlinkFile: UnlinkFile | null): void {
  const path = jobLogPath(layout, id);
  // Anything but a file removed or none found is left to Deno's API: it removes an empty
  // directory, and says why it cannot remove the rest.
  if (unlinkFile?.(path)) return;
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
