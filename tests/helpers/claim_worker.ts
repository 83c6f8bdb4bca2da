/**
 * A claiming process for the store's concurrency test:
 *   deno run -A tests/helpers/claim_worker.ts <database> <now>
 * Opens the store, registers a worker, writes "ready" on stdout, waits for a line on stdin,
 * then claims and completes jobs until none is left, and writes the claimed ids as JSON.
 */
import { leaseFrom } from "../../src/worker/lease_clock.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";

const [path, nowText] = Deno.args;
if (path === undefined || nowText === undefined) throw new Error("usage: <database> <now>");
const now = Number(nowText);
const encoder = new TextEncoder();
const write = (text: string) => Deno.stdout.writeSync(encoder.encode(text));

const store = new SqliteStore(path);
const worker = await store.registerWorker({
  host: "test",
  pid: Deno.pid,
  procStart: null,
  queues: null,
  concurrency: 1,
  wakeSocket: null,
  burst: false,
}, now);
write("ready\n");
for await (const _ of Deno.stdin.readable) break;

const claimed: string[] = [];
for (;;) {
  const job = await store.claimNextJob({ worker, now, lease: leaseFrom(now, null, 60_000) });
  if (!job) break;
  claimed.push(job.id);
  const { recorded } = await store.finishAttempt(
    { jobId: job.id, attempt: job.attempts, workerId: worker.id },
    { state: "completed", runAt: job.runAt, exitCode: 0, lastError: null },
    now,
  );
  if (!recorded) throw new Error(`finishAttempt of ${job.id} was fenced off`);
}
await store.unregisterWorker(worker.id);
store.close();
write(`${JSON.stringify(claimed)}\n`);
