/**
 * Opens (and so creates and migrates) a store, for the concurrent-open test:
 *   deno run -A tests/helpers/open_store_process.ts <database>
 * Waits for a line on stdin after writing "ready", then opens, enqueues one job and exits.
 */
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";

const [path] = Deno.args;
if (path === undefined) throw new Error("usage: <database>");
Deno.stdout.writeSync(new TextEncoder().encode("ready\n"));
for await (const _ of Deno.stdin.readable) break;
const store = new SqliteStore(path);
await store.enqueueJob({
  id: `p${Deno.pid}`,
  command: "true",
  cwd: "/",
  queue: "default",
  maxRetries: 0,
  priority: 0,
  runAt: 0,
  timeoutMs: null,
  uniqueKey: null,
  env: {},
  retryOn: null,
  noRetryOn: null,
  after: [],
}, 0);
store.close();
