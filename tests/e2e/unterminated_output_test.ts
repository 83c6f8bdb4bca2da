import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

interface LogsJson {
  attempts: { attempt: number | null; output: string }[];
}

Deno.test("output without a final newline: headers and notes start their own lines, and it reads back byte for byte", async () => {
  await using home = await TestHome.create({
    backoff_base: "1",
    backoff_unit: "10ms",
    kill_grace: "100ms",
  });
  await home.ok("worker", "start");
  const run = await home.run([
    "run",
    "--max-retries",
    "2",
    "--timeout",
    "300ms",
    "--",
    "sh",
    "-c",
    "case $QUEUECTL_ATTEMPT in 1) printf one; exit 1;; 2) printf two; exec sleep 30;; *) printf three;; esac",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const note = "queuectl: timed out after 300ms; killed";
  // The note is in the log as before, on a line of its own.
  assert.equal(run.stdout, `onetwo\n${note}\nthree`);
  assert.equal(run.stderr.match(/^=== attempt \d of 3 · /gm)?.length, 3, run.stderr);

  const id = /job (\S+) enqueued/.exec(run.stderr)![1]!;
  const logs = await home.json<LogsJson>("logs", id);
  assert.deepEqual(logs.attempts.map((attempt) => [attempt.attempt, attempt.output]), [
    [1, "one"],
    [2, `two\n${note}\n`],
    [3, "three"],
  ]);
  const log = await home.ok("logs", id);
  const lines = log.split("\n");
  assert.equal(lines.length, 7, log);
  assert.match(lines[0]!, /^=== attempt 1 of 3 · .* · worker \S+ · seal [0-9a-f]{14} ===$/);
  assert.equal(lines[1], "one");
  assert.match(lines[2]!, /^=== attempt 2 of 3 · .* · newline added · seal [0-9a-f]{14} ===$/);
  assert.deepEqual(lines.slice(3, 5), ["two", note]);
  assert.match(lines[5]!, /^=== attempt 3 of 3 · .* · seal [0-9a-f]{14} ===$/);
  assert.equal(lines[6], "three");
  assert.equal(await home.ok("logs", "--follow", id), log);
});
