/** The stress run's report: what ran, how the CLI calls ended, and what the checks found. */
import type { CallRecord } from "./cli.ts";

function commandName(args: readonly string[]): string {
  const twoWords = ["worker", "queue", "dlq", "config"];
  return twoWords.includes(args[0] ?? "") ? `${args[0]} ${args[1]}` : args[0] ?? "";
}

/**
 * The last line of a message (`run` first says which job it enqueued) with its ids and numbers
 * blanked, so that one kind of refusal counts once.
 */
function messageShape(stderr: string): string {
  return (stderr.trim().split("\n").at(-1) ?? "")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b[\w-]*\d[\w.-]*\b/g, "N");
}

/** Per command, the calls by exit status, and the kinds of message of the failed ones. */
export function summarizeCalls(calls: readonly CallRecord[]): string[] {
  const byCommand = new Map<string, Map<number, number>>();
  const messages = new Map<string, number>();
  for (const call of calls) {
    const name = commandName(call.args);
    const codes = byCommand.get(name) ?? new Map<number, number>();
    codes.set(call.code, (codes.get(call.code) ?? 0) + 1);
    byCommand.set(name, codes);
    if (call.code !== 0) {
      const key = `${name} exit ${call.code}: ${messageShape(call.stderr)}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
    }
  }
  const lines = [...byCommand].sort(([a], [b]) => a.localeCompare(b)).map(([name, codes]) =>
    `  ${name}: ${
      [...codes].sort(([a], [b]) => a - b).map(([code, n]) => `${n}× exit ${code}`).join(", ")
    }`
  );
  lines.push("failed calls by message:");
  for (const [message, n] of [...messages].sort(([, a], [, b]) => b - a)) {
    lines.push(`  ${n}× ${message}`);
  }
  return lines;
}
