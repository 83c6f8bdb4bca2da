import { commaListItems } from "./comma_list.ts";
import { quoteValue, UsageError } from "./errors.ts";

/**
 * Parses a comma-separated list of exit codes ("75,124"); "none" means no list. An empty or
 * blank text is refused rather than read as "none": it is more likely an unset variable.
 */
export const EXIT_CODES_EXPECTED =
  "expected exit codes from 0 to 255, comma-separated (e.g. 75,124), or none";

export function parseExitCodes(text: string, label: string): number[] | null {
  if (text.trim().toLowerCase() === "none") return null;
  const codes = commaListItems(text, label);
  if (codes.length === 0 || codes.some((code) => !/^\d+$/.test(code) || Number(code) > 255)) {
    throw new UsageError(`Invalid ${label} ${quoteValue(text)}: ${EXIT_CODES_EXPECTED}`);
  }
  return [...new Set(codes.map(Number))].sort((a, b) => a - b);
}

export function formatExitCodes(codes: readonly number[] | null): string {
  return codes === null ? "none" : codes.join(",");
}

/** The codes in both lists, in order; none when either list is absent. */
export function exitCodesInBoth(
  retryOn: readonly number[] | null,
  noRetryOn: readonly number[] | null,
): number[] {
  if (retryOn === null || noRetryOn === null) return [];
  return retryOn.filter((code) => noRetryOn.includes(code));
}

/** "exit code 75 is" or "exit codes 75,124 are", for a message naming codes of a list. */
export function describeExitCodes(codes: readonly number[]): string {
  return codes.length === 1 ? `exit code ${codes[0]} is` : `exit codes ${codes.join(",")} are`;
}
