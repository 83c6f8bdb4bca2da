import { configFromStored } from "../core/config.ts";
import { quoteValue, UsageError } from "../core/errors.ts";
import {
  JOB_FIELDS,
  type JobField,
  type JobInput,
  type JobSpecContext,
  looksLikeJobJson,
  parseEnvAssignments,
  parseJobJson,
  resolveJobSpec,
} from "../core/job_spec.ts";
import type { Job, NewJob } from "../core/job.ts";
import { commandFromArgs } from "../core/shell_quote.ts";
import type { EnqueueResult, RemoveLogs } from "../store/store.ts";
import type { ParsedOptions } from "./command.ts";
import type { CliContext } from "./context.ts";
import { storeForDependents } from "./dependency_store.ts";
import { wakeWorkers } from "../worker/wake_socket.ts";

/** The options that describe a job, shared by `enqueue` and `run`. */
export const JOB_OPTIONS = {
  id: { type: String, placeholder: "<id>", description: "job id (default: generated)" },
  maxRetries: {
    type: String,
    placeholder: "<n>",
    description: "retries after the first failure (default: config max_retries)",
  },
  priority: { type: String, placeholder: "<n>", description: "higher runs first (default 0)" },
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
  after: {
    type: String,
    placeholder: "<ids>",
    description: "run only after these jobs completed (comma-separated)",
  },
  uniqueKey: {
    type: String,
    placeholder: "<key>",
    description: "enqueue nothing while a job with this key is not finished",
  },
  env: {
    type: [String],
    placeholder: "<KEY=VALUE>",
    description: "set a variable for the job (repeatable)",
  },
  retryOn: {
    type: String,
    placeholder: "<codes>",
    description: "retry only these exit codes (a timeout is 124)",
  },
  noRetryOn: {
    type: String,
    placeholder: "<codes>",
    description: "never retry these exit codes",
  },
} as const;

type JobOptions = ParsedOptions<typeof JOB_OPTIONS>;

const FLAG_FIELDS: readonly [keyof JobOptions, JobField][] = [
  ["id", "id"],
  ["maxRetries", "max_retries"],
  ["priority", "priority"],
  ["runAt", "run_at"],
  ["delay", "delay"],
  ["timeout", "timeout"],
  ["queue", "queue"],
  ["after", "after"],
  ["uniqueKey", "unique_key"],
  ["retryOn", "retry_on"],
  ["noRetryOn", "no_retry_on"],
];

const NUMERIC_FIELDS: readonly JobField[] = ["max_retries", "priority"];

/** Option values as job fields; whole numbers become numbers, anything else fails validation. */
export function jobInputFromOptions(options: JobOptions): JobInput {
  const input: JobInput = {};
  for (const [option, field] of FLAG_FIELDS) {
    const value = options[option];
    if (typeof value !== "string") continue;
    input[field] = NUMERIC_FIELDS.includes(field) && /^\s*-?\d+\s*$/.test(value)
      ? Number(value)
      : value;
  }
  if (options.env.length > 0) input.env = parseEnvAssignments(options.env);
  return input;
}

// Built once: `enqueue --file` asks for labels for every line.
const OPTION_LABELS: ReadonlyMap<JobField, string> = new Map(
  JOB_FIELDS.map((field) => [field, `--${field.replaceAll("_", "-")}`]),
);

/** Validation of jobs whose defaults are the options: a value an option gave is named as it. */
export function specContextFor(
  context: CliContext,
  now: number,
  defaultMaxRetries: number,
): JobSpecContext {
  return {
    now,
    cwd: context.cwd,
    defaultMaxRetries,
    defaultLabel: (field) => OPTION_LABELS.get(field)!,
  };
}

/**
 * Validates the options on their own: a JSON job's fields replace theirs, and `enqueue --file`
 * may have no line to apply them to, so a bad one would otherwise go unreported.
 */
