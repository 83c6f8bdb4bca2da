import { OperationalError, QueuectlError } from "../../core/errors.ts";
import type { Store } from "../store.ts";
import {
  type DatabaseFileProblem,
  databaseFileProblem,
  fileAtSizeLimit,
} from "./database_files.ts";

/** SQLite's primary result codes for a database the machine fails (sqlite.org/rescode.html). */
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/**
 * The error to report for a failure of the database file itself (damaged, not a database, disk
 * full, read-only, I/O error): an OperationalError naming the file and what to do, instead of
 * SQLite's bare words reaching the user as an internal error. Anything else is returned as it is.
 */
export function describeDatabaseFailure(error: unknown, path: string): unknown {
  if (!(error instanceof Error) || error instanceof QueuectlError) return error;
  // The constructor's message ends with the path, which the message names already.
  const said = error.message.split("\n")[0]?.replace(`: ${path}`, "");
  // Every queuectl table exists at the schema version the file claims (the open checked it): a
  // missing one means another program's file that claims it, which the open does not look into.
  if (/^no such table: /.test(said ?? "")) return foreignDatabaseError(path);
  switch (primaryCode(error)) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new OperationalError(
        `The database ${path} is damaged or not a queuectl database (${said}): restore it from a backup, or move it aside to start with an empty queue`,
      );
    case SQLITE_FULL:
      return new OperationalError(
        `Cannot write to the database ${path} (${said}): free some space on its disk, then try again`,
      );
    case SQLITE_READONLY:
      return seenFileProblemError(path) ?? new OperationalError(
        `Cannot write to the database ${path} (${said}): make the file and its directory writable, or set QUEUECTL_HOME to a writable directory`,
      );
    case SQLITE_IOERR:
      return ioError(path);
    case SQLITE_CANTOPEN:
      return seenFileProblemError(path) ?? new OperationalError(
        `Cannot open the database ${path} (${said}): check that its directory exists and is writable`,
      );
    default:
      return error;
  }
}

/** SQLite's failure, told by what is wrong with the files on disk, when something is seen. */
function seenFileProblemError(path: string): OperationalError | null {
  const problem = databaseFileProblem(path);
  return problem && fileProblemError(path, problem);
}

export function fileProblemError(path: string, problem: DatabaseFileProblem): OperationalError {
  return new OperationalError(
    `${
      problem.blocksReading ? "Cannot open" : "Cannot write to"
    } the database ${path}: ${problem.reason}: ${problem.fix}`,
  );
}

/** SQLite knows no more than "disk I/O error": a file size limit is the one cause seen here. */
function ioError(path: string): OperationalError {
  const limited = fileAtSizeLimit(path);
  return new OperationalError(
    limited
      ? `Cannot write to the database ${path}: ${limited.file} has reached this process's file size limit (ulimit -f, ${limited.limitBytes} bytes): raise the limit, then try again`
      : `Cannot read or write the database ${path}: the system reported an input/output error: check its disk, then try again`,
  );
}

/**
 * The store, with every failure of its database file (damaged, disk full, read-only) rejected
 * as an error naming the file and what to do: a query anywhere can meet a damaged page or a
 * full disk, so this is done once here rather than in each method.
 */
export function namingDatabaseFailures(store: Store, path: string): Store {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = value.apply(target, args);
        } catch (error) {
          throw describeDatabaseFailure(error, path);
        }
        return result instanceof Promise
          ? result.catch((error) => {
            throw describeDatabaseFailure(error, path);
          })
          : result;
      };
    },
  });
}

/**
 * The primary result code: node:sqlite gives the extended one (SQLITE_READONLY_DBMOVED is 1032)
 * where SQLite set it, and none at all for some errors of `exec`, which only its words name.
 */
function primaryCode(error: Error): number | null {
  const code = (error as { errcode?: unknown }).errcode;
  if (typeof code === "number") return code & 0xff;
  const words = error.message;
  if (/database disk image is malformed/.test(words)) return SQLITE_CORRUPT;
  if (/file is not a database/.test(words)) return SQLITE_NOTADB;
  if (/database or disk is full/.test(words)) return SQLITE_FULL;
  if (/attempt to write a readonly database/.test(words)) return SQLITE_READONLY;
  if (/disk I\/O error/.test(words)) return SQLITE_IOERR;
  if (/unable to open database file/.test(words)) return SQLITE_CANTOPEN;
  return null;
}

/** The file is a SQLite database, but not queuectl's. */
export function foreignDatabaseError(path: string): OperationalError {
  return new OperationalError(
    `The file ${path} is a SQLite database of another program, not queuectl's: move it aside, or set QUEUECTL_HOME to another directory`,
  );
}
