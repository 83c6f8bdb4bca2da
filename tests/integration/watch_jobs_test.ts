import assert from "node:assert/strict";
import { waitFor } from "../helpers/cli.ts";
import { newJobFixture } from "../helpers/fixtures.ts";
import { ChangeWatcher, waitForChange } from "../../src/cli/watch_jobs.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";

/** Two connections to one new database in a temporary directory: one waits, one commits. */
class TwoConnections implements AsyncDisposable {
  readonly dir: string;
  readonly waiting: SqliteStore;
  readonly writing: SqliteStore;

  private constructor(dir: string) {
    this.dir = dir;
    this.waiting = new SqliteStore(`${dir}/queue.db`);
    this.writing = new SqliteStore(`${dir}/queue.db`);
  }

  static async create(): Promise<TwoConnections> {
    return new TwoConnections(await Deno.makeTempDir({ prefix: "queuectl-watch-" }));
  }

  async commitLater(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await this.writing.enqueueJob(newJobFixture(Date.now()), Date.now());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.waiting.close();
    this.writing.close();
    await Deno.remove(this.dir, { recursive: true });
  }
}

/** A store whose dataVersion counts its calls: each call is one look. */
function counted(
  store: SqliteStore,
): { store: Pick<SqliteStore, "dataVersion">; looks: () => number } {
  let looks = 0;
  return {
    store: {
      dataVersion: () => {
        looks++;
        return store.dataVersion();
      },
    },
    looks: () => looks,
  };
}

Deno.test("waitForChange sees another connection's commit through a file-system event, not a poll", async () => {
  await using db = await TwoConnections.create();
  // No look without an event for a minute: only the event can end the wait in time.
  using watcher = ChangeWatcher.open([db.dir], { fallbackMs: 60_000 });
  assert.ok(watcher.watching);
  const version = await db.waiting.dataVersion();
  const committed = db.commitLater(200);
  const start = performance.now();
  const changed = await waitForChange(db.waiting, watcher, version, Date.now() + 10_000);
  await committed;
  assert.notEqual(changed, version);
  // Seen at the commit, long before the deadline's look (which would see it too).
  assert.ok(performance.now() - start < 5_000, "the wait ended at its deadline");
});

Deno.test("waitForChange on a quiet database looks only at the fallback interval", async () => {
  await using db = await TwoConnections.create();
  using watcher = ChangeWatcher.open([db.dir], { fallbackMs: 200 });
  const { store, looks } = counted(db.waiting);
  const version = await db.waiting.dataVersion();
  // 1 s with nothing written: the first look, about five fallback looks and the deadline's.
  // Looking every 20 ms, as before the watcher, is about fifty.
  const changed = await waitForChange(store, watcher, version, Date.now() + 1_000);
  assert.equal(changed, version);
  assert.ok(looks() <= 8, `${looks()} looks`);
});

Deno.test("ChangeWatcher looks at most every 20 ms while events keep coming", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-watch-" });
  try {
    using watcher = ChangeWatcher.open([dir], { fallbackMs: 60_000 });
    // A job writing its log without pause: a write per millisecond for half a second.
    const file = await Deno.open(`${dir}/chatty.log`, { create: true, append: true });
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await file.write(new TextEncoder().encode("line\n"));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const start = performance.now();
    let looks = 0;
    while (performance.now() - start < 500) {
      await watcher.pause(Date.now() + 500);
      looks++;
    }
    writing = false;
    await writer;
    file.close();
    // Events woke it (a minute's fallback otherwise), but not for every write (~250 or more).
    assert.ok(looks >= 5, `${looks} looks`);
    assert.ok(looks <= 40, `${looks} looks`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ChangeWatcher flooded by events polls for a while instead, then watches again", async () => {
  await using db = await TwoConnections.create();
  using watcher = ChangeWatcher.open([db.dir], { fallbackMs: 60_000, floodPollMs: 300 });
  // Bursts of writes, as a busy drain makes in the write-ahead log, until they flood it. Two
  // files in turn: the kernel merges an event into the same one still unread, so that writes to
  // one file that a loaded machine's watcher reads late may reach it as a handful.
  const line = new TextEncoder().encode("line\n");
  const files = await Promise.all(
    ["chatty-a.log", "chatty-b.log"].map((name) =>
      Deno.open(`${db.dir}/${name}`, { create: true, append: true })
    ),
  );
  try {
    await waitFor("the flooded watcher to stop watching", async () => {
      for (let i = 0; i < 100 && watcher.watching; i++) await files[i % 2]!.write(line);
      return !watcher.watching;
    });
  } finally {
    for (const file of files) file.close();
  }
  // Polling, it sees a commit without an event, long before the minute's fallback.
  const version = await db.waiting.dataVersion();
  const committed = db.commitLater(50);
  const polled = await waitForChange(db.waiting, watcher, version, Date.now() + 10_000);
  await committed;
  assert.notEqual(polled, version);
  // Its polling time over, the next pause watches again, and an event ends the next wait.
  await waitFor("the watcher to watch again", async () => {
    await watcher.pause(Date.now() + 20);
    return watcher.watching;
  });
  const seen = db.commitLater(200);
  const changed = await waitForChange(db.waiting, watcher, polled, Date.now() + 10_000);
  await seen;
  assert.notEqual(changed, polled);
  assert.ok(watcher.watching);
});

Deno.test("ChangeWatcher on a directory it cannot watch polls, and waitForChange still sees a commit", async () => {
  await using db = await TwoConnections.create();
  using watcher = ChangeWatcher.open([`${db.dir}/missing`], { fallbackMs: 60_000 });
  assert.equal(watcher.watching, false);
  const version = await db.waiting.dataVersion();
  const committed = db.commitLater(100);
  const changed = await waitForChange(db.waiting, watcher, version, Date.now() + 10_000);
  await committed;
  assert.notEqual(changed, version);
});