export function checkJobOptions(flagInput: JobInput, validation: JobSpecContext): void {
  resolveJobSpec({ command: "true" }, validation, flagInput);
}

/** The job's command and fields from the arguments: JSON, one command string, or argv after --. */
export function commandInput(
  positionals: readonly string[],
  rest: readonly string[] | null,
): JobInput {
  if (rest !== null) {
    if (positionals.length > 0) {
      throw new UsageError(
        `Give the command either quoted or after --, not both (got ${
          quoteValue(positionals[0]!)
        } before --)`,
      );
    }
    if (rest.length === 0) {
      throw new UsageError("No command after --: give it as -- <command> [args...]");
    }
    return { command: commandFromArgs(rest) };
  }
  if (positionals.length === 0) {
    throw new UsageError("No command given: quote it ('make test') or put it after --");
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `Too many arguments: quote the command ('${positionals.join(" ")}') or put it after --`,
    );
  }
  const text = positionals[0]!;
  return looksLikeJobJson(text) ? parseJobJson(text) : { command: text };
}

/** The one job the arguments describe, validated: nothing has been opened or written yet. */
export interface JobRequest {
  /** The job's own fields: its command, or all that its JSON gives. */
  readonly input: JobInput;
  /** The options' fields, defaults for those the job leaves out. */
  readonly flagInput: JobInput;
  readonly now: number;
  /** The job as it will be stored, but for max_retries, whose default is read from the config. */
  readonly spec: NewJob;
}

/**
 * Validates the job the arguments describe, before the store is opened: bad input creates
 * nothing, not even the data directory.
 */
export function jobRequestFromArgs(
  context: CliContext,
  options: JobOptions,
  positionals: readonly string[],
  rest: readonly string[] | null,
): JobRequest {
  const now = context.now();
  const flagInput = jobInputFromOptions(options);
  const input = commandInput(positionals, rest);
  const validation = specContextFor(context, now, 0);
  checkJobOptions(flagInput, validation);
  const spec = resolveJobSpec(input, validation, flagInput);
  return { input, flagInput, now, spec };
}

/** A job enqueued (or the one that holds its unique key), and whom its enqueue woke. */
export interface EnqueuedJob extends EnqueueResult {
  /** The wake-up sockets poked for the new job: 0 when it has none to wake, or is not pending. */
  readonly workersWoken: number;
}

/**
 * What removes a log left under the job's id (stale_job_logs.ts), for a job given an id: only
 * then is its module imported, since most jobs get a generated id, which no log can have.
 */
async function staleLogRemoval(
  context: CliContext,
  spec: NewJob,
): Promise<RemoveLogs | undefined> {
  if (spec.id === null) return undefined;
  const { staleLogRemover }: typeof import("../worker/stale_job_logs.ts") = await import(
    new URL("../worker/stale_job_logs.ts", import.meta.url).href
  );
  return await staleLogRemover(context.layout(), 1);
}

/** Enqueues a validated job, then wakes idle workers if it is pending. */
export async function enqueueRequest(
  context: CliContext,
  { input, flagInput, now, spec: validated }: JobRequest,
): Promise<EnqueuedJob> {
  const store = storeForDependents(context, validated.after);
  const config = configFromStored(await store.readConfigValues());
  const spec = resolveJobSpec(input, specContextFor(context, now, config.maxRetries), flagInput);
  const result = await store.enqueueJob(spec, now, await staleLogRemoval(context, spec));
  // A job due later wakes them too: they then sleep until its run_at, not a poll longer.
  const workersWoken = !result.existing && result.job.state === "pending"
    ? await wakeWorkers(store)
    : 0;
  return { ...result, workersWoken };
}

/** What `enqueue` and `run` say when an unfinished job holds the unique key. */
export function uniqueKeyHeldNote(job: Job): string {
  return `A job with unique key "${job.uniqueKey}" is already ${job.state}: ${job.id} (nothing enqueued)`;
}
