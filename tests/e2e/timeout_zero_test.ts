import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

Deno.test("a job's --timeout 0 means no time limit, whatever job_timeout says", async () => {
  await using home = await TestHome.create({ job_timeout: "300ms", max_retries: "0" });
  const unlimited = await home.enqueue("--timeout", "0", "--", "sleep", "1");
  const limited = await home.enqueue("--", "sleep", "1");
  await home.ok("worker", "start", "--concurrency", "2");
  const result = await home.run(["wait", unlimited, limited, "--timeout", "30s"]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal((await home.job(unlimited)).state, "completed");
  const timedOut = await home.job(limited);
  assert.equal(timedOut.state, "dead");
  assert.match(timedOut.last_error ?? "", /^timed out after/);
});
