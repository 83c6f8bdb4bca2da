import { UnknownDependencyError } from "../core/errors.ts";
import type { Store } from "../store/store.ts";
import type { CliContext } from "./context.ts";

/**
 * The store for a job that runs after the jobs `after`. Without a database none of them exists:
 * the job is refused without creating one, as any bad input is.
 */
export function storeForDependents(context: CliContext, after: readonly string[]): Store {
  if (after.length === 0) return context.store();
  const store = context.existingStore();
  if (store === null) throw new UnknownDependencyError(after[0]!);
  return store;
}

/**
 * Refuses `after` when it names a job that does not exist, as the enqueue itself would: for a
 * caller that has something to say before enqueuing, which would misdirect a user whose
 * mistake is the id.
 */
export async function checkDependenciesExist(
  context: CliContext,
  after: readonly string[],
): Promise<void> {
  if (after.length === 0) return;
  const store = storeForDependents(context, after);
  for (const id of after) {
    if (await store.getJob(id) === null) throw new UnknownDependencyError(id);
  }
}
