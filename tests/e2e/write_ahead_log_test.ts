import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

/** The size of the database's write-ahead log, or null when there is none. */
function walSize(home: TestHome): number | null {
  try {
    return Deno.statSync(`${home.path}/queue.db-wal`).size;
  } catch {
    return null;
  }
}

Deno.test("an enqueue with no worker running leaves its small write-ahead log to the next process", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("echo kept");
  // Closing the last connection would have checkpointed the log and deleted it.
  const size = walSize(home);
  assert.ok(size !== null && size > 0, `no write-ahead log left: ${size}`);
  // The next process reads the committed job back from the log.
  assert.equal((await home.job(id)).state, "pending");
  const second = await home.enqueue("echo also kept");
  const jobs = await home.json<{ id: string }[]>("list");
  assert.deepEqual(jobs.map((job) => job.id).sort(), [id, second].sort());
});

Deno.test("a large write-ahead log is checkpointed and removed when its process exits", async () => {
  await using home = await TestHome.create();
  const lines = Array.from({ length: 3_000 }, (_, i) => `echo job ${i}`).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: lines });
  assert.equal(walSize(home), null);
  const status = await home.json<{ jobs: Record<string, number> }>("status");
  assert.equal(status.jobs.pending, 3_000);
});
