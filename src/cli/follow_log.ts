import { parseAttemptHeader } from "../core/attempt_log.ts";
import type { Job } from "../core/job.ts";
import { isTerminal } from "../core/job_state.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { Store } from "../store/store.ts";
import { ChangeWatcher } from "./watch_jobs.ts";

const HEADER_PREFIX = "=== ";

export interface LogSink {
  /** The command's output, as it is written. */
  output(text: string): void;
  /** A header line that starts an attempt. */
  header(line: string): void;
}

/**
 * Streams a job's log as it grows until the job has ended and all its output was read;
 * returns the ended job. Attempt headers go to `sink.header`, everything else to
 * `sink.output` at once (a partial line is not held back unless it may be a header).
 */
export async function followLog(
  store: Store,
  layout: HomeLayout,
  jobId: string,
  sink: LogSink,
): Promise<Job> {
  const path = jobLogPath(layout, jobId);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  let file: Deno.FsFile | null = null;
  let pending = "";
  // The data directory for the job's end, the logs directory for its output.
  using watcher = ChangeWatcher.open([layout.home, layout.logs]);
  let job = await store.getJob(jobId);
  const emit = (text: string, final: boolean) => {
    pending += text;
    for (;;) {
      const newline = pending.indexOf("\n");
      if (newline === -1) break;
      const line = pending.slice(0, newline + 1);
      pending = pending.slice(newline + 1);
      if (parseAttemptHeader(line.trimEnd())) sink.header(line.trimEnd());
      else sink.output(line);
    }
    const mayBeHeader = HEADER_PREFIX.startsWith(pending.slice(0, HEADER_PREFIX.length)) ||
      pending.startsWith(HEADER_PREFIX);
    if (pending !== "" && (final || !mayBeHeader)) {
      sink.output(pending);
      pending = "";
    }
  };
  const drain = async (): Promise<void> => {
    file ??= await Deno.open(path).catch(() => null);
    if (!file) return;
    for (;;) {
      const read = await file.read(buffer);
      if (read === null || read === 0) return;
      emit(decoder.decode(buffer.subarray(0, read), { stream: true }), false);
    }
  };
  try {
    for (;;) {
      // Read after the job was seen ended: its output is all in the log by then.
      await drain();
      if (!job || isTerminal(job.state)) {
        emit(decoder.decode(), true);
        if (!job) throw new Error(`job ${jobId} disappeared`);
        return job;
      }
      await watcher.pause(Infinity);
      // Read whatever changed it: also this process's own commit (`run` cancels on Ctrl-C).
      job = await store.getJob(jobId);
    }
  } finally {
    (file as Deno.FsFile | null)?.close();
  }
}
