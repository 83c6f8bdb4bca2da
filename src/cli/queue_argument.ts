import { UsageError } from "../core/errors.ts";
import { validateQueueName } from "../core/job_spec.ts";

/** The one queue name a `queue <verb>` command takes. */
export function queueArgument(positionals: readonly string[], verb: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`Give one queue name: queuectl queue ${verb} <name>`);
  }
  return validateQueueName(positionals[0], "queue name");
}
