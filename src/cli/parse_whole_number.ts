import { quoteValue, UsageError } from "../core/errors.ts";

/** Parses the value of a numeric option such as `--limit`: a whole number from min to max. */
export function parseWholeNumber(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(
      `Invalid ${option} ${quoteValue(text)}: expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}
