import { OperationalError } from "../core/errors.ts";
import { osErrorReason } from "../core/os_error_reason.ts";

/**
 * A private temporary file of `enqueue --file` (unlinked, so named by its directory) that could
 * not be made or written: a full or size-limited temporary directory is the machine's, not a
 * bug, and another directory is the way out. `directory` is null when the file was not made.
 */
export function tempFileFailure(
  what: string,
  directory: string | null,
  error: unknown,
): OperationalError {
  return new OperationalError(
    `Cannot write ${what} to a temporary file in ${directory ?? "the temporary directory"}: ${
      osErrorReason(error)
    }: set TMPDIR to a directory with room, then try again (nothing was enqueued)`,
  );
}

/** The directory of a file's path. */
export function directoryOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"))) || "/";
}
