import assert from "node:assert/strict";
import { TestHome, waitFor } from "../helpers/cli.ts";

Deno.test("a job completes and its output is in logs", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("echo hello from queuectl");
  await home.ok("worker", "start");
  const job = await waitFor("the job to complete", async () => {
    const job = await home.job(id);
    return job.state === "completed" && job;
  });
  assert.equal(job.exit_code, 0);
  assert.equal(job.attempts, 1);
  const logs = await home.ok("logs", id);
  assert.match(logs, /=== attempt 1 of 4 /);
  assert.match(logs, /hello from queuectl/);
});
