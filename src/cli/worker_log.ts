import { UsageError } from "../core/errors.ts";
import type { Output } from "./output.ts";
import { osErrorReason } from "../core/os_error_reason.ts";

/**
 * The log of `worker run`: each line with its time, appended to `--log-file` or written to
 * stderr. The file is opened by its path for each line, so a rotated log is followed. Logging
 * never fails the worker: a file that cannot be written to any more (a full disk, a removed
 * directory) is reported to stderr once, and the lines go there until it can be again.
 */
export function workerLog(
  logFile: string | undefined,
  stderr: Output,
  now: () => number,
): (line: string) => void {
  if (logFile !== undefined) requireWritable(logFile);
  let failing = false;
  return (line) => {
    const text = `${new Date(now()).toISOString()} ${line}`;
    if (logFile !== undefined) {
      try {
        Deno.writeTextFileSync(logFile, `${text}\n`, { append: true });
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
}

/** Before the worker starts: a log it cannot write is a mistake in its command line. */
function requireWritable(logFile: string): void {
  try {
    Deno.openSync(logFile, { append: true, create: true }).close();
  } catch (error) {
    throw new UsageError(`Cannot write --log-file ${logFile}: ${osErrorReason(error)}`);
  }
}

function writeQuietly(stderr: Output, text: string): void {
  try {
    stderr.line(text);
  } catch {
    // Nowhere left to tell; the worker's work goes on.
  }
}
