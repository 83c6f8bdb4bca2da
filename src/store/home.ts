import type { HomeLayout } from "../core/paths.ts";
import { OperationalError } from "../core/errors.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import { fileProblemError } from "./sqlite/database_failure.ts";
import { DIRECTORY_IN_PLACE } from "./sqlite/database_files.ts";

const ABOVE_IS_A_FILE =
  "it, or a directory above it, is a file: move it aside, or set QUEUECTL_HOME to a directory";

/**
 * Creates the data directory, readable by its owner only: jobs are shell commands, so whoever
 * can write the database can run code as the worker's user.
 */
export function prepareHome(layout: HomeLayout): void {
  for (const directory of [layout.home, layout.logs, layout.workers]) {
    try {
      Deno.mkdirSync(directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      // A directory made already is no error: only something else under its name is.
      throw new OperationalError(
        `Cannot create the data directory ${layout.home}: ${
          error instanceof Deno.errors.AlreadyExists
            ? `${directory} exists and is not a directory: move or remove it`
            : error instanceof Deno.errors.NotADirectory
            ? ABOVE_IS_A_FILE
            : error instanceof Deno.errors.PermissionDenied
            ? deniedReason(directory)
            : osErrorReason(error)
        }`,
      );
    }
  }
}

/** Whether the data directory has a database: a command that only reads need not create it. */
export function databaseExists(layout: HomeLayout): boolean {
  try {
    // Reading it as "no database, no jobs" would hide every job from the commands that read.
    if (Deno.statSync(layout.database).isDirectory) {
      throw fileProblemError(layout.database, DIRECTORY_IN_PLACE);
    }
    return true;
  } catch (error) {
    if (error instanceof OperationalError) throw error;
    if (error instanceof Deno.errors.NotFound) return false;
    throw new OperationalError(
      `Cannot read the data directory ${layout.home}: ${
        error instanceof Deno.errors.NotADirectory
          ? ABOVE_IS_A_FILE
          : error instanceof Deno.errors.PermissionDenied
          ? deniedReason(layout.database)
          : osErrorReason(error)
      }`,
    );
  }
}

const ACCESS_FIX = "(chown or chmod), or set QUEUECTL_HOME to another directory";

/**
 * Why this user was denied `path`, with the fix: the directory on its way that it may not enter
 * (no search permission: mode 000, or a parent's), or, where `path` is missing, the directory it
 * may not create it in. Deno says only "Permission denied", whichever directory it is.
 */
function deniedReason(path: string): string {
  let reached = "/";
  // Only an absolute POSIX path is walked (resolveHome makes the home absolute).
  for (const part of path.startsWith("/") ? path.split("/").filter(Boolean) : []) {
    const next = `${reached === "/" ? "" : reached}/${part}`;
    try {
      Deno.statSync(next);
    } catch (error) {
      if (error instanceof Deno.errors.PermissionDenied) {
        return `this user may not enter ${reached}: give this user access to it ${ACCESS_FIX}`;
      }
      if (error instanceof Deno.errors.NotFound) {
        return `this user may not create directories in ${reached}: give this user write access to it ${ACCESS_FIX}`;
      }
      break;
    }
    reached = next;
  }
  return `Permission denied: give this user access to it and to the directories above it ${ACCESS_FIX}`;
}
