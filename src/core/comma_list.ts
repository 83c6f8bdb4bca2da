import { quoteValue, UsageError } from "./errors.ts";

/**
 * The items of a comma-separated value (`a, b`), trimmed; none when every one is blank (` `,
 * `,`), which each caller refuses in its own words. An empty item beside others (`a,,b`, `a,`)
 * is refused rather than dropped: in a script it is more likely a variable that came out empty
 * (`a,$B`) than meant.
 */
export function commaListItems(text: string, label: string): string[] {
  const items = text.split(",").map((item) => item.trim());
  if (items.every((item) => item === "")) return [];
  if (items.includes("")) {
    throw new UsageError(
      `Invalid ${label} ${
        quoteValue(text)
      }: an item is empty: separate items with single commas, none at either end`,
    );
  }
  return items;
}
