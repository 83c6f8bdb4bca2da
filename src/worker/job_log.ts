/**
 * The worker's own lines in a job's log: attempt headers and notes ("queuectl: timed out…").
 * Each starts a line of its own: after output without a final newline (`printf partial`), a
 * newline first, in the same write. Finding that out costs the size of the open file, and a
 * read of its last byte when it is not empty (a retry's log).
 */
import { osErrorReason } from "../core/os_error_reason.ts";
import { isShortageError } from "./resource_shortage.ts";

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** An attempt's header line, and why it could not be written to the log (null if it was). */
export interface AppendedHeader {
  readonly line: string;
  readonly writeError: LogWriteError | null;
}

/**
 * Appends an attempt's header, given whether a newline was added before it (so that readers
 * drop that newline from the output).
 */
export function appendAttemptHeader(
  path: string,
  header: (newlineAdded: boolean) => string,
  lineEnd = "\n",
): AppendedHeader {
  let line: string | undefined;
  const writeError = appendOwnLine(path, (newlineAdded) => line = header(newlineAdded), lineEnd);
  return { line: line ?? header(false), writeError };
}

/** Appends a note of the worker's. */
export function appendToLog(path: string, line: string): void {
  // A note is a convenience: the job's record holds the outcome.
  appendOwnLine(path, () => line, "\n");
}

/** Why a line could not be written to a log. */
export interface LogWriteError {
  readonly reason: string;
  /** The worker was short of open files or memory (resource_shortage.ts). */
  readonly shortage: boolean;
}

/** Returns why the line could not be written, or null. */
function appendOwnLine(
  path: string,
  line: (newlineAdded: boolean) => string,
  lineEnd: string,
): LogWriteError | null {
  try {
    using log = Deno.openSync(path, { read: true, append: true, create: true });
    const newlineAdded = endsMidLine(log);
    writeAll(log, encoder.encode(`${newlineAdded ? "\n" : ""}${line(newlineAdded)}${lineEnd}`));
    return null;
  } catch (error) {
    // Stored as the job's error: the reason, without Deno's "(os error 13): open '…'".
    return { reason: osErrorReason(error), shortage: isShortageError(error) };
  }
}

function endsMidLine(log: Deno.FsFile): boolean {
  const size = log.statSync().size;
  if (size === 0) return false;
  log.seekSync(size - 1, Deno.SeekMode.Start);
  const last = new Uint8Array(1);
  return log.readSync(last) === 1 && last[0] !== NEWLINE;
}

function writeAll(log: Deno.FsFile, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) written += log.writeSync(bytes.subarray(written));
}
