import { durationMs, formatDuration, formatDurationExact, MAX_TIMEOUT_MS } from "./duration.ts";
import { quoteValue, UsageError } from "./errors.ts";
import {
  describeExitCodes,
  EXIT_CODES_EXPECTED,
  exitCodesInBoth,
  formatExitCodes,
  parseExitCodes,
} from "./exit_codes.ts";

/** Settings that live in the database and reach running workers without a restart. */
export interface Config {
  readonly maxRetries: number;
  readonly backoffBase: number;
  readonly backoffUnitMs: number;
  readonly backoffMaxMs: number;
  /** 0: no timeout. */
  readonly jobTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly leaseSeconds: number;
  readonly killGraceMs: number;
  /** Exit codes worth a retry (null: any); see RetryPolicy. */
  readonly retryOn: readonly number[] | null;
  /** Exit codes never retried (null: none). */
  readonly noRetryOn: readonly number[] | null;
  /** Terminal jobs older than this are pruned by workers (0: kept forever). */
  readonly retentionMs: number;
}

type ConfigValue = number | readonly number[] | null;

interface ConfigKeyDefinition {
  readonly key: string;
  readonly field: keyof Config;
  readonly description: string;
  readonly defaultText: string;
  /** Parses and validates text into the stored value; throws UsageError. */
  /** How `config list --json` shows the value: a number, a duration's text, exit codes. */
  readonly kind: "number" | "duration" | "exit_codes";
  readonly parse: (text: string) => ConfigValue;
  /** The canonical text of a value, as `config get` prints it. */
  readonly format: (value: ConfigValue) => string;
  /** What 0 means, for a duration whose 0 is not a length of time but its absence. */
  readonly zeroMeans?: string;
}

function wholeNumber(key: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      throw new UsageError(
        `Invalid value ${
          quoteValue(text)
        } for ${key}: expected a whole number from ${min} to ${max}`,
      );
    }
    return value;
  };
}

function decimal(key: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!/^\d+(?:\.\d+)?$/.test(text.trim()) || value < min || value > max) {
      throw new UsageError(
        `Invalid value ${quoteValue(text)} for ${key}: expected a number from ${min} to ${max}`,
      );
    }
    return value;
  };
}

/**
 * A duration from minMs (0 or at least 1ms) to maxMs. Every refusal names the range, and 0 only
 * where the key takes it; a value under 1ms is not rounded to 0.
 */
function duration(key: string, minMs: number, maxMs: number): (text: string) => number {
  const range = `${minMs === 0 ? "0 or " : ""}a duration from ${
    formatDuration(Math.max(minMs, 1))
  } to ${formatDuration(maxMs)}`;
  return (text) => {
    const ms = durationMs(text);
    if (ms === null) {
      throw new UsageError(
        `Invalid value ${quoteValue(text)} for ${key}: expected ${range}, such as 30s or 5m`,
      );
    }
    const whole = Math.round(ms);
    if ((whole === 0 && ms > 0) || whole < minMs || whole > maxMs) {
      throw new UsageError(`Invalid value ${quoteValue(text)} for ${key}: expected ${range}`);
    }
    return whole;
  };
}

/** A setting holding a list of exit codes, "none" by default. */
function exitCodeListKey(
  key: string,
  field: keyof Config,
  description: string,
): ConfigKeyDefinition {
  return {
    key,
    field,
    description,
    defaultText: "none",
    kind: "exit_codes",
    parse: (text) => {
      try {
        return parseExitCodes(text, key);
      } catch {
        // The one shape of every config refusal: Invalid value "<text>" for <key>: <what fits>.
        throw new UsageError(
          `Invalid value ${quoteValue(text)} for ${key}: ${EXIT_CODES_EXPECTED}`,
        );
      }
    },
    format: (value) => formatExitCodes(value as readonly number[] | null),
  };
}

const DAY_MS = 86_400_000;

