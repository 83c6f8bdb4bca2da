/**
 * Renders rows as aligned columns. When a width is given (a terminal), the last column is
 * shortened so that no line wraps.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width: number | null,
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const format = (cells: readonly string[]) => {
    const line = cells.map((cell, column) =>
      column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)
    ).join("  ");
    return width !== null && line.length > width ? `${line.slice(0, width - 1)}…` : line;
  };
  return [format(headers), ...rows.map(format)].join("\n") + "\n";
}
