import type { CommandDefinition } from "./command.ts";

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Loaded only when the command runs, so each invocation imports just what it needs. */
  readonly load: () => Promise<{ default: CommandDefinition }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "enqueue",
    summary: "add jobs to the queue",
    load: () => import("./commands/enqueue.ts"),
  },
  {
    name: "status",
    summary: "job counts by state and the running workers",
    load: () => import("./commands/status.ts"),
  },
  {
    name: "list",
    summary: "list jobs, optionally by state",
    load: () => import("./commands/list.ts"),
  },
  {
    name: "show",
    summary: "show one job in full",
    load: () => import("./commands/show.ts"),
  },
  {
    name: "logs",
    summary: "print a job's captured output, every attempt",
    load: () => import("./commands/logs.ts"),
  },
  {
    name: "run",
    summary: "enqueue a command, stream its output, exit with its exit code",
    load: () => import("./commands/run.ts"),
  },
  {
    name: "wait",
    summary: "wait until jobs have ended; exit 1 if any failed",
    load: () => import("./commands/wait.ts"),
  },
  {
    name: "cancel",
    summary: "cancel pending, failed or running jobs",
    load: () => import("./commands/cancel.ts"),
  },
  {
    name: "prune",
    summary: "delete old finished jobs and their logs",
    load: () => import("./commands/prune.ts"),
  },
  {
    name: "worker start",
    summary: "start worker processes in the background",
    load: () => import("./commands/worker_start.ts"),
  },
  {
    name: "worker run",
    summary: "run one worker in the foreground until SIGINT/SIGTERM",
    load: () => import("./commands/worker_run.ts"),
  },
  {
    name: "worker stop",
    summary: "stop running workers after their current job",
    load: () => import("./commands/worker_stop.ts"),
  },
  {
    name: "worker list",
    summary: "list running workers",
    load: () => import("./commands/worker_list.ts"),
  },
  {
    name: "dlq list",
    summary: "list jobs in the dead-letter queue",
    load: () => import("./commands/dlq_list.ts"),
  },
  {
    name: "dlq retry",
    summary: "move dead jobs back to pending",
    load: () => import("./commands/dlq_retry.ts"),
  },
  {
    name: "queue list",
    summary: "job counts, pause state and limit of each queue",
    load: () => import("./commands/queue_list.ts"),
  },
  {
    name: "queue pause",
    summary: "stop claiming from a queue",
    load: () => import("./commands/queue_pause.ts"),
  },
  {
    name: "queue resume",
    summary: "claim from a paused queue again",
    load: () => import("./commands/queue_resume.ts"),
  },
  {
    name: "queue set",
    summary: "set a queue's concurrency limit across all workers",
    load: () => import("./commands/queue_set.ts"),
  },
  {
    name: "config list",
    summary: "show every setting",
    load: () => import("./commands/config_list.ts"),
  },
  {
    name: "config get",
    summary: "print one setting",
    load: () => import("./commands/config_get.ts"),
  },
  {
    name: "config set",
    summary: "change a setting (running workers pick it up)",
    load: () => import("./commands/config_set.ts"),
  },
  {
    name: "completions",
    summary: "print a completion script for bash, zsh or fish",
    load: () => import("./commands/completions.ts"),
  },
  {
    name: "version",
    summary: "show the version of queuectl, Deno and SQLite",
    load: () => import("./commands/version.ts"),
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
    definition: (await entry.load()).default,
  })));
}