export const CONFIG_KEYS: readonly ConfigKeyDefinition[] = [
  {
    key: "max_retries",
    field: "maxRetries",
    description: "retries after the first failed attempt, for jobs enqueued without their own",
    defaultText: "3",
    kind: "number",
    parse: wholeNumber("max_retries", 0, 1000),
    format: (value) => String(value),
  },
  {
    key: "backoff_base",
    field: "backoffBase",
    description: "retry n waits backoff_unit × backoff_base^n",
    defaultText: "2",
    kind: "number",
    parse: decimal("backoff_base", 1, 100),
    format: (value) => String(value),
  },
  {
    key: "backoff_unit",
    field: "backoffUnitMs",
    description: "the unit of the backoff formula",
    defaultText: "1s",
    kind: "duration",
    parse: duration("backoff_unit", 1, DAY_MS),
    format: (value) => formatDurationExact(value as number),
  },
  {
    key: "backoff_max",
    field: "backoffMaxMs",
    description: "the longest wait before a retry",
    defaultText: "1h",
    kind: "duration",
    parse: duration("backoff_max", 1, 30 * DAY_MS),
    format: (value) => formatDurationExact(value as number),
  },
  {
    key: "job_timeout",
    field: "jobTimeoutMs",
    description: "default time limit of one attempt (0 = none; at most 30d, as --timeout)",
    defaultText: "0",
    kind: "duration",
    parse: duration("job_timeout", 0, MAX_TIMEOUT_MS),
    format: (value) => formatDurationExact(value as number),
    zeroMeans: "no limit",
  },
  {
    key: "poll_interval_ms",
    field: "pollIntervalMs",
    description: "fallback poll of idle workers, in ms (enqueue wakes them at once)",
    defaultText: "5000",
    kind: "number",
    parse: wholeNumber("poll_interval_ms", 10, 60_000),
    format: (value) => String(value),
  },
  {
    key: "lease_seconds",
    field: "leaseSeconds",
    description: "a job whose worker sends no heartbeat for this long is recovered",
    defaultText: "30",
    kind: "number",
    parse: wholeNumber("lease_seconds", 1, 86_400),
    format: (value) => String(value),
  },
  {
    key: "kill_grace",
    field: "killGraceMs",
    description: "time between SIGTERM and SIGKILL when a job is killed",
    defaultText: "5s",
    kind: "duration",
    parse: duration("kill_grace", 0, 3_600_000),
    format: (value) => formatDurationExact(value as number),
  },
  exitCodeListKey(
    "retry_on",
    "retryOn",
    "only these exit codes are retried (none = any; a timeout counts as 124)",
  ),
  exitCodeListKey("no_retry_on", "noRetryOn", "these exit codes go straight to the DLQ"),
  {
    key: "retention",
    field: "retentionMs",
    description: "workers delete terminal jobs older than this, with their logs (0 = keep)",
    defaultText: "0",
    kind: "duration",
    parse: duration("retention", 0, 3650 * DAY_MS),
    format: (value) => formatDurationExact(value as number),
    zeroMeans: "kept forever",
  },
];

/**
 * The defaults as values, written out rather than parsed from each key's `defaultText` at load:
 * that parse ran every parser once in every process (~1 ms of first-run code per command). A
 * test keeps the two in step.
 */
export const DEFAULT_CONFIG: Config = {
  maxRetries: 3,
  backoffBase: 2,
  backoffUnitMs: 1_000,
  backoffMaxMs: 3_600_000,
  jobTimeoutMs: 0,
  pollIntervalMs: 5_000,
  leaseSeconds: 30,
  killGraceMs: 5_000,
  retryOn: null,
  noRetryOn: null,
  retentionMs: 0,
};

/** Finds a key's definition; accepts dashes for underscores (`max-retries`). */
export function findConfigKey(name: string): ConfigKeyDefinition {
  const normalized = name.trim().toLowerCase().replaceAll("-", "_");
  const definition = CONFIG_KEYS.find((candidate) => candidate.key === normalized);
  if (!definition) {
    throw new UsageError(
      `Unknown config key ${quoteValue(name)}: valid keys are ${
        CONFIG_KEYS.map((k) => k.key).join(", ")
      }`,
    );
  }
  return definition;
}

