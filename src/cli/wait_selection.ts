import { UsageError } from "../core/errors.ts";
import { checkJobIdArguments } from "./job_id_arguments.ts";
import { parseQueueNames } from "./queue_argument.ts";

/**
 * What `wait` waits for: the jobs named, each once, or the jobs of some queues (null: of every
 * queue) that have not ended when it starts.
 */
export type WaitSelection =
  | { readonly ids: readonly string[] }
  | { readonly queues: readonly string[] | null };

/** Reads `wait`'s ids, `--queue` and `--all`: one of the three, and only one. */
export function waitSelection(
  positionals: readonly string[],
  queue: string | undefined,
  all: boolean,
): WaitSelection {
  const byQueue = queue !== undefined;
  if (byQueue && all) {
    throw new UsageError("--all waits for the jobs of every queue: give --queue <names> or --all");
  }
  if (positionals.length > 0) {
    // Named jobs are waited for whatever their queue: a filter on them would be a guess.
    if (byQueue || all) {
      throw new UsageError(`Give job ids or ${all ? "--all" : "--queue <names>"}, not both`);
    }
    checkJobIdArguments(positionals);
    return { ids: [...new Set(positionals)] };
  }
  if (!byQueue && !all) {
    throw new UsageError(
      "Give the ids of the jobs to wait for, or --queue <names> or --all for the unfinished jobs of queues",
    );
  }
  return { queues: byQueue ? parseQueueNames(queue, "--queue") : null };
}
