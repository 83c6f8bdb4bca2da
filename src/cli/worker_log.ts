import { UsageError } from "../core/errors.ts";
import type { Output } from "./output.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import { isShortageError } from "../worker/resource_shortage.ts";

/** Writes one line of the worker's log; disposing of it closes the log file it holds. */
export type WorkerLog = ((line: string) => void) & Disposable;

/** Opens a log file to append to, creating it. */
export type OpenLog = (path: string) => Deno.FsFile;

const encoder = new TextEncoder();

/**
 * The log of `worker run`: each line with its time, appended to `--log-file` or written to
 * stderr. The file is opened by its path for each line, so a rotated log is followed. The file
 * last opened is kept open: a line whose open fails for want of the worker's own file descriptors
 * or memory (EMFILE under `ulimit -n`: resource_shortage.ts) is written through it, as that is
 * the line saying that jobs cannot start, and the stderr of a worker started in the background
 * goes nowhere. Logging never fails the worker: a file that cannot be written to any more (a full
 * disk, a removed directory) is reported to stderr once, and the lines go there until it can be
 * again.
 */
export function workerLog(
  logFile: string | undefined,
  stderr: Output,
  now: () => number,
  open: OpenLog = openToAppend,
): WorkerLog {
  let kept = logFile === undefined ? undefined : openRequired(logFile, open);
  let failing = false;
  const appendToFile = (path: string, bytes: Uint8Array) => {
    let opened: Deno.FsFile;
    try {
      opened = open(path);
    } catch (error) {
      if (kept === undefined) throw error;
      if (!isShortageError(error)) {
        // The path leads to no file it could write: the one kept is not the log any more.
        kept.close();
        kept = undefined;
        throw error;
      }
      writeAll(kept, bytes);
      return;
    }
    kept?.close();
    kept = opened;
    writeAll(opened, bytes);
  };
  const log = (line: string) => {
    const text = `${new Date(now()).toISOString()} ${line}`;
    if (logFile !== undefined) {
      try {
        appendToFile(logFile, encoder.encode(`${text}\n`));
        failing = false;
        return;
      } catch (error) {
        if (!failing) {
          writeQuietly(
            stderr,
            `queuectl: cannot write --log-file ${logFile}: ${
              osErrorReason(error)
            }; logging to stderr meanwhile`,
          );
        }
        failing = true;
      }
    }
    writeQuietly(stderr, text);
  };
  return Object.assign(log, {
    [Symbol.dispose]: () => {
      kept?.close();
      kept = undefined;
    },
  });
}

function openToAppend(path: string): Deno.FsFile {
  return Deno.openSync(path, { append: true, create: true });
}

/** Before the worker starts: a log it cannot write is a mistake in its command line. */
function openRequired(logFile: string, open: OpenLog): Deno.FsFile {
  try {
    return open(logFile);
  } catch (error) {
    throw new UsageError(`Cannot write --log-file ${logFile}: ${osErrorReason(error)}`);
  }
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) written += file.writeSync(bytes.subarray(written));
}

function writeQuietly(stderr: Output, text: string): void {
  try {
    stderr.line(text);
  } catch {
    // Nowhere left to tell; the worker's work goes on.
  }
}
