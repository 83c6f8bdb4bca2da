import { UsageError } from "./errors.ts";

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
      `Invalid ${what} "${text}": use ISO-8601, such as 2026-12-01T09:30:00Z or 2026-12-01T09:30`,
    );
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  const millis = Math.floor(Number(`0.${frac}`) * 1000);
  const valid = month >= 1 && month <= 12 && day >= 1 &&
    day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59 &&
    (zone === undefined || isValidZone(zone));
  if (!valid) throw new UsageError(`Invalid ${what} "${text}": no such date or time`);
  let ms: number;
  if (zone === undefined) {
    ms = new Date(year, month - 1, day, hour, minute, second, millis).getTime();
  } else {
    ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - zoneOffsetMs(zone);
  }
  // Date.UTC and new Date read years 0-99 as 1900-1999: those years are out of range anyway.
  if (!Number.isFinite(ms) || ms < 0 || year < 1970) {
    throw new UsageError(`Invalid ${what} "${text}": out of range`);
  }
  return ms;
}

export function toIso(ms: number): string;
export function toIso(ms: number | null): string | null;
export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
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
