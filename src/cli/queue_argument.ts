import { commaListItems } from "../core/comma_list.ts";
import { UsageError } from "../core/errors.ts";
import { validateQueueName } from "../core/job_spec.ts";

/** The one queue name a `queue <verb>` command takes. */
export function queueArgument(positionals: readonly string[], verb: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`Give one queue name: queuectl queue ${verb} <name>`);
  }
  return validateQueueName(positionals[0], "queue name");
}

/**
 * Parses a comma-separated list of queue names (`--queue a,b`) into the names, each once, in
 * the order given: a queue is selected or not, so `a,a` is `a`.
 */
export function parseQueueNames(text: string, flag: string): string[] {
  const names = [...new Set(commaListItems(text, flag))];
  if (names.length === 0) {
    throw new UsageError(`${flag} is empty: give queue names, comma-separated`);
  }
  return names.map((name) => validateQueueName(name, flag));
}
