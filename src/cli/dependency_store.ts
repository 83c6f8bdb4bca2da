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
