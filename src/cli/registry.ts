import type { CommandDefinition } from "./command.ts";
import { importCommand } from "./command_module.ts";

/**
 * What a command takes besides its options: nothing; arguments, which the command checks; or
 * arguments and a command line after `--`. run_cli.ts refuses anything more before the command
 * runs. Declared here, beside the summary, as it is known without loading the command's module.
 */
export type Operands = "none" | "arguments" | "command line";

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly operands: Operands;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "enqueue",
    summary: "add jobs to the queue",
    operands: "command line",
  },
  {
    name: "status",
    summary: "job counts by state and the running workers",
    operands: "none",
  },
  {
    name: "list",
    summary: "list jobs, optionally by state",
    operands: "none",
  },
  {
    name: "show",
    summary: "show one job in full",
    operands: "arguments",
  },
  {
    name: "logs",
    summary: "print a job's captured output, every attempt",
    operands: "arguments",
  },
  {
    name: "run",
    summary: "enqueue a command, stream its output, exit with its exit code",
    operands: "command line",
  },
  {
    name: "wait",
    summary: "wait until jobs have ended; exit 1 if any failed",
    operands: "arguments",
  },
  {
    name: "cancel",
    summary: "cancel pending, failed or running jobs",
    operands: "arguments",
  },
  {
    name: "retry",
    summary: "run failed jobs now instead of after their backoff",
    operands: "arguments",
  },
  {
    name: "prune",
    summary: "delete old finished jobs and their logs",
    operands: "none",
  },
  {
    name: "worker start",
    summary: "start worker processes in the background",
    operands: "none",
  },
  {
    name: "worker run",
    summary: "run one worker in the foreground until SIGINT/SIGTERM (--burst: until drained)",
    operands: "none",
  },
  {
    name: "worker stop",
    summary: "stop running workers after their current job",
    operands: "none",
  },
  {
    name: "worker list",
    summary: "list running workers",
    operands: "none",
  },
  {
    name: "dlq list",
    summary: "list jobs in the dead-letter queue",
    operands: "none",
  },
  {
    name: "dlq retry",
    summary: "move dead jobs back to pending",
    operands: "arguments",
  },
  {
    name: "queue list",
    summary: "job counts, pause state and limit of each queue",
    operands: "none",
  },
  {
    name: "queue pause",
    summary: "stop claiming from a queue",
    operands: "arguments",
  },
  {
    name: "queue resume",
    summary: "claim from a paused queue again",
    operands: "arguments",
  },
  {
    name: "queue set",
    summary: "set a queue's concurrency limit across all workers",
    operands: "arguments",
  },
  {
    name: "config list",
    summary: "show every setting",
    operands: "none",
  },
  {
    name: "config get",
    summary: "print one setting",
    operands: "arguments",
  },
  {
    name: "config set",
    summary: "change a setting (running workers pick it up)",
    operands: "arguments",
  },
  {
    name: "completions",
    summary: "print a completion script for bash, zsh or fish",
    operands: "arguments",
  },
  {
    name: "version",
    summary: "show the version of queuectl, Deno and SQLite",
    operands: "none",
  },
];

/** Finds the command named by the first words of argv; returns it and the remaining words. */
export function findCommand(
  argv: readonly string[],
): { entry: CommandEntry; args: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const entry = COMMANDS.find((candidate) => candidate.name === name);
    if (entry) return { entry, args: argv.slice(words) };
  }
  return null;
}

/** Commands of a group ("worker" → worker start, worker run, ...). */
export function commandsInGroup(group: string): CommandEntry[] {
  return COMMANDS.filter((entry) => entry.name.startsWith(`${group} `));
}

/** A registered command with its loaded definition. */
export interface LoadedCommand {
  readonly name: string;
  readonly summary: string;
  readonly definition: CommandDefinition;
}

/** Every command with its definition, loading all command modules (for shell completion). */
export async function loadAllCommands(): Promise<LoadedCommand[]> {
  return await Promise.all(COMMANDS.map(async (entry) => ({
    name: entry.name,
    summary: entry.summary,
    definition: await importCommand(entry.name),
  })));
}
