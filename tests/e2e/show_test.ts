import assert from "node:assert/strict";

import { TestHome } from "../helpers/cli.ts";

Deno.test("show prints the options a job was enqueued with, in its lines and its JSON", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "build-1", "true");
  await home.enqueue(
    ...["--id", "test-1", "--after", "build-1", "--unique-key", "tests"],
    ...["--retry-on", "75,124", "--no-retry-on", "2", "--env", "MODE=ci", "--env", "NOTE=it's"],
    "true",
  );
  const lines = (await home.ok("show", "test-1")).split("\n");
  for (
    const expected of [
      "after        build-1",
      "unique_key   tests",
      "retry_on     75,124",
      "no_retry_on  2",
      `env          MODE=ci NOTE='it'\\''s'`,
    ]
  ) {
    assert.ok(lines.includes(expected), `no line ${JSON.stringify(expected)} in ${lines}`);
  }
  const job = await home.job("test-1");
  assert.deepEqual(
    [job.after, job.unique_key, job.retry_on, job.no_retry_on, job.env],
    [["build-1"], "tests", [75, 124], [2], { MODE: "ci", NOTE: "it's" }],
  );

  const plain = await home.ok("show", "build-1");
  assert.doesNotMatch(plain, /^(after|unique_key|retry_on|no_retry_on|env) /m);
});

Deno.test("show prints control characters as symbols, and show --json exactly", async () => {
  await using home = await TestHome.create();
  const command = "printf '\x1b[2J\rgone'";
  await home.enqueue("--id", "odd", "--env", "NOTE=a\x1b[31mb", "--", command);
  const shown = await home.ok("show", "odd");
  assert.ok(shown.split("\n").includes("command      printf '\u241b[2J gone'"), shown);
  assert.ok(shown.split("\n").includes("env          NOTE='a\u241b[31mb'"), shown);
  assert.ok(!shown.includes("\x1b") && !shown.includes("\r"), "no ESC or CR left");
  const job = await home.job("odd");
  assert.equal(job.command, command);
  assert.deepEqual(job.env, { NOTE: "a\x1b[31mb" });
});

Deno.test("show of a job without its own timeout names the job_timeout in effect", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "jt", "--delay", "1h", "true");
  const timeoutLine = async () =>
    (await home.ok("show", "jt")).split("\n").find((line) => line.startsWith("timeout "));
  assert.equal(await timeoutLine(), "timeout      no limit (job_timeout: 0)");
  await home.ok("config", "set", "job_timeout", "1s");
  assert.equal(await timeoutLine(), "timeout      default (job_timeout: 1s)");
});
