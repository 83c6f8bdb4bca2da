import { DatabaseSync } from "node:sqlite";

/** The version of the SQLite library built into this Deno, such as "3.53.2". */
export function sqliteVersion(): string {
  const db = new DatabaseSync(":memory:");
  try {
    const row = db.prepare("SELECT sqlite_version() AS version").get();
    return String(row?.version);
  } finally {
    db.close();
  }
}
