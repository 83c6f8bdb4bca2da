import { UsageError } from "../core/errors.ts";
import type { JobSelection } from "../store/store.ts";
import { checkJobIdArguments } from "./job_id_arguments.ts";
import { parseQueueNames } from "./queue_argument.ts";

/**
 * The jobs `retry` (failed) or `dlq retry` (dead) acts on: named ids, `--all`, or `--all --queue`.
 * Named ids are taken whatever their queue, so ids and --queue together are refused.
 */
export function retrySelection(
  command: "retry" | "dlq retry",
  state: "failed" | "dead",
  options: { readonly all?: boolean | undefined; readonly queue?: string | undefined },
  positionals: readonly string[],
): JobSelection {
  if (options.queue !== undefined && positionals.length > 0) {
    throw new UsageError(
      `--queue selects ${state} jobs for --all; named ids are retried whatever their queue: give ids alone, or --all --queue <names>`,
    );
  }
  if (options.all && positionals.length > 0) {
    throw new UsageError("Give job ids or --all, not both");
  }
  if (options.queue !== undefined && !options.all) {
    throw new UsageError(`--queue needs --all: queuectl ${command} --all --queue ${options.queue}`);
  }
  if (!options.all && positionals.length === 0) {
    throw new UsageError(
      command === "retry"
        ? "Give the ids of failed jobs to retry now, or --all"
        : "Give the ids of dead jobs to retry, or --all",
    );
  }
  checkJobIdArguments(positionals);
  if (options.queue !== undefined) return { queues: parseQueueNames(options.queue, "--queue") };
  return options.all ? "all" : [...new Set(positionals)];
}

/**
 * The note when there was nothing to retry: with --queue, about those queues only (others may
 * have such jobs); else `everywhere`.
 */
export function nothingToRetry(
  selection: JobSelection,
  state: "failed" | "dead",
  everywhere: string,
): string {
  if (typeof selection !== "object" || !("queues" in selection)) return `queuectl: ${everywhere}`;
  const { queues } = selection;
  return `queuectl: No ${state} jobs in queue${queues.length === 1 ? "" : "s"} ${
    queues.join(", ")
  }`;
}
