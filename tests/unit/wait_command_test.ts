import assert from "node:assert/strict";
import type { JobJson } from "../../src/core/job.ts";
import { homeLayout } from "../../src/core/paths.ts";
import { prepareHome } from "../../src/store/home.ts";
import { openStore } from "../../src/store/open_store.ts";
import type { Store } from "../../src/store/store.ts";
import { FakeCli } from "../helpers/fake_cli.ts";

/**
 * A store on which `gone` is deleted right after `wait` first read it, and which reports a
 * change at every look, so that `wait` looks again at once.
 */
function deletingAfterFirstLookup(store: Store, gone: string): Store {
  let version = 0;
  return new Proxy(store, {
    get(target, key) {
      if (key === "endedJobs") {
        return async (ids: readonly string[]) => {
          const ended = await target.endedJobs(ids);
          if (ids.includes(gone)) ended.set(gone, null);
          return ended;
        };
      }
      if (key === "dataVersion") return () => Promise.resolve(++version);
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

for (const json of [false, true]) {
  Deno.test(`wait${json ? " --json" : ""} reports a job deleted before its end was seen and exits 1`, async () => {
    await using cli = await FakeCli.create();
    const layout = homeLayout(cli.home);
    prepareHome(layout);
    const real = openStore(layout.database);
    try {
      const enqueue = async () =>
        (await cli.run(["enqueue", "-q", "--delay", "1h", "true"], { store: () => real })).stdout
          .trim();
      const kept = await enqueue();
      const gone = await enqueue();
      await cli.run(["cancel", kept], { store: () => real });
      const store = deletingAfterFirstLookup(real, gone);
      // A timeout, so that a wait that missed the deletion fails instead of hanging the tests.
      const args = ["wait", kept, gone, "--timeout", "20s", ...(json ? ["--json"] : [])];
      const result = await cli.run(args, {
        store: () => store,
      });
      assert.equal(result.code, 1);
      const noWorker =
        "queuectl: no worker is running: 1 of the 2 jobs runs after 'queuectl worker start'\n";
      if (json) {
        assert.deepEqual((JSON.parse(result.stdout) as JobJson[]).map((job) => job.id), [kept]);
        assert.equal(
          result.stderr,
          `${noWorker}queuectl: Job ${gone} was deleted before its end was seen\n`,
        );
      } else {
        assert.equal(
          result.stdout,
          `${kept} cancelled\n${gone} deleted before its end was seen\n`,
        );
        assert.equal(result.stderr, noWorker);
      }
    } finally {
      real.close();
    }
  });
}

Deno.test("wait sees a job end that another connection commits right after its lookup", async () => {
  await using cli = await FakeCli.create();
  const layout = homeLayout(cli.home);
  prepareHome(layout);
  const real = openStore(layout.database);
  const other = openStore(layout.database);
  try {
    const id = (await cli.run(["enqueue", "-q", "--delay", "1h", "true"], { store: () => real }))
      .stdout.trim();
    let lookups = 0;
    const store = new Proxy(real, {
      get(target, key) {
        if (key === "getJobs") {
          return async (jobIds: readonly string[]) => {
            const jobs = await target.getJobs(jobIds);
            if (++lookups === 1) await other.cancelJobs(jobIds, Date.now());
            return jobs;
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    // Missed, the end would be seen only when the timeout makes wait look a last time.
    const started = Date.now();
    const result = await cli.run(["wait", id, "--timeout", "10s"], { store: () => store });
    assert.equal(result.stdout, `${id} cancelled\n`);
    assert.equal(result.code, 1);
    assert.ok(Date.now() - started < 5_000, `seen after ${Date.now() - started} ms`);
  } finally {
    other.close();
    real.close();
  }
});

Deno.test("wait on an unknown id with no database exits 2 without opening the store", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["wait", "nosuch"]);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, 'queuectl: No job with id "nosuch": nothing to wait for\n');
  assert.equal(result.openedStore, false);
});

/** The store, counting the calls of each method whose name starts with "get". */
function countingGets(store: Store, calls: Map<string, number>): Store {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      if (typeof key === "string" && key.startsWith("get")) {
        return (...args: unknown[]) => {
          calls.set(key, (calls.get(key) ?? 0) + 1);
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

Deno.test("wait reads the named jobs in one call however many, naming the first unknown id given", async () => {
  await using cli = await FakeCli.create();
  const layout = homeLayout(cli.home);
  prepareHome(layout);
  const real = openStore(layout.database);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const enqueued = await cli.run(["enqueue", "-q", "--delay", "1h", "true"], {
        store: () => real,
      });
      ids.push(enqueued.stdout.trim());
    }
    const calls = new Map<string, number>();
    const store = countingGets(real, calls);
    const waited = await cli.run(["wait", ...ids, "--timeout", "0", "--json"], {
      store: () => store,
    });
    assert.equal(waited.code, 124);
    assert.deepEqual((JSON.parse(waited.stdout) as JobJson[]).map((job) => job.id), ids);
    // Once at the start, once for the jobs as they are at the timeout.
    assert.deepEqual([...calls], [["getJobs", 2]]);
    const unknown = await cli.run(["wait", ids[0]!, "nosuch", ids[1]!, "other"], {
      store: () => store,
    });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'queuectl: No job with id "nosuch": nothing to wait for\n');
    assert.equal(unknown.stdout, "");
  } finally {
    real.close();
  }
});
