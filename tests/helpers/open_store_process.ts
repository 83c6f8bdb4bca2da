/**
 * Opens (and so creates and migrates) a store, for the concurrent-open test:
 *   deno run -A tests/helpers/open_store_process.ts <database>
 * Waits for a line on stdin after writing "ready", then opens, enqueues one job and exits.
 */
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { newJobFixture } from "./fixtures.ts";

const [path] = Deno.args;
if (path === undefined) throw new Error("usage: <database>");
Deno.stdout.writeSync(new TextEncoder().encode("ready\n"));
for await (const _ of Deno.stdin.readable) break;
const store = new SqliteStore(path);
await store.enqueueJob(newJobFixture(0, { id: `p${Deno.pid}`, cwd: "/", maxRetries: 0 }), 0);
store.close();
