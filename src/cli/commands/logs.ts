import {
  JobNotFoundError,
  NoSuchAttemptError,
  OperationalError,
  UsageError,
} from "../../core/errors.ts";
import type { Job } from "../../core/job.ts";
import { isTerminal } from "../../core/job_state.ts";
import {
  type AttemptSelection,
  describeAttemptNumbers,
  rangesFrom,
  selectAttempts,
} from "../../core/log_selection.ts";
import { jobLogPath } from "../../core/paths.ts";
import { defineCommand } from "../command.ts";
import { checkJobIdArguments } from "../job_id_arguments.ts";
import type { CliContext } from "../context.ts";
import { followLog, READER_GONE } from "../follow_log.ts";
import { type LogAttempt, LogFile } from "../log_file.ts";
import { writeLogJson } from "../log_json.ts";
import { parseWholeNumber } from "../parse_whole_number.ts";
import { osErrorReason } from "../../core/os_error_reason.ts";

const MAX_ATTEMPT = 1_000_000;
const MAX_TAIL_LINES = 1_000_000_000;

export default defineCommand({
  name: "logs",
  arguments: "<id>",
  description: "Each attempt starts with a header line; the newest attempt comes last.\n" +
    "--tail counts a header line as a line; alone, it reads only the end of the log.",
  options: {
    follow: {
      type: Boolean,
      alias: "f",
      description: "keep streaming new output until the job has ended",
    },
    attempt: {
      type: String,
      placeholder: "<n>",
      description: "only the attempt numbered n in its header (each one, if n repeats)",
    },
    last: {
      type: Boolean,
      description: "only the newest attempt (with --follow: it, then those after it)",
    },
    tail: {
      type: String,
      alias: "n",
      placeholder: "<n>",
      description: "only the last n lines of what is shown (with --follow: then new output)",
    },
    json: {
      type: Boolean,
      description: "print the job's state and each attempt's output as JSON",
    },
  },
  examples: [
    "queuectl logs k3x9m2qa7z",
    "queuectl logs --follow build-1",
    "queuectl logs --last --tail 20 build-1",
  ],
  async run(context, { options, positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give exactly one job id: queuectl logs <id>");
    }
    if (options.follow && options.json) {
      throw new UsageError("Give --follow or --json, not both");
    }
    if (options.attempt !== undefined && options.last) {
      throw new UsageError("Give --attempt or --last, not both");
    }
    if (options.attempt !== undefined && options.follow) {
      throw new UsageError(
        "Give --attempt or --follow, not both: --last --follow follows the newest attempt and those after it",
      );
    }
    const selection: AttemptSelection = options.attempt !== undefined
      ? {
        kind: "numbered",
        attempt: parseWholeNumber("--attempt", options.attempt, 1, MAX_ATTEMPT),
      }
      : options.last
      ? { kind: "newest" }
      : { kind: "all" };
    const tail = options.tail === undefined
      ? null
      : parseWholeNumber("--tail", options.tail, 0, MAX_TAIL_LINES);
    checkJobIdArguments(positionals);
    const id = positionals[0]!;
    // Without a database no job exists: looking creates nothing.
    const store = context.storeOrEmpty();
    const job = await store.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    const path = jobLogPath(context.layout(), id);
    if (options.follow) {
      const from = await followStart(path, job, selection, tail);
      // Exit 0 also when stdout's reader has gone first (`logs -f <id> | grep -m1 ready`): the
      // status of `logs` never says how the job ended. Printed as the log is, like `logs`.
      const ended = await followLog(store, context.layout(), id, {
        output: context.stdout,
        header: (line, newlineAdded) => context.stdout.line(newlineAdded ? `\n${line}` : line),
        readerGone: context.stdoutReaderGone(),
      }, from);
      // A job that ended without running printed nothing: say so, as `logs` does.
      if (ended !== READER_GONE && !await hasLog(path, id)) {
        context.stderr.line(noOutputNote(ended));
      }
      return 0;
    }
    if (selection.kind !== "all" || tail !== null || options.json) {
      return await printSelection(context, path, job, selection, tail, options.json === true);
    }
    return await printLog(context, path, job);
  },
});

