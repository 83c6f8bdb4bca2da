import { quoteValue, UsageError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART_PATTERN = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Upper bound for any duration: 100 years, far inside the 2^53 ms limit of stored times. */
export const MAX_DURATION_MS = 100 * 365 * UNIT_MS.d!;

/**
 * The longest time limit of one attempt, for a job's own `--timeout` and config `job_timeout`
 * alike: the two say the same thing, so they take the same range (0 is no limit).
 */
export const MAX_TIMEOUT_MS = 30 * UNIT_MS.d!;

/**
 * The milliseconds that duration text spells, not yet rounded or bounded; null when it is not a
 * duration. For callers with their own range and message (config).
 */
export function durationMs(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!DURATION_PATTERN.test(trimmed)) return null;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART_PATTERN)) {
    ms += Number(amount) * UNIT_MS[unit!]!;
  }
  return ms;
}

/**
 * Parses a duration: "500ms", "30s", "5m", "2h", "1d", combinations such as "1h30m", or a plain
 * number of seconds ("90", "1.5"). Returns whole milliseconds.
 */
export function parseDuration(text: string, what = "duration"): number {
  const ms = durationMs(text);
  if (ms === null) {
    throw new UsageError(
      `Invalid ${what} ${
        quoteValue(text)
      }: use a number with a unit, such as 500ms, 30s, 5m, 2h or 1d`,
    );
  }
  if (ms > MAX_DURATION_MS) {
    throw new UsageError(`Invalid ${what} ${quoteValue(text)}: at most 100 years`);
  }
  return wholeMilliseconds(ms, quoteValue(text), what);
}

/**
 * Rounds to whole milliseconds, refusing a duration that is not zero but would become zero:
 * for a timeout, zero means none at all.
 */
function wholeMilliseconds(ms: number, given: string, what: string): number {
  const whole = Math.round(ms);
  if (whole === 0 && ms > 0) {
    throw new UsageError(`Invalid ${what} ${given}: under 1ms; give at least 1ms, or 0 for none`);
  }
  return whole;
}

/** Parses a duration given in JSON: a string as for parseDuration, or a number of seconds. */
export function parseDurationValue(value: unknown, what: string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new UsageError(`Invalid ${what} ${value}: give a number of seconds of at least 0`);
    }
    // Not through String(value): 1e-7 and 1e+21 are numbers, but not duration text.
    if (value * 1000 > MAX_DURATION_MS) {
      throw new UsageError(`Invalid ${what} ${value}: at most 100 years`);
    }
    return wholeMilliseconds(value * 1000, String(value), what);
  }
  if (typeof value === "string") return parseDuration(value, what);
  throw new UsageError(
    `Invalid ${what}: expected a duration such as "30s" or a number of seconds, got ${
      describeType(value)
    }`,
  );
}

const SPAN_UNITS = [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const;

/**
 * Formats milliseconds compactly: 250ms, 5s, 1.5s, 2m30s, 1h, 3d4h. From a minute on, in the two
 * largest units that are not zero, rounded to the smaller of them: 1h59m40s is 2h, not 1h59m.
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  // Rounded to tenths first, so that 59.95s is written 1m, not 60s.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  const shown = spanParts(Math.round(ms / 1000)).slice(0, 2);
  const step = shown.at(-1)!.size;
  // A multiple of the smaller unit shown: at most two units are left that are not zero.
  return spanParts(Math.round(ms / 1000 / step) * step)
    .map(({ count, unit }) => `${count}${unit}`).join("");
}

/** Whole seconds as counts of days, hours, minutes and seconds, leaving out the zeros. */
function spanParts(seconds: number): { count: number; unit: string; size: number }[] {
  const parts = [];
  let rest = seconds;
  for (const [unit, size] of SPAN_UNITS) {
    if (rest >= size) {
      parts.push({ count: Math.floor(rest / size), unit, size });
      rest %= size;
    }
  }
  return parts;
}

/**
 * Formats whole milliseconds without losing any: 1s234ms, 1h30m15s, 1d1h1m, and zero as "0".
 * For values stored as text (config), where formatDuration's rounding would change the value.
 */
export function formatDurationExact(ms: number): string {
  let rest = Math.round(ms);
  if (rest === 0) return "0";
  const parts: string[] = [];
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit]!;
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
