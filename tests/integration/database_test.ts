import assert from "node:assert/strict";
import { OperationalError } from "../../src/core/errors.ts";
import { Database } from "../../src/store/sqlite/database.ts";
import { namingDatabaseFailures } from "../../src/store/sqlite/database_failure.ts";
import type { Store } from "../../src/store/store.ts";

Deno.test("Database names what failed when a write cannot begin for a reason other than a lock", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-database-" });
  const path = `${dir}/queue.db`;
  const database = Database.open(path);
  try {
    // Writes refused as on a read-only file system: no other process holds any lock.
    database.exec("PRAGMA query_only = ON");
    assert.throws(() => database.write(() => {}), (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.equal(
        error.message,
        `Cannot write to the database ${path} (attempt to write a readonly database): make the file and its directory writable, or set QUEUECTL_HOME to a writable directory`,
      );
      return true;
    });
  } finally {
    database.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store names its database and says what to do when the disk is full", async () => {
  const path = "/data/queue.db";
  // What SQLite raises on ENOSPC: a file system to fill would need root to mount.
  const full = Object.assign(new Error("database or disk is full"), { errcode: 13 });
  const failing = { writeConfigValue: () => Promise.reject(full) } as unknown as Store;
  await assert.rejects(
    namingDatabaseFailures(failing, path).writeConfigValue("max_retries", "2"),
    (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.equal(
        error.message,
        `Cannot write to the database ${path} (database or disk is full): free some space on its disk, then try again`,
      );
      return true;
    },
  );
});
