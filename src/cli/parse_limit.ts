import { UsageError } from "../core/errors.ts";

const MAX_LIMIT = 1_000_000;

/** Parses a `--limit` value: a whole number from 1 to a million. */
export function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > MAX_LIMIT) {
    throw new UsageError(
      `Invalid --limit "${text}": expected a whole number from 1 to ${MAX_LIMIT}`,
    );
  }
  return value;
}
