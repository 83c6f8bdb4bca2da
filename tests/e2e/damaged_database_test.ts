import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";

import { SCHEMA_VERSION } from "../../src/store/migrations/mod.ts";
import { TestHome } from "../helpers/cli.ts";

/** Commands that read, write, and run: each must refuse the file the same way. */
const COMMANDS: readonly (readonly string[])[] = [
  ["status"],
  ["list"],
  ["show", "someid"],
  ["enqueue", "--", "true"],
  ["config", "set", "max_retries", "2"],
  ["worker", "run"],
];

/** Replaces the home's database with what `write` makes at its path, with no log beside it. */
async function replaceDatabase(home: TestHome, write: (path: string) => void): Promise<string> {
  const path = `${home.path}/queue.db`;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    await Deno.remove(file).catch(() => {});
  }
  write(path);
  return path;
}

/**
 * Runs every command against the file: each exits 1 with `expected` alone on stderr, after the
 * worker's own log line where `workerStarts` (a file the open passes, refused at its first query).
 */
async function assertEveryCommandRefuses(
  home: TestHome,
  path: string,
  expected: string,
  workerStarts = false,
): Promise<void> {
  const before = await Deno.readFile(path);
  for (const args of COMMANDS) {
    const result = await home.run([...args]);
    assert.equal(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
    const workerLog = workerStarts && args[0] === "worker"
      ? `\\S+ worker failed: ${RegExp.escape(expected)}\\n`
      : "";
    assert.match(
      result.stderr,
      new RegExp(`^${workerLog}${RegExp.escape(`queuectl: ${expected}`)}\\n$`),
      args.join(" "),
    );
    assert.equal(result.stdout, "", args.join(" "));
  }
  assert.deepEqual(await Deno.readFile(path), before, "the file is left as it was");
  for (const file of [`${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    await assert.rejects(Deno.stat(file), Deno.errors.NotFound, `${file} was not created`);
  }
}

Deno.test("a database file overwritten with garbage is refused by every command, naming it", async () => {
  await using home = await TestHome.create();
  const path = await replaceDatabase(home, (path) => {
    Deno.writeFileSync(path, new Uint8Array(8192).map((_, index) => (index * 7919) % 251));
  });
  await assertEveryCommandRefuses(
    home,
    path,
    `The database ${path} is damaged or not a queuectl database (file is not a database): restore it from a backup, or move it aside to start with an empty queue`,
  );
});

Deno.test("a database damaged past its first page is refused once a command reads there", async () => {
  await using home = await TestHome.create();
  for (let index = 0; index < 50; index++) await home.enqueue("--", `echo ${"x".repeat(500)}`);
  const path = `${home.path}/queue.db`;
  const db = new DatabaseSync(path);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  const bytes = await Deno.readFile(path);
  assert.ok(bytes.length > 4 * 4096, "the jobs take more than a few pages");
  // The header on page 1 stays whole, so the file opens; the pages after it do not.
  bytes.fill(0xa5, 4096);
  await Deno.writeFile(path, bytes);
  const result = await home.run(["list"]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(
    result.stderr,
    `queuectl: The database ${path} is damaged or not a queuectl database (database disk image is malformed): restore it from a backup, or move it aside to start with an empty queue\n`,
  );
});

Deno.test("another program's SQLite database is refused, never migrated into", async () => {
  await using home = await TestHome.create();
  const path = await replaceDatabase(home, (path) => {
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
    db.close();
  });
  await assertEveryCommandRefuses(
    home,
    path,
    `The file ${path} is a SQLite database of another program, not queuectl's: move it aside, or set QUEUECTL_HOME to another directory`,
  );
});

Deno.test("another program's database with a schema version of its own is refused too", async () => {
  await using home = await TestHome.create();
  const path = await replaceDatabase(home, (path) => {
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE jobs_of_mine (x INTEGER); PRAGMA user_version = 2;");
    db.close();
  });
  await assertEveryCommandRefuses(
    home,
    path,
    `The file ${path} is a SQLite database of another program, not queuectl's: move it aside, or set QUEUECTL_HOME to another directory`,
  );
});

Deno.test("another program's database that claims queuectl's schema version is refused by every command", async () => {
  await using home = await TestHome.create();
  const path = await replaceDatabase(home, (path) => {
    const db = new DatabaseSync(path);
    db.exec(`CREATE TABLE notes (body TEXT); PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.close();
  });
  await assertEveryCommandRefuses(
    home,
    path,
    `The file ${path} is a SQLite database of another program, not queuectl's: move it aside, or set QUEUECTL_HOME to another directory`,
    true,
  );
});
