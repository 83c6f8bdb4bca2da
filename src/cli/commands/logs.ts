import { splitLogIntoAttempts } from "../../core/attempt_log.ts";
import { JobNotFoundError, OperationalError, UsageError } from "../../core/errors.ts";
import type { Job } from "../../core/job.ts";
import { isTerminal } from "../../core/job_state.ts";
import { jobLogPath } from "../../core/paths.ts";
import { toIso } from "../../core/timestamp.ts";
import { defineCommand } from "../command.ts";
import { checkJobIdArguments } from "../job_id_arguments.ts";
import type { CliContext } from "../context.ts";
import { followLog, READER_GONE } from "../follow_log.ts";
import { osErrorReason } from "../../core/os_error_reason.ts";

export default defineCommand({
  name: "logs",
  arguments: "<id>",
  description: "Each attempt starts with a header line; the newest attempt comes last.",
  options: {
    follow: {
      type: Boolean,
      alias: "f",
      description: "keep streaming new output until the job has ended",
    },
    json: {
      type: Boolean,
      description: "print the job's state and each attempt's output as JSON",
    },
  },
  examples: ["queuectl logs k3x9m2qa7z", "queuectl logs --follow build-1"],
  async run(context, { options, positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give exactly one job id: queuectl logs <id>");
    }
    if (options.follow && options.json) {
      throw new UsageError("Give --follow or --json, not both");
    }
    checkJobIdArguments(positionals);
    const id = positionals[0]!;
    // Without a database no job exists: looking creates nothing.
    const store = context.storeOrEmpty();
    const job = await store.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    if (options.follow) {
      // Exit 0 also when stdout's reader has gone first (`logs -f <id> | grep -m1 ready`): the
      // status of `logs` never says how the job ended. Printed as the log is, like `logs`.
      const ended = await followLog(store, context.layout(), id, {
        output: context.stdout,
        header: (line, newlineAdded) => context.stdout.line(newlineAdded ? `\n${line}` : line),
        readerGone: context.stdoutReaderGone(),
      });
      // A job that ended without running printed nothing: say so, as `logs` does.
      if (ended !== READER_GONE && await readLog(jobLogPath(context.layout(), id), id) === null) {
        context.stderr.line(noOutputNote(ended));
      }
      return 0;
    }
    const path = jobLogPath(context.layout(), id);
    if (options.json) {
      const log = await readLog(path, id) ?? "";
      context.stdout.json({
        id,
        state: job.state,
        attempts: splitLogIntoAttempts(log, id).map(({ header, output }) => ({
          attempt: header?.attempt ?? null,
          started_at: header ? toIso(header.startedAt) : null,
          worker: header?.worker ?? null,
          output,
        })),
      });
      return 0;
    }
    return await printLog(context, path, job);
  },
});

async function readLog(path: string, id: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new OperationalError(`Cannot read the log of job ${id}: ${osErrorReason(error)}`);
  }
}

/** Why a job has no log: it has not run yet, or it ended without running. */
function noOutputNote({ id, state, attempts }: Job): string {
  if (!isTerminal(state)) return `queuectl: Job ${id} has no output yet (it is ${state})`;
  const how = state === "cancelled" && attempts === 0
    ? "it was cancelled before it ran"
    : `it is ${state}`;
  return `queuectl: Job ${id} has no output (${how})`;
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
