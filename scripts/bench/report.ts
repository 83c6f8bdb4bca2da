/** Result rows and the table the benchmark prints (Markdown, so docs can quote it as is). */

export interface Row {
  readonly scenario: string;
  readonly measure: string;
  readonly result: string;
  /** The baseline measured in the same run, with its name. */
  readonly baseline?: string;
  readonly ratio?: string;
  readonly target?: string;
  /** true pass, false miss, undefined: informative row without a target. */
  readonly pass?: boolean;
}

export interface BenchConfig {
  readonly quick: boolean;
  /** Repetitions for medians; scenarios scale it to their cost. */
  readonly runs: number;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (Math.abs(value) >= 100) return `${value.toFixed(0)} ms`;
  if (Math.abs(value) >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

export function renderTable(rows: readonly Row[]): string {
  const header = ["Scenario", "Measure", "Result", "Baseline (same run)", "Ratio", "Target", ""];
  const body = rows.map((row) =>
    [
      row.scenario,
      row.measure,
      row.result,
      row.baseline ?? "",
      row.ratio ?? "",
      row.target ?? "",
      row.pass === undefined ? "" : row.pass ? "pass" : "MISS",
    ].map((cell) => cell.replaceAll("|", "\\|"))
  );
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map((line) => line[column]!.length))
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}
