import assert from "node:assert/strict";
import { OperationalError } from "../../src/core/errors.ts";
import { Database } from "../../src/store/sqlite/database.ts";

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
        `Cannot write to the database ${path}: attempt to write a readonly database`,
      );
      return true;
    });
  } finally {
    database.close();
    await Deno.remove(dir, { recursive: true });
  }
});
