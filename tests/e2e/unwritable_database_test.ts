/**
 * A database whose files this user may not write, or that is not a file at all: each command
 * names which file is in the way and what to do, where SQLite says only "attempt to write a
 * readonly database" or "unable to open database file", whichever file it is.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TestHome } from "../helpers/cli.ts";
import { unprivilegedHome } from "../helpers/unprivileged.ts";

const unprivileged = unprivilegedHome();

const READING: readonly (readonly string[])[] = [["status"], ["list"], ["show", "j"]];
const WRITING: readonly (readonly string[])[] = [
  ["enqueue", "true"],
  ["cancel", "j"],
  ["config", "set", "max_retries", "2"],
  ["prune", "--older-than", "0s"],
  ["worker", "start"],
];

/** Each command exits 1 with `expected` (after `queuectl: `) alone on stderr and nothing out. */
async function assertRefused(
  home: TestHome,
  commands: readonly (readonly string[])[],
  expected: string,
): Promise<void> {
  for (const args of commands) {
    const result = await home.run(args);
    const name = args.join(" ");
    assert.equal(result.code, 1, `${name}: ${result.stderr}`);
    // worker start fails itself, or reports what the worker it started logged as it exited.
    const said = new RegExp(
      `^${
        RegExp.escape(`queuectl: ${expected}`)
      }\\n$|^queuectl: Worker \\d+ exited at once: \\S+ worker failed: ${
        RegExp.escape(expected)
      } \\(see .*\\)\\n$`,
    );
    assert.match(result.stderr, said, name);
    assert.equal(result.stdout, "", name);
  }
}

async function assertAnswered(home: TestHome, commands: readonly (readonly string[])[]) {
  for (const args of commands) {
    const result = await home.run(args);
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  }
}

/** Moves the write-ahead log into the database, leaving no -wal or -shm file beside it. */
function checkpoint(path: string): void {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
}

Deno.test({
  name: "a read-only database is named as such by the commands that write; reading works",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    await home.enqueue("--id", "j", "--delay", "1h", "true");
    const path = `${home.path}/queue.db`;
    await Deno.chmod(path, 0o444);
    await assertAnswered(home, READING);
    await assertRefused(
      home,
      WRITING,
      `Cannot write to the database ${path}: it is not writable by this user: give this user write access to it (chown or chmod), or set QUEUECTL_HOME to another directory`,
    );
  },
});

Deno.test({
  name:
    "a write-ahead log or shared-memory file this user may not write is named, not the database",
  ignore: unprivileged === null,
  async fn() {
    for (const suffix of ["-wal", "-shm"]) {
      await using home = await TestHome.create({}, unprivileged!);
      await home.enqueue("--id", "j", "--delay", "1h", "true");
      const path = `${home.path}/queue.db`;
      await Deno.chmod(`${path}${suffix}`, 0o444);
      await assertAnswered(home, READING);
      await assertRefused(
        home,
        WRITING,
        `Cannot write to the database ${path}: ${path}${suffix} is not writable by this user: give this user write access to it (chown or chmod), or set QUEUECTL_HOME to another directory`,
      );
    }
  },
});

Deno.test({
  name: "a read-only data directory is named by every command when the log files must be made",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    await home.enqueue("--id", "j", "--delay", "1h", "true");
    const path = `${home.path}/queue.db`;
    checkpoint(path);
    await Deno.chmod(home.path, 0o555);
    try {
      await assertRefused(
        home,
        [...READING, ...WRITING.filter((args) => args[0] !== "worker")],
        `Cannot open the database ${path}: its directory ${home.path} is not writable by this user, and every command needs to create queue.db-wal and queue.db-shm there: make the directory writable by this user, or set QUEUECTL_HOME to another directory`,
      );
    } finally {
      await Deno.chmod(home.path, 0o700);
    }
  },
});

Deno.test("a directory in the database's place is refused by reading and writing commands alike", async () => {
  await using home = await TestHome.create();
  const path = `${home.path}/queue.db`;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) await Deno.remove(file);
  await Deno.mkdir(path);
  await assertRefused(
    home,
    [...READING, ...WRITING],
    `Cannot open the database ${path}: it is a directory, not a database file: move it aside, or set QUEUECTL_HOME to another directory`,
  );
});
