import type { CommandDefinition } from "./command.ts";
import { importCommand } from "./command_module.ts";

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "enqueue",
    summary: "add jobs to the queue",
  },
  {
    name: "status",
    summary: "job counts by state and the running workers",
  },
  {
    name: "list",
    summary: "list jobs, optionally by state",
  },
  {
    name: "show",
    summary: "show one job in full",
  },
  {
    name: "logs",
    summary: "print a job's captured output, every attempt",
  },
  {
    name: "run",
    summary: "enqueue a command, stream its output, exit with its exit code",
  },
  {
    name: "wait",
    summary: "wait until jobs have ended; exit 1 if any failed",
  },
  {
    name: "cancel",
    summary: "cancel pending, failed or running jobs",
  },
  {
    name: "prune",
    summary: "delete old finished jobs and their logs",
  },
  {
    name: "worker start",
    summary: "start worker processes in the background",
  },
  {
    name: "worker run",
    summary: "run one worker in the foreground until SIGINT/SIGTERM",
  },
  {
    name: "worker stop",
    summary: "stop running workers after their current job",
  },
  {
    name: "worker list",
    summary: "list running workers",
  },
  {
    name: "dlq list",
    summary: "list jobs in the dead-letter queue",
  },
  {
    name: "dlq retry",
    summary: "move dead jobs back to pending",
  },
  {
    name: "queue list",
    summary: "job counts, pause state and limit of each queue",
  },
  {
    name: "queue pause",
    summary: "stop claiming from a queue",
  },
  {
    name: "queue resume",
    summary: "claim from a paused queue again",
  },
  {
    name: "queue set",
    summary: "set a queue's concurrency limit across all workers",
  },
  {
    name: "config list",
    summary: "show every setting",
  },
  {
    name: "config get",
    summary: "print one setting",
  },
  {
    name: "config set",
    summary: "change a setting (running workers pick it up)",
  },
  {
    name: "completions",
    summary: "print a completion script for bash, zsh or fish",
  },
  {
    name: "version",
    summary: "show the version of queuectl, Deno and SQLite",
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
