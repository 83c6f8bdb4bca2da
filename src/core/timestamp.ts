import { quoteValue, UsageError } from "./errors.ts";

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 date or date-time. Without a zone it is local time (date-only means local
 * midnight), so `--run-at 2026-12-01T09:00` means nine o'clock where the user is.
 */
export function parseTimestamp(text: string, what = "time"): number {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `Invalid ${what} ${
        quoteValue(text)
      }: use ISO-8601, such as 2026-12-01T09:30:00Z or 2026-12-01T09:30`,
    );
  }
  const [, y, mo, d, h, mi = "0", s = "0", frac = "0", zone] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h ?? "0"), minute = Number(mi), second = Number(s);
  const millis = Math.floor(Number(`0.${frac}`) * 1000);
  const valid = month >= 1 && month <= 12 && day >= 1 &&
    day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59 &&
    (zone === undefined || isValidZone(zone));
  if (!valid) throw new UsageError(`Invalid ${what} ${quoteValue(text)}: no such date or time`);
  let ms: number;
  if (zone === undefined) {
    const local = new Date(year, month - 1, day, hour, minute, second, millis);
    // A time in the hour the clocks skip in spring does not exist here: Date moves it on by the
    // skip, and the job would run at another time than the one given. A date alone means the
    // start of that day, whenever it starts. A time the clocks repeat in autumn is taken at its
    // first occurrence (daylight time), as Date takes it.
    if (h !== undefined && !isLocalTime(local, day, hour, minute)) {
      throw new UsageError(
        `Invalid ${what} ${
          quoteValue(text)
        }: no such local time: the clocks of the local time zone skip it`,
      );
    }
    ms = local.getTime();
  } else {
    ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - zoneOffsetMs(zone);
  }
  // Date.UTC and new Date read years 0-99 as 1900-1999: those years are out of range anyway.
  if (!Number.isFinite(ms) || ms < 0 || year < 1970) {
    throw new UsageError(`Invalid ${what} ${quoteValue(text)}: out of range`);
  }
  return ms;
}

/** The last millisecond that `toISOString` writes with a four-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;
const DAY_MS = 86_400_000;

/**
 * The time as `Date.prototype.toISOString` writes it, by arithmetic: a process's first `Date`
 * and `toISOString` cost it ~1.5 ms (the runtime initialises its date code then), and every
 * `--json` job carries timestamps. Outside 1970–9999, or for a fractional time, Date does it.
 */
export function toIso(ms: number): string;
export function toIso(ms: number | null): string | null;
export function toIso(ms: number | null): string | null {
  if (ms === null) return null;
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) {
    return new Date(ms).toISOString();
  }
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const [year, month, day] = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${
    pad(Math.floor(inDay / 3_600_000), 2)
  }:${pad(Math.floor(inDay / 60_000) % 60, 2)}:${pad(Math.floor(inDay / 1000) % 60, 2)}.${
    pad(inDay % 1000, 3)
  }Z`;
}

/**
 * Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian), by Howard
 * Hinnant's `civil_from_days`: 400-year eras of 146,097 days, years starting in March.
 */
function civilFromDays(daysSinceEpoch: number): [number, number, number] {
  const z = daysSinceEpoch + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra -
    (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** Whether `local` reads as the day, hour and minute it was made from, not moved by a skip. */
function isLocalTime(local: Date, day: number, hour: number, minute: number): boolean {
  return local.getDate() === day && local.getHours() === hour && local.getMinutes() === minute;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An offset of at most ±23:59, as RFC 3339 allows. */
function isValidZone(zone: string): boolean {
  if (zone.toUpperCase() === "Z") return true;
  const digits = zone.slice(1).replace(":", "");
  return Number(digits.slice(0, 2)) <= 23 && Number(digits.slice(2)) <= 59;
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
