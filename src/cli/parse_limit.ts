import { parseWholeNumber } from "./parse_whole_number.ts";

const MAX_LIMIT = 1_000_000;

/** Parses a `--limit` value: a whole number from 1 to a million. */
export function parseLimit(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : parseWholeNumber("--limit", text, 1, MAX_LIMIT);
}