/**
 * Refuses a value that contradicts the other settings: an exit code in both retry_on and
 * no_retry_on, which the worker would never retry (the retry_on entry would do nothing).
 */
export function checkAgainstConfig(
  config: Config,
  definition: ConfigKeyDefinition,
  value: ConfigValue,
): void {
  if (definition.kind !== "exit_codes") return;
  const other = CONFIG_KEYS.find((key) => key.kind === "exit_codes" && key !== definition)!;
  const otherCodes = config[other.field] as readonly number[] | null;
  const inBoth = exitCodesInBoth(value as readonly number[] | null, otherCodes);
  if (inBoth.length > 0) {
    throw new UsageError(
      `Invalid value ${quoteValue(definition.format(value))} for ${definition.key}: ${
        describeExitCodes(inBoth)
      } in ${other.key} (${formatExitCodes(otherCodes)}) too: set ${other.key} without ${
        inBoth.length === 1 ? "it" : "them"
      } first`,
    );
  }
}

const BACKOFF_KEYS: readonly string[] = ["backoff_base", "backoff_unit", "backoff_max"];

/**
 * What a backoff setting just set means, when it is accepted but not what it looks like: once
 * the first retry's wait (backoff_unit × backoff_base) reaches backoff_max, every retry waits
 * backoff_max. Accepted all the same, since the other key may be set next to fix it; null when
 * there is nothing to say.
 */
export function backoffNote(config: Config, key: string): string | null {
  if (!BACKOFF_KEYS.includes(key)) return null;
  const firstWaitMs = config.backoffUnitMs * config.backoffBase;
  if (firstWaitMs < config.backoffMaxMs) return null;
  return `every retry waits backoff_max (${
    formatDurationExact(config.backoffMaxMs)
  }), since backoff_unit × backoff_base (${
    formatDurationExact(config.backoffUnitMs)
  } × ${config.backoffBase} = ${
    formatDurationExact(firstWaitMs)
  }) reaches it: raise backoff_max or lower backoff_unit for waits that grow`;
}

/** Builds a Config from stored key/value text; unknown or invalid stored rows fall back. */
export function configFromStored(stored: ReadonlyMap<string, string>): Config {
  const config: Record<string, ConfigValue> = { ...DEFAULT_CONFIG };
  for (const definition of CONFIG_KEYS) {
    const text = stored.get(definition.key);
    if (text === undefined) continue;
    try {
      config[definition.field] = definition.parse(text);
    } catch {
      // A value written by a newer version with a wider range: keep the default.
    }
  }
  return config as unknown as Config;
}

/** A setting's value in `config list --json`: numbers as numbers, durations as text. */
export type ConfigJsonValue = string | number | readonly number[] | null;

export interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  /** The value for people: `value`, and what it means when 0 means none (`0 (no limit)`). */
  readonly shown: string;
  readonly json: ConfigJsonValue;
  readonly default: string;
  readonly description: string;
}

/** Numbers and exit-code lists keep their type; durations are their text (`5s`, `0`). */
function configJsonValue(definition: ConfigKeyDefinition, value: ConfigValue): ConfigJsonValue {
  return definition.kind === "duration" ? definition.format(value) : value;
}

/** A value as people read it: its canonical text, and what it means when 0 means none. */
export function showConfigValue(definition: ConfigKeyDefinition, value: ConfigValue): string {
  const text = definition.format(value);
  return value === 0 && definition.zeroMeans ? `${text} (${definition.zeroMeans})` : text;
}

export function describeConfig(config: Config): ConfigEntry[] {
  return CONFIG_KEYS.map((definition) => ({
    key: definition.key,
    value: definition.format(config[definition.field]),
    shown: showConfigValue(definition, config[definition.field]),
    json: configJsonValue(definition, config[definition.field]),
    default: definition.defaultText,
    description: definition.description,
  }));
}
