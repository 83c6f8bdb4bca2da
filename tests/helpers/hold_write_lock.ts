/**
 * Holds a write lock on a database, for the WAL-switch retry test:
 *   deno run -A tests/helpers/hold_write_lock.ts <database>
 * Begins an IMMEDIATE transaction (creating the file in rollback mode if new), writes "ready",
 * and commits when a line arrives on stdin.
 */
import { DatabaseSync } from "node:sqlite";

const [path] = Deno.args;
if (path === undefined) throw new Error("usage: <database>");
const db = new DatabaseSync(path);
db.exec("BEGIN IMMEDIATE");
Deno.stdout.writeSync(new TextEncoder().encode("ready\n"));
for await (const _ of Deno.stdin.readable) break;
db.exec("COMMIT");
db.close();
