import { commaListItems } from "./comma_list.ts";
import { describeType, formatDuration, MAX_TIMEOUT_MS, parseDurationValue } from "./duration.ts";
import { quoteJsonValue, quoteValue, UsageError } from "./errors.ts";
import type { NewJob } from "./job.ts";
import { validateJobId } from "./job_id.ts";
import { parseTimestamp } from "./timestamp.ts";
import { describeExitCodes, exitCodesInBoth, parseExitCodes } from "./exit_codes.ts";

/** The fields a job may be given in JSON (and, spelled with dashes, as enqueue options). */
export const JOB_FIELDS = [
  "command",
  "id",
  "max_retries",
  "priority",
  "run_at",
  "delay",
  "timeout",
  "queue",
  "after",
  "unique_key",
  "env",
  "retry_on",
  "no_retry_on",
] as const;
export type JobField = typeof JOB_FIELDS[number];
const KNOWN_FIELDS: ReadonlySet<string> = new Set(JOB_FIELDS);
export type JobInput = Partial<Record<JobField, unknown>>;

export const MAX_PRIORITY = 1_000_000;
/** 1 MB, counted in bytes of UTF-8: the command's size as stored and as handed to `sh -c`. */
export const MAX_COMMAND_BYTES = 1_000_000;
const QUEUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface JobSpecContext {
  readonly now: number;
  readonly cwd: string;
  readonly defaultMaxRetries: number;
  /**
   * How a field whose value came from the defaults is named in error messages, such as
   * `--max-retries` for an option; by default, and for the job's own fields, as in JSON.
   */
  readonly defaultLabel?: (field: JobField) => string;
}

const JSON_LABELS: ReadonlyMap<JobField, string> = new Map(
  JOB_FIELDS.map((field) => [field, `"${field}"`]),
);
const jsonLabel = (field: JobField) => JSON_LABELS.get(field)!;

/**
 * Parses one JSON document into a job input object, rejecting non-objects and unknown fields.
 * A field whose value is null is left out, as if absent: its default applies (a null
 * "command" is then missing). Producers that write every field, null when unset, need no
 * special case.
 */
export function parseJobJson(text: string): JobInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Invalid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`Invalid job: expected a JSON object, got ${describeType(parsed)}`);
  }
  for (const key in parsed) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new UsageError(
        `Invalid job: unknown field ${quoteValue(key)}; valid fields are ${JOB_FIELDS.join(", ")}`,
      );
    }
    if ((parsed as Record<string, unknown>)[key] === null) {
      delete (parsed as Record<string, unknown>)[key];
    }
  }
  // Only an escape makes a lone surrogate: the text tells at once whether to look for one.
  if (SURROGATE_ESCAPE.test(text)) rejectLoneSurrogates(parsed);
  return parsed as JobInput;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Refuses a field holding a lone surrogate (a `\ud800` escape without its pair), in its strings
 * or keys: no character, UTF-8 cannot store it, and it would be stored as U+FFFD.
 */
function rejectLoneSurrogates(fields: object): void {
  for (const [key, value] of Object.entries(fields)) {
    const surrogate = loneSurrogateIn(value);
    if (surrogate === null) continue;
    throw new UsageError(
      `Invalid job: "${key}" holds \\u${
        surrogate.toString(16)
      }, half of a surrogate pair, which UTF-8 cannot store: give both halves, or the character itself`,
    );
  }
}

