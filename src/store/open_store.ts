import type { Store } from "./store.ts";
import { SqliteStore } from "./sqlite/sqlite_store.ts";
import { namingDatabaseFailures } from "./sqlite/database_failure.ts";

/** Opens the store at a database path (SQLite today; the seam where PostgreSQL will plug in). */
export function openStore(databasePath: string): Store {
  return namingDatabaseFailures(new SqliteStore(databasePath), databasePath);
}
