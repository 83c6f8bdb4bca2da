import type { CommandDefinition, OptionSpecs } from "./command.ts";
import { optionFlag } from "./parse_args.ts";
import { type CommandEntry, COMMANDS } from "./registry.ts";

const HELP_OPTION = "  -h, --help";

export function rootHelp(): string {
  const width = Math.max(...COMMANDS.map((entry) => entry.name.length)) + 2;
  return [
    "queuectl: a durable background job queue for shell commands",
    "",
    "Usage: queuectl <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (also after any command)",
    "  -V, --version  show the version",
    "      --debug    add the stack trace to an error (with any command; or set QUEUECTL_DEBUG)",
    "",
    "Data lives in $QUEUECTL_HOME (default ~/.queuectl).",
    "Exit status: 0 success, 1 operational failure, 2 invalid usage; 124 wait --timeout",
    "passed, or run's job timed out; 130 run interrupted (Ctrl-C), 143 terminated (SIGTERM);",
    "141 stdout closed before run or wait was done. run exits with its job's exit code when",
    "the job ended dead.",
    "",
    "Example:",
    "  queuectl enqueue 'echo hello' && queuectl worker start --count 2 && queuectl status",
    "",
  ].join("\n");
}

export function groupHelp(group: string, entries: readonly CommandEntry[]): string {
  const width = Math.max(...entries.map((entry) => entry.name.length)) + 2;
  return [
    `Usage: queuectl ${group} <command> [options]`,
    "",
    "Commands:",
    ...entries.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`),
    "",
  ].join("\n");
}

export function commandHelp(entry: CommandEntry, definition: CommandDefinition): string {
  const optionLines = describeOptions(definition.options);
  const lines = [
    `Usage: queuectl ${entry.name}${optionLines.length > 0 ? " [options]" : ""}${
      definition.arguments ? ` ${definition.arguments}` : ""
    }`,
    "",
    `${entry.summary[0]!.toUpperCase()}${entry.summary.slice(1)}.`,
  ];
  if (definition.description) lines.push("", definition.description);
  lines.push("", "Options:");
  const width = Math.max(HELP_OPTION.length, ...optionLines.map(([left]) => left.length)) + 2;
  for (const [left, right] of optionLines) lines.push(`${left.padEnd(width)}${right}`);
  lines.push(`${HELP_OPTION.padEnd(width)}show this help`);
  if (definition.examples.length > 0) {
    lines.push("", definition.examples.length === 1 ? "Example:" : "Examples:");
    for (const example of definition.examples) lines.push(`  ${example}`);
  }
  return `${lines.join("\n")}\n`;
}

function describeOptions(options: OptionSpecs): [string, string][] {
  return Object.entries(options).map(([key, spec]) => {
    const alias = spec.alias ? `-${spec.alias}, ` : "    ";
    const value = spec.placeholder ? ` ${spec.placeholder}` : "";
    return [`  ${alias}${optionFlag(key)}${value}`, spec.description];
  });
}
