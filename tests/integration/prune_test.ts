import assert from "node:assert/strict";
import { homeLayout, jobLogPath } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import type { Store } from "../../src/store/store.ts";
import { pruneTerminalJobs } from "../../src/worker/prune.ts";
import { newJobFixture } from "../helpers/fixtures.ts";

Deno.test("a prune killed once its deletion has committed leaves no log behind its deleted job", async () => {
  const home = await Deno.makeTempDir({ prefix: "queuectl-prune-" });
  const layout = homeLayout(home);
  await Deno.mkdir(layout.logs);
  const store = new SqliteStore(layout.database);
  try {
    const now = Date.now();
    await store.enqueueJob(newJobFixture(now, { id: "nightly" }), now);
    await store.cancelJobs(["nightly"], now);
    await Deno.writeTextFile(jobLogPath(layout, "nightly"), "output of the old job\n");
    // The process dies as the store's call returns: whatever the prune does after, it never does.
    const dying = new Proxy(store, {
      get(target, name) {
        if (name === "pruneJobs") {
          return async (...args: Parameters<Store["pruneJobs"]>) => {
            await target.pruneJobs(...args);
            throw new Error("killed");
          };
        }
        const value = Reflect.get(target, name, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Store;
    await assert.rejects(
      pruneTerminalJobs(dying, layout, {
        states: ["cancelled"],
        finishedBefore: now + 1,
        now: now + 1,
      }),
      /killed/,
    );
    assert.equal(await store.getJob("nightly"), null);
    // Left there, it would read as the first attempts of the next job given the same id.
    await assert.rejects(Deno.stat(jobLogPath(layout, "nightly")), Deno.errors.NotFound);
  } finally {
    store.close();
    await Deno.remove(home, { recursive: true });
  }
});
