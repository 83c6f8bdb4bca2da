import type { Store } from "../store/store.ts";

const CHECK_MS = 20;

/**
 * Resolves once the database has changed since `version` (another connection committed) or
 * `until` has come. Polls SQLite's data_version, which reads shared memory and no table, so a
 * waiting `wait`, `run` or `logs --follow` costs the database nothing.
 */
export async function waitForChange(store: Store, version: number, until: number): Promise<number> {
  for (;;) {
    const current = await store.dataVersion();
    if (current !== version || Date.now() >= until) return current;
    await new Promise((resolve) => setTimeout(resolve, Math.min(CHECK_MS, until - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
