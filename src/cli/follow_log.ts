import { OperationalError } from "../core/errors.ts";
import type { Job } from "../core/job.ts";
import { isTerminal } from "../core/job_state.ts";
import { type LogPiece, LogStreamSplitter } from "../core/log_stream.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { ExistingDataStore } from "../store/store.ts";
import type { Output } from "./output.ts";
import { ChangeWatcher } from "./watch_jobs.ts";
import { osErrorReason } from "../core/os_error_reason.ts";

export interface LogSink {
  /** Where the command's output goes, byte for byte; following stops once its reader is gone. */
  readonly output: Output;
  /**
   * A header line that starts an attempt; `newlineAdded`: the output before it did not end with
   * a newline, and the worker added one to the log (not given to `output`).
   */
  header(line: string, newlineAdded: boolean): void;
  /** Resolves once the output's reader has gone while nothing was written (a silent job). */
  readonly readerGone: Promise<void>;
}

/** What followLog returns when the output's reader went away before the job ended. */
export const READER_GONE = "reader gone";

/**
 * Streams a job's log as it grows until the job has ended and all its output was read;
 * returns the ended job, or READER_GONE as soon as the output's reader has gone
 * (`queuectl logs -f <id> | head -1`), found by a write or by `sink.readerGone` while the job is
 * silent: the job is left alone. Attempt headers go to
 * `sink.header`, the command's output to `sink.output` at once and unchanged. `from`: the
 * offset in the log to start at, the start of a line (`logs --tail 20 --follow`).
 */
export async function followLog(
  store: ExistingDataStore,
  layout: HomeLayout,
  jobId: string,
  sink: LogSink,
  from = 0,
): Promise<Job | typeof READER_GONE> {
  const path = jobLogPath(layout, jobId);
  const splitter = new LogStreamSplitter(jobId);
  const buffer = new Uint8Array(64 * 1024);
  let file: Deno.FsFile | null = null;
  // The commit file for the job's end, the logs directory for its output.
  using watcher = ChangeWatcher.open([store.commitFile, layout.logs]);
  let readerGone = false;
  // Ends the pause: a silent job's output would not find the reader gone before its next write.
  sink.readerGone.then(() => {
    readerGone = true;
    watcher.wake();
  });
  let job = await store.getJob(jobId);
  const emit = (pieces: readonly LogPiece[]) => {
    for (const piece of pieces) {
      if (piece.kind === "header") sink.header(piece.line, piece.newlineAdded);
      else sink.output.writeBytes(piece.bytes);
    }
  };
  const cannotRead = (error: Error) => {
    throw new OperationalError(`Cannot read the log of job ${jobId}: ${osErrorReason(error)}`);
  };
  const open = async (): Promise<Deno.FsFile | null> => {
    const opened = await Deno.open(path).catch(() => null);
    if (opened && from > 0) await opened.seek(from, Deno.SeekMode.Start).catch(cannotRead);
    return opened;
  };
  const drain = async (): Promise<void> => {
    file ??= await open();
    if (!file) return;
    while (!sink.output.readerGone) {
      const read = await file.read(buffer).catch(cannotRead);
      if (read === null || read === 0) return emit(splitter.caughtUp());
      emit(splitter.push(buffer.subarray(0, read)));
    }
  };
  try {
    for (;;) {
      // Read after the job was seen ended: its output is all in the log by then.
      await drain();
      if (readerGone || sink.output.readerGone) return READER_GONE;
      if (!job || isTerminal(job.state)) emit(splitter.end());
      // Pruned (by `prune`, or by a worker's retention) between two looks: it ended unseen.
      if (!job) throw new OperationalError(`Job ${jobId} was deleted before its end was seen`);
      if (isTerminal(job.state)) return job;
      await watcher.pause(Infinity);
      // Read whatever changed it: also this process's own commit (`run` cancels on Ctrl-C).
      job = await store.getJob(jobId);
    }
  } finally {
    (file as Deno.FsFile | null)?.close();
  }
}