/**
 * The attempts of the log that `selection` keeps; none is an error for a numbered attempt. Only
 * a selection of attempts reads the whole log, to find its headers.
 */
async function selectedAttempts(
  log: LogFile,
  job: Job,
  selection: AttemptSelection,
): Promise<LogAttempt[]> {
  const attempts = await log.attempts();
  const selected = selectAttempts(attempts, selection);
  if (selection.kind === "numbered" && selected.length === 0) {
    const numbers = describeAttemptNumbers(attempts);
    throw new NoSuchAttemptError(
      job.id,
      selection.attempt,
      numbers === "none" ? "its log has no attempt headers" : `its attempts are ${numbers}`,
    );
  }
  return selected;
}

/** Where in the log following starts: the newest attempt's start, then the last lines. */
async function followStart(
  path: string,
  job: Job,
  selection: AttemptSelection,
  tail: number | null,
): Promise<number> {
  if (selection.kind === "all" && tail === null) return 0;
  using log = await LogFile.open(path, job.id);
  if (!log) return 0;
  const ranges = selection.kind === "all"
    ? [log.whole]
    : (await selectedAttempts(log, job, selection)).map(({ range }) => range);
  if (tail !== null) return await log.tailStart(ranges, tail);
  return ranges[0]?.start ?? log.size;
}

/** `logs` with --attempt, --last or --tail, printed as the log is; or `logs --json`. */
async function printSelection(
  context: CliContext,
  path: string,
  job: Job,
  selection: AttemptSelection,
  tail: number | null,
  json: boolean,
): Promise<number> {
  using log = await LogFile.open(path, job.id);
  if (!log) {
    if (selection.kind === "numbered") {
      throw new NoSuchAttemptError(job.id, selection.attempt, `it has ${noOutputReason(job)}`);
    }
    if (json) await writeLogJson(context.stdout, job, null);
    else context.stderr.line(noOutputNote(job));
    return 0;
  }
  // The log's text alone needs no headers found: --tail reads only the end of the log.
  const attempts = selection.kind === "all" && !json
    ? [{ header: null, range: log.whole, output: log.whole }]
    : await selectedAttempts(log, job, selection);
  const ranges = attempts.map(({ range }) => range);
  const from = tail === null ? 0 : await log.tailStart(ranges, tail);
  if (!json) {
    await log.copy(rangesFrom(ranges, from), context.stdout);
    return 0;
  }
  await writeLogJson(context.stdout, job, { log, attempts, from });
  return 0;
}

async function hasLog(path: string, id: string): Promise<boolean> {
  using log = await LogFile.open(path, id);
  return log !== null;
}

/** Why a job has no log: it has not run yet, or it ended without running. */
function noOutputNote(job: Job): string {
  return `queuectl: Job ${job.id} has ${noOutputReason(job)}`;
}

function noOutputReason({ state, attempts }: Job): string {
  if (!isTerminal(state)) return `no output yet (it is ${state})`;
  const how = state === "cancelled" && attempts === 0
    ? "it was cancelled before it ran"
    : `it is ${state}`;
  return `no output (${how})`;
}

async function printLog(context: CliContext, path: string, job: Job): Promise<number> {
  const cannotRead = (error: unknown) =>
    new OperationalError(`Cannot read the log of job ${job.id}: ${osErrorReason(error)}`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      context.stderr.line(noOutputNote(job));
      return 0;
    }
    throw cannotRead(error);
  }
  // Bytes as they are: a job's output need not be UTF-8. Opening succeeds on a directory (or a
  // file on a failing disk) where reading does not.
  try {
    for await (const chunk of file.readable) {
      context.stdout.writeBytes(chunk);
      if (context.stdout.readerGone) break;
    }
  } catch (error) {
    throw cannotRead(error);
  }
  return 0;
}