/** The first lone surrogate in the strings of a JSON value, keys included, or null. */
function loneSurrogateIn(value: unknown): number | null {
  if (typeof value === "string") {
    if (value.isWellFormed()) return null;
    const at = [...value].find((char) => char.length === 1 && /[\ud800-\udfff]/.test(char))!;
    return at.charCodeAt(0);
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = loneSurrogateIn(key) ?? loneSurrogateIn(item);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Whether a command-line argument is a JSON job rather than a shell command: an object (but
 * not a shell group such as `{ make; make test; }`), or valid JSON starting with `[` (so that
 * `[ -f x ] && make` stays a command).
 */
export function looksLikeJobJson(text: string): boolean {
  const trimmed = text.trimStart();
  // A JSON object's first member starts with a quote; a shell group is "{ command; }".
  if (/^\{\s*["}]/.test(trimmed)) return true;
  if (trimmed.startsWith("{") && !/^\{\s/.test(trimmed)) return true;
  if (!trimmed.startsWith("[")) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/**
 * A job's own fields over defaults (options for a JSON job, or for every line of a file). When
 * the job gives its time, as "run_at" or "delay", neither one of the defaults applies: a default
 * gives a field the job leaves out, it does not conflict with what the job says.
 */
export function withDefaults(defaults: JobInput, input: JobInput): JobInput {
  if (input.run_at === undefined && input.delay === undefined) return { ...defaults, ...input };
  const { run_at: _runAt, delay: _delay, ...untimed } = defaults;
  return { ...untimed, ...input };
}

/**
 * Validates a job input over its defaults (withDefaults) and resolves every default. Throws a
 * UsageError naming the bad field as the job gave it, or as the defaults' label when a default
 * gave the value: `"queue"` for a JSON job's own, `--queue` for the option under it.
 */
export function resolveJobSpec(
  own: JobInput,
  context: JobSpecContext,
  defaults?: JobInput,
): NewJob {
  const input = defaults === undefined ? own : withDefaults(defaults, own);
  const defaultLabel = context.defaultLabel;
  const label = defaults === undefined || defaultLabel === undefined
    ? jsonLabel
    : (field: JobField) =>
      field in defaults && !(field in own) ? defaultLabel(field) : jsonLabel(field);
  const command = input.command;
  if (command === undefined) {
    throw new UsageError(`Invalid job: ${label("command")} is required`);
  }
  if (typeof command !== "string") {
    throw new UsageError(
      `Invalid job: ${label("command")} must be a string, got ${describeType(command)}`,
    );
  }
  if (command.trim() === "") throw new UsageError(`Invalid job: ${label("command")} is empty`);
  if (isOverUtf8Bytes(command, MAX_COMMAND_BYTES)) {
    throw new UsageError(
      `Invalid job: ${label("command")} is over 1 MB (${MAX_COMMAND_BYTES} bytes of UTF-8): ` +
        "put a long script in a file and enqueue the command that runs it",
    );
  }
  if (command.includes("\0")) {
    throw new UsageError(`Invalid job: ${label("command")} contains a NUL character`);
  }
  if (input.run_at !== undefined && input.delay !== undefined) {
    throw new UsageError(
      `Invalid job: give ${label("run_at")} or ${label("delay")}, not both`,
    );
  }
  let runAt = context.now;
  if (input.run_at !== undefined) {
    if (typeof input.run_at !== "string") {
      throw new UsageError(
        `Invalid job: ${label("run_at")} must be an ISO-8601 string, got ${
          describeType(input.run_at)
        }`,
      );
    }
    runAt = parseTimestamp(input.run_at, label("run_at"));
  } else if (input.delay !== undefined) {
    runAt = context.now + parseDurationValue(input.delay, label("delay"));
  }
  const id = input.id === undefined ? null : validateId(input.id, label("id"));
  const after = input.after === undefined ? [] : validateAfter(input.after, label("after"));
  if (id !== null && after.includes(id)) {
    throw new UsageError(`Invalid job: ${quoteValue(id)} cannot run after itself`);
  }
  const retryOn = exitCodesOf(input.retry_on, label("retry_on"));
  const noRetryOn = exitCodesOf(input.no_retry_on, label("no_retry_on"));
  const inBoth = exitCodesInBoth(retryOn, noRetryOn);
  if (inBoth.length > 0) {
    // The worker would never retry them: the retry_on entry would be a silent no-op.
    throw new UsageError(
      `Invalid job: ${describeExitCodes(inBoth)} in both ${label("retry_on")} and ${
        label("no_retry_on")
      }: list each code in one of them`,
    );
  }
  return {
    id,
    command,
    cwd: context.cwd,
    queue: input.queue === undefined ? "default" : validateQueueName(input.queue, label("queue")),
    maxRetries: input.max_retries === undefined
      ? context.defaultMaxRetries
      : wholeNumberIn(input.max_retries, label("max_retries"), 0, 1000),
    priority: input.priority === undefined
      ? 0
      : wholeNumberIn(input.priority, label("priority"), -MAX_PRIORITY, MAX_PRIORITY),
    runAt,
    timeoutMs: input.timeout === undefined ? null : timeoutOf(input.timeout, label("timeout")),
    uniqueKey: input.unique_key === undefined
      ? null
      : validateUniqueKey(input.unique_key, label("unique_key")),
    env: input.env === undefined ? {} : validateEnv(input.env, label("env")),
    retryOn,
    noRetryOn,
    after,
  };
}

/** A job's time limit: up to MAX_TIMEOUT_MS, as for config job_timeout; 0 is none. */
function timeoutOf(value: unknown, label: string): number {
  const ms = parseDurationValue(value, label);
  if (ms > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `Invalid ${label} ${quoteGiven(value)}: expected 0 or a duration from 1ms to ${
        formatDuration(MAX_TIMEOUT_MS)
      }`,
    );
  }
  return ms;
}

const utf8 = new TextEncoder();

/** Whether `text` is over `max` bytes in UTF-8; it is encoded only when its length leaves doubt. */
function isOverUtf8Bytes(text: string, max: number): boolean {
  // A UTF-16 code unit takes 1 to 3 bytes (a surrogate pair, two units, takes 4).
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return utf8.encode(text).length > max;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by the worker for every attempt, over the job's own env: a job's value would be lost. */
export const WORKER_ENV_NAMES: readonly string[] = ["QUEUECTL_JOB_ID", "QUEUECTL_ATTEMPT"];

function validateEnv(value: unknown, label: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(
      `Invalid job: ${label} must be an object of strings, got ${describeType(value)}`,
    );
  }
  for (const [name, text] of Object.entries(value)) {
    if (!ENV_NAME.test(name)) {
      throw new UsageError(
        `Invalid job: ${label} has an invalid variable name ${quoteValue(name)}`,
      );
    }
    if (WORKER_ENV_NAMES.includes(name)) {
      throw new UsageError(
        `Invalid job: ${label} sets ${name}, which the worker sets for each attempt: ` +
          "use another name",
      );
    }
    if (typeof text !== "string" || text.includes("\0")) {
      throw new UsageError(`Invalid job: ${label} value of ${name} must be a string`);
    }
  }
  return value as Record<string, string>;
}

/** Parses `KEY=VALUE` assignments (from `--env`) into an object. */
export function parseEnvAssignments(assignments: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf("=");
    const name = equals === -1 ? assignment : assignment.slice(0, equals);
    if (equals === -1 || !ENV_NAME.test(name)) {
      throw new UsageError(
        `Invalid --env ${quoteValue(assignment)}: use KEY=VALUE, such as --env MODE=ci`,
      );
    }
    // As for an option given twice: the last value winning unsaid would hide a script's mistake.
    if (Object.hasOwn(env, name)) {
      throw new UsageError(
        `Option --env sets ${name} twice (${quoteJsonValue(`${name}=${env[name]}`)}, ${
          quoteJsonValue(assignment)
        }): give each variable once`,
      );
    }
    env[name] = assignment.slice(equals + 1);
  }
  return env;
}

function validateUniqueKey(value: unknown, label: string): string {
  // Blank, it would look unset in `show` and in messages naming the key.
  if (typeof value !== "string" || value.trim() === "" || value.length > 256) {
    throw new UsageError(
      `Invalid job: ${label} must be a string of 1 to 256 characters, not only spaces`,
    );
  }
  return value;
}

function exitCodesOf(value: unknown, label: string): number[] | null {
  if (value === undefined) return null;
  if (typeof value === "string") return parseExitCodes(value, label);
  if (Array.isArray(value) && value.length === 0) {
    // Not "none": read literally, [] for retry_on would mean that no code is retried.
    throw new UsageError(
      `Invalid job: ${label} is an empty list: give exit codes such as [75, 124], or leave it out`,
    );
  }
  if (Array.isArray(value) && value.every((code) => typeof code === "number")) {
    return parseExitCodes(value.join(","), label);
  }
  throw new UsageError(
    `Invalid job: ${label} must be exit codes such as [75, 124] or "75,124", got ${
      describeType(value)
    }`,
  );
}

function validateAfter(value: unknown, label: string): string[] {
  const ids = typeof value === "string" ? commaListItems(value, label) : value;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new UsageError(`Invalid job: ${label} must list job ids, such as "build,lint"`);
  }
  for (const id of ids) validateId(id, label);
  return [...new Set(ids as string[])];
}

function validateId(value: unknown, label: string): string {
  if (typeof value !== "string") {
    throw new UsageError(`Invalid job: ${label} must be a string, got ${describeType(value)}`);
  }
  return validateJobId(value, label);
}

export function validateQueueName(value: unknown, label = "queue"): string {
  if (typeof value !== "string" || !QUEUE_PATTERN.test(value)) {
    throw new UsageError(
      `Invalid ${label} ${
        quoteGiven(value)
      }: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

function wholeNumberIn(value: unknown, label: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `Invalid job: ${label} must be a whole number from ${min} to ${max}, got ${
        quoteGiven(value)
      }`,
    );
  }
  return value;
}

/**
 * A refused value as an error names it: as JSON, but a number as JavaScript writes it. JSON reads
 * a number past the range of a double (1e400) as Infinity, which JSON.stringify writes as null:
 * the error would say "got null" of a number.
 */
function quoteGiven(value: unknown): string {
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? quoteJsonValue(value) : JSON.stringify(value);
}
