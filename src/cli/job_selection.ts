import { UsageError } from "../core/errors.ts";
import type { JobSelection } from "../store/store.ts";
import { checkJobIdArguments } from "./job_id_arguments.ts";
import { parseQueueNames } from "./queue_argument.ts";

/** How each command that takes `<id>... | --all [--queue <names>]` words what it selects. */
const SELECTING_COMMANDS = {
  retry: {
    state: "failed",
    done: "retried",
    nothingGiven: "Give the ids of failed jobs to retry now, or --all",
  },
  "dlq retry": {
    state: "dead",
    done: "retried",
    nothingGiven: "Give the ids of dead jobs to retry, or --all",
  },
  cancel: {
    state: "unfinished",
    done: "cancelled",
    nothingGiven: "Give the ids of the jobs to cancel, or --all",
  },
} as const;

export type SelectingCommand = keyof typeof SELECTING_COMMANDS;

/**
 * The jobs `retry` (failed), `dlq retry` (dead) or `cancel` (unfinished) acts on: named ids,
 * `--all`, or `--all --queue`. Named ids are taken whatever their queue, so ids and --queue
 * together are refused.
 */
export function jobSelection(
  command: SelectingCommand,
  options: { readonly all?: boolean | undefined; readonly queue?: string | undefined },
  positionals: readonly string[],
): JobSelection {
  const { state, done, nothingGiven } = SELECTING_COMMANDS[command];
  if (options.queue !== undefined && positionals.length > 0) {
    throw new UsageError(
      `--queue selects ${state} jobs for --all; named ids are ${done} whatever their queue: give ids alone, or --all --queue <names>`,
    );
  }
  if (options.all && positionals.length > 0) {
    throw new UsageError("Give job ids or --all, not both");
  }
  if (options.queue !== undefined && !options.all) {
    throw new UsageError(`--queue needs --all: queuectl ${command} --all --queue ${options.queue}`);
  }
  if (!options.all && positionals.length === 0) throw new UsageError(nothingGiven);
  checkJobIdArguments(positionals);
  if (options.queue !== undefined) return { queues: parseQueueNames(options.queue, "--queue") };
  return options.all ? "all" : [...new Set(positionals)];
}

/**
 * The note when --all found nothing to act on: with --queue, about those queues only (others may
 * have such jobs); else `everywhere`.
 */
export function nothingSelected(
  command: SelectingCommand,
  selection: JobSelection,
  everywhere: string,
): string {
  if (typeof selection !== "object" || !("queues" in selection)) return `queuectl: ${everywhere}`;
  const { queues } = selection;
  return `queuectl: No ${SELECTING_COMMANDS[command].state} jobs in queue${
    queues.length === 1 ? "" : "s"
  } ${queues.join(", ")}`;
}
