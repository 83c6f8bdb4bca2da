import { configFromStored } from "../../core/config.ts";
import { UsageError } from "../../core/errors.ts";
import { jobToJson, type NewJob } from "../../core/job.ts";
import {
  type JobInput,
  type JobSpecContext,
  looksLikeJobJson,
  parseJobJson,
  resolveJobSpec,
} from "../../core/job_spec.ts";
import { defineCommand } from "../command.ts";
import type { CliContext } from "../context.ts";
import {
  enqueueFromArgs,
  JOB_OPTIONS,
  jobInputFromOptions,
  specContextFor,
} from "../job_options.ts";
import { readLines } from "../read_lines.ts";
import { StagedJobs } from "../staged_jobs.ts";
import { relativeTime } from "../render/relative_time.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

export default defineCommand({
  name: "enqueue",
  arguments: `'<json>' | '<command>' | -- <command> [args...]`,
  description: [
    "The job runs with sh -c in the directory it was enqueued from. A JSON job has",
    `"command" and optionally "id", "max_retries", "priority", "run_at", "delay", "timeout",`,
    `"queue", "after", "unique_key", "env", "retry_on" and "no_retry_on"; options give`,
    "defaults for the fields the JSON leaves out.",
    "With --file, all lines are stored or none: a bad line is reported with its number.",
  ].join("\n"),
  options: {
    ...JOB_OPTIONS,
    file: {
      type: String,
      placeholder: "<path>",
      description: "enqueue one job per line of a file (- for stdin): JSON objects or commands",
    },
    json: { type: Boolean, description: "print the created job as JSON" },
    quiet: { type: Boolean, alias: "q", description: "print only the job id" },
  },
  examples: [
    `queuectl enqueue 'make test'`,
    `queuectl enqueue '{"command":"./deploy.sh","max_retries":5,"priority":10}'`,
    `queuectl enqueue --delay 5m --timeout 30s -- curl -fsS https://example.com/health`,
    `queuectl enqueue --after build-1 --env MODE=ci -- ./test.sh`,
    `queuectl enqueue --file jobs.ndjson`,
  ],
  async run(context, { options, positionals, rest }) {
    if (options.file !== undefined) {
      if (positionals.length > 0 || rest !== null) {
        throw new UsageError("Give --file or a command, not both");
      }
      if (options.id !== undefined) {
        throw new UsageError(`--id cannot be used with --file: give each line its own "id"`);
      }
      return await enqueueFile(context, options.file, jobInputFromOptions(options), options);
    }
    const now = context.now();
    const { job, existing } = await enqueueFromArgs(context, options, positionals, rest);
    if (existing) {
      context.stderr.line(
        `A job with unique key "${job.uniqueKey}" is already ${job.state}: ${job.id} (nothing enqueued)`,
      );
    }
    if (options.json) context.stdout.json(jobToJson(job));
    else if (options.quiet || existing) context.stdout.line(job.id);
    else if (job.state === "cancelled") {
      context.stdout.line(`Enqueued job ${job.id}, cancelled at once: ${job.lastError}`);
    } else {
      const later = job.runAt > now ? ` (runs ${relativeTime(job.runAt, now)})` : "";
      context.stdout.line(`Enqueued job ${job.id}${later}`);
    }
    return 0;
  },
});

async function enqueueFile(
  context: CliContext,
  path: string,
  defaults: JobInput,
  output: { json: boolean | undefined; quiet: boolean | undefined },
): Promise<number> {
  const now = context.now();
  const stream = await openInput(path, context);
  const store = context.store();
  const config = configFromStored(await store.readConfigValues());
  await using staged = await StagedJobs.create();
  await stageLines(
    stream,
    defaults,
    specContextFor(context, defaults, now, config.maxRetries),
    staged,
  );
  const position = { line: 0 };
  let result;
  try {
    result = await store.enqueueBatch(staged.read(position), now);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`Line ${position.line}: ${error.message} (nothing was enqueued)`);
  }
  if (result.enqueued > 0) await wakeWorkers(store);
  if (result.duplicates > 0) {
    context.stderr.line(
      `Skipped ${result.duplicates} job(s) whose unique key is held by an unfinished job`,
    );
  }
  if (output.json) context.stdout.json(result);
  else if (output.quiet) context.stdout.line(String(result.enqueued));
  else context.stdout.line(`Enqueued ${result.enqueued} job${result.enqueued === 1 ? "" : "s"}`);
  return 0;
}

async function openInput(path: string, context: CliContext): Promise<ReadableStream<Uint8Array>> {
  if (path === "-") return context.stdin;
  try {
    return (await Deno.open(path)).readable;
  } catch (error) {
    throw new UsageError(`Cannot read --file ${path}: ${(error as Error).message}`);
  }
}

/** Validates every line into the staging file; the first bad line stops it, nothing stored. */
async function stageLines(
  stream: ReadableStream<Uint8Array>,
  defaults: JobInput,
  context: JobSpecContext,
  staged: StagedJobs,
): Promise<void> {
  let lineNumber = 0;
  for await (const line of readLines(stream)) {
    lineNumber++;
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    let job: NewJob;
    try {
      const input = looksLikeJobJson(text) ? parseJobJson(text) : { command: text };
      job = resolveJobSpec({ ...defaults, ...input }, context);
    } catch (error) {
      if (error instanceof UsageError) {
        throw new UsageError(`Line ${lineNumber}: ${error.message} (nothing was enqueued)`);
      }
      throw error;
    }
    await staged.add(job, lineNumber);
  }
}
