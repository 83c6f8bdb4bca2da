// The least a queuectl process must do, for the startup benchmark's reference rows: load
// node:sqlite, open a database in WAL mode, and either read one row (as `status` must) or commit
// one synced row (as `enqueue` must), then exit leaving the log as queuectl does.
// Usage: deno run -A _sqlite_floor.ts read|write <database>
import { DatabaseSync } from "node:sqlite";

const [mode, path] = Deno.args;
if ((mode !== "read" && mode !== "write") || path === undefined) {
  throw new Error("usage: _sqlite_floor.ts read|write <database>");
}
const db = new DatabaseSync(path, { timeout: 5_000 });
const { user_version: version } = db.prepare("PRAGMA user_version").get() as {
  user_version: number;
};
if (version === 0) {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE jobs (id TEXT PRIMARY KEY, command TEXT NOT NULL, created_at INTEGER)");
  db.exec("PRAGMA user_version = 1");
}
if (mode === "read") {
  db.prepare("SELECT count(*) AS n FROM jobs").get();
} else {
  db.exec("BEGIN IMMEDIATE");
  db.prepare("INSERT INTO jobs VALUES (?, ?, ?)").run(crypto.randomUUID(), "true", Date.now());
  db.exec("COMMIT");
}
Deno.exit(0);
