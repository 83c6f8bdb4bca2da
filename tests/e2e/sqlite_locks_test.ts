/**
 * A waiting command keeps its SQLite locks while it watches for commits. Deno's file watcher
 * opens and closes each file an event names; closing the database (or its -shm file) dropped the
 * process's POSIX locks on it, and another process could then take the shared memory for its own
 * and truncate it under the waiting one's mapping (a `wait` died of SIGBUS, exit 135).
 */
import assert from "node:assert/strict";
import { readStderr, TestHome } from "../helpers/cli.ts";

/** x86_64 and aarch64 Linux (asm-generic/fcntl.h): F_GETLK and struct flock's layout. */
const F_GETLK = 5;
const F_RDLCK = 0;
const F_WRLCK = 1;
const FLOCK_BYTES = 32;
/** SQLite's shared range of a database file (PENDING_BYTE + 2, 510 bytes), held by readers. */
const SHARED_FIRST = 0x40000002;
const SHARED_SIZE = 510;
/** SQLite's "DMS" byte of a -shm file, held shared by every process that maps it. */
const SHM_DMS = 128;

const supported = Deno.build.os === "linux" &&
  (Deno.build.arch === "x86_64" || Deno.build.arch === "aarch64");

/** The pid holding a lock that a write lock on [start, start+length) of `path` would meet. */
function lockHolder(path: string, start: number, length: number): number | null {
  const libc = Deno.dlopen("libc.so.6", {
    open: { parameters: ["buffer", "i32"], result: "i32" },
    fcntl: { parameters: ["i32", "i32", "buffer"], result: "i32" },
    close: { parameters: ["i32"], result: "i32" },
  });
  try {
    const fd = libc.symbols.open(new TextEncoder().encode(`${path}\0`), 0);
    assert.ok(fd >= 0, `open ${path}`);
    const flock = new DataView(new ArrayBuffer(FLOCK_BYTES));
    flock.setInt16(0, F_WRLCK, true);
    flock.setBigInt64(8, BigInt(start), true);
    flock.setBigInt64(16, BigInt(length), true);
    try {
      assert.equal(libc.symbols.fcntl(fd, F_GETLK, new Uint8Array(flock.buffer)), 0);
    } finally {
      libc.symbols.close(fd);
    }
    return flock.getInt16(0, true) === F_RDLCK ? flock.getInt32(24, true) : null;
  } finally {
    libc.close();
  }
}

Deno.test({
  name: "wait keeps its locks on the database while other processes commit and checkpoint",
  ignore: !supported,
  async fn() {
    await using home = await TestHome.create();
    const first = await home.enqueue("--id", "first", "true");
    await home.enqueue("--id", "second", "true");
    const child = home.spawn(["wait", first, "second"]);
    const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    await readStderr(child, stderr, (seen) => seen.includes("no worker is running"));
    const database = `${home.path}/queue.db`;
    // Another process writes the database file itself: an event that names it.
    const checkpoint = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { DatabaseSync } from "node:sqlite";
         const db = new DatabaseSync(${JSON.stringify(database)});
         console.log(JSON.stringify(db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get()));`,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const result = JSON.parse(new TextDecoder().decode(checkpoint.stdout));
    assert.ok(result.checkpointed > 0, JSON.stringify(result));
    // Then a commit that wait reports: by then it has handled the checkpoint's event too.
    await home.ok("cancel", first);
    // Killed after 20 s: a wait that lost its view of the database may never see the cancel.
    await readStderr(child, stdout, (seen) => seen.includes(`${first} cancelled`));
    assert.equal(lockHolder(database, SHARED_FIRST, SHARED_SIZE), child.pid);
    assert.equal(lockHolder(`${database}-shm`, SHM_DMS, 1), child.pid);
    await home.ok("cancel", "second");
    assert.equal((await child.status).code, 1);
    await stdout.cancel();
    await stderr.cancel();
  },
});
