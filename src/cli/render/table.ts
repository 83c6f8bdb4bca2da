import { displayWidth, replaceControls, truncateToWidth } from "./display_width.ts";

export interface TableOptions {
  /**
   * Headers of the free-text columns that are shortened, widest first, with an ellipsis when
   * a line would be wider than the terminal (default: the last column).
   */
  readonly shrink?: readonly string[];
}

/**
 * Renders rows as aligned columns, measured in terminal cells, with control characters made
 * visible so that a cell cannot move the cursor or recolour the screen. When a width is given
 * (a terminal), the free-text columns are shortened so that no line wraps; if that is not
 * enough, lines are cut at the terminal's edge.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width: number | null,
  options: TableOptions = {},
): string {
  const cells = [headers, ...rows].map((row) =>
    headers.map((_, column) => replaceControls(row[column] ?? ""))
  );
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => displayWidth(row[column]!)))
  );
  if (width !== null) {
    const shrink = (options.shrink ?? [headers.at(-1)!]).map((header) => headers.indexOf(header))
      .filter((column) => column >= 0);
    fitColumns(widths, shrink, headers, width);
  }
  const format = (row: readonly string[]) => {
    const line = row.map((cell, column) => {
      const fitted = truncateToWidth(cell, widths[column]!);
      const last = column === row.length - 1;
      return last ? fitted : fitted + " ".repeat(widths[column]! - displayWidth(fitted));
    }).join("  ");
    const trimmed = line.trimEnd();
    return width === null ? trimmed : truncateToWidth(trimmed, width);
  };
  return cells.map(format).join("\n") + "\n";
}

/**
 * Narrows the shrinkable columns, the widest first (to one level, as high as fits), until a line
 * fits in `width` cells or each is as narrow as its header.
 */
function fitColumns(
  widths: number[],
  shrink: readonly number[],
  headers: readonly string[],
  width: number,
): void {
  const excess = widths.reduce((sum, cells) => sum + cells, 0) + 2 * (widths.length - 1) - width;
  if (excess <= 0) return;
  const floor = (column: number) => displayWidth(headers[column]!);
  const cut = (level: number) =>
    shrink.reduce(
      (sum, column) => sum + Math.max(0, widths[column]! - Math.max(level, floor(column))),
      0,
    );
  if (cut(0) < excess) {
    // Not enough even at their headers' width: the lines are cut at the terminal's edge.
    for (const column of shrink) widths[column] = floor(column);
    return;
  }
  // The highest level whose cut is enough: cut() only grows as the level falls.
  let low = 0;
  let high = Math.max(...widths);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cut(middle) >= excess) low = middle;
    else high = middle - 1;
  }
  const level = low + 1;
  let remaining = excess - cut(level);
  for (const column of shrink) {
    widths[column] = Math.max(Math.min(widths[column]!, level), floor(column));
    // The last few cells come off columns at the level, one each.
    if (remaining > 0 && widths[column] === level && floor(column) < level) {
      widths[column]!--;
      remaining--;
    }
  }
}
