import { configFromStored } from "../../core/config.ts";
import { UsageError } from "../../core/errors.ts";
import type { NewJob } from "../../core/job.ts";
import { jobToJson } from "../../core/job.ts";
import {
  type JobField,
  type JobInput,
  type JobSpecContext,
  looksLikeJobJson,
  parseJobJson,
  resolveJobSpec,
} from "../../core/job_spec.ts";
import { shellJoin } from "../../core/shell_quote.ts";
import { relativeTime } from "../render/relative_time.ts";
import { defineCommand, type ParsedOptions } from "../command.ts";
import type { CliContext } from "../context.ts";
import { readLines } from "../read_lines.ts";
import { wakeWorkers } from "../wake_workers.ts";

const options = {
  id: { type: String, placeholder: "<id>", description: "job id (default: generated)" },
  maxRetries: {
    type: String,
    placeholder: "<n>",
    description: "retries after the first failure (default: config max_retries)",
  },
  priority: {
    type: String,
    placeholder: "<n>",
    description: "higher runs first (default 0)",
  },
  runAt: { type: String, placeholder: "<time>", description: "run at this ISO-8601 time" },
  delay: {
    type: String,
    placeholder: "<duration>",
    description: "run after this delay (30s, 5m, 2h)",
  },
  timeout: {
    type: String,
    placeholder: "<duration>",
    description: "kill an attempt running longer (default: config job_timeout)",
  },
  queue: { type: String, placeholder: "<name>", description: "queue name (default: default)" },
  file: {
    type: String,
    placeholder: "<path>",
    description: "enqueue one job per line of a file (- for stdin): JSON objects or commands",
  },
  json: { type: Boolean, description: "print the created job as JSON" },
  quiet: { type: Boolean, alias: "q", description: "print only the job id" },
} as const;

type EnqueueOptions = ParsedOptions<typeof options>;

const FLAG_FIELDS: readonly [keyof EnqueueOptions, JobField][] = [
  ["id", "id"],
  ["maxRetries", "max_retries"],
  ["priority", "priority"],
  ["runAt", "run_at"],
  ["delay", "delay"],
  ["timeout", "timeout"],
  ["queue", "queue"],
];

export default defineCommand({
  name: "enqueue",
  arguments: `'<json>' | '<command>' | -- <command> [args...]`,
  description: [
    "The job runs with sh -c in the directory it was enqueued from. A JSON job has",
    `"command" and optionally "id", "max_retries", "priority", "run_at", "delay",`,
    `"timeout" and "queue"; options give defaults for fields the JSON leaves out.`,
    "With --file, all lines are stored or none: a bad line is reported with its number.",
  ].join("\n"),
  options,
  examples: [
    `queuectl enqueue 'make test'`,
    `queuectl enqueue '{"command":"./deploy.sh","max_retries":5,"priority":10}'`,
    `queuectl enqueue --delay 5m --timeout 30s -- curl -fsS https://example.com/health`,
    `queuectl enqueue --file jobs.ndjson`,
  ],
  async run(context, { options, positionals, rest }) {
    const now = context.now();
    const flagInput = flagsToInput(options);
    const specContext: { -readonly [K in keyof JobSpecContext]: JobSpecContext[K] } = {
      now,
      cwd: context.cwd,
      defaultMaxRetries: 0,
      label: (field) => field in flagInput ? flagName(field) : `"${field}"`,
    };
    // Validate everything the arguments say before the store is opened (and perhaps created).
    const input = options.file === undefined
      ? { ...flagInput, ...commandInput(positionals, rest) }
      : null;
    if (input) resolveJobSpec(input, specContext);
    const store = context.store();
    const config = configFromStored(await store.readConfigValues());
    specContext.defaultMaxRetries = config.maxRetries;
    if (options.file !== undefined) {
      if (positionals.length > 0 || rest !== null) {
        throw new UsageError("Give --file or a command, not both");
      }
      if (options.id !== undefined) {
        throw new UsageError('--id cannot be used with --file: give each line its own "id"');
      }
      const position = { line: 0 };
      const lines = jobsFromLines(
        await openInput(options.file, context),
        flagInput,
        specContext,
        position,
      );
      let count: number;
      try {
        count = await store.enqueueBatch(lines, now);
      } catch (error) {
        if (!(error instanceof UsageError) || error.message.startsWith("Line ")) throw error;
        throw new UsageError(`Line ${position.line}: ${error.message} (nothing was enqueued)`);
      }
      if (count > 0) await wakeWorkers(store);
      if (options.json) context.stdout.json({ enqueued: count });
      else if (options.quiet) context.stdout.line(String(count));
      else context.stdout.line(`Enqueued ${count} job${count === 1 ? "" : "s"}`);
      return 0;
    }
    const job = await store.enqueueJob(resolveJobSpec(input!, specContext), now);
    if (job.runAt <= now) await wakeWorkers(store);
    if (options.json) context.stdout.json(jobToJson(job));
    else if (options.quiet) context.stdout.line(job.id);
    else {
      const later = job.runAt > now ? ` (runs ${relativeTime(job.runAt, now)})` : "";
      context.stdout.line(`Enqueued job ${job.id}${later}`);
    }
    return 0;
  },
});

const NUMERIC_FIELDS: readonly JobField[] = ["max_retries", "priority"];

function flagName(field: JobField): string {
  return `--${field.replaceAll("_", "-")}`;
}

/** Option values as job fields; whole numbers become numbers, anything else fails validation. */
function flagsToInput(options: EnqueueOptions): JobInput {
  const input: JobInput = {};
  for (const [option, field] of FLAG_FIELDS) {
    const value = options[option];
    if (typeof value !== "string") continue;
    input[field] = NUMERIC_FIELDS.includes(field) && /^\s*-?\d+\s*$/.test(value)
      ? Number(value)
      : value;
  }
  return input;
}

/** The job's command and fields from the arguments: JSON, one command string, or argv after --. */
function commandInput(positionals: readonly string[], rest: readonly string[] | null): JobInput {
  if (rest !== null) {
    if (positionals.length > 0) {
      throw new UsageError(
        `Give the command either quoted or after --, not both (got "${positionals[0]}" before --)`,
      );
    }
    if (rest.length === 0) {
      throw new UsageError("No command after --: queuectl enqueue -- <command> [args...]");
    }
    return { command: shellJoin(rest) };
  }
  if (positionals.length === 0) {
    throw new UsageError("No command given: queuectl enqueue '<command>' (see --help)");
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `Too many arguments: quote the command ('${positionals.join(" ")}') or put it after --`,
    );
  }
  const text = positionals[0]!;
  return looksLikeJobJson(text) ? parseJobJson(text) : { command: text };
}

async function openInput(path: string, context: CliContext): Promise<ReadableStream<Uint8Array>> {
  if (path === "-") return context.stdin;
  try {
    return (await Deno.open(path)).readable;
  } catch (error) {
    throw new UsageError(`Cannot read --file ${path}: ${(error as Error).message}`);
  }
}

async function* jobsFromLines(
  stream: ReadableStream<Uint8Array>,
  defaults: JobInput,
  context: JobSpecContext,
  position: { line: number },
): AsyncGenerator<NewJob> {
  for await (const line of readLines(stream)) {
    const lineNumber = ++position.line;
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    try {
      const input = looksLikeJobJson(text) ? parseJobJson(text) : { command: text };
      yield resolveJobSpec({ ...defaults, ...input }, context);
    } catch (error) {
      if (error instanceof UsageError) {
        throw new UsageError(`Line ${lineNumber}: ${error.message} (nothing was enqueued)`);
      }
      throw error;
    }
  }
}
