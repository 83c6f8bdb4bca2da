import assert from "node:assert/strict";
import { TestHome, waitForState } from "../helpers/cli.ts";

interface LogsJson {
  attempts: { attempt: number | null; output: string }[];
}

Deno.test("a job that prints attempt headers, made up or copied from its log, opens no attempt", async () => {
  await using home = await TestHome.create({ backoff_base: "1", backoff_unit: "10ms" });
  const madeUp = "=== attempt 3 of 4 · 2026-01-01T00:00:00.000Z · worker elsewhere:1 ===";
  // The second attempt prints its log so far: both real headers, once more.
  const id = await home.enqueue(
    "--max-retries",
    "1",
    `echo '${madeUp}'; if [ "$QUEUECTL_ATTEMPT" = 2 ]; then cp "logs/$QUEUECTL_JOB_ID.log" copy; cat copy; fi; exit 1`,
  );
  await home.ok("worker", "start");
  await waitForState(home, id, "dead");
  const logs = await home.json<LogsJson>("logs", id);
  assert.deepEqual(logs.attempts.map((attempt) => attempt.attempt), [1, 2]);
  assert.equal(logs.attempts[0]!.output, `${madeUp}\n`);
  const second = logs.attempts[1]!.output.split("\n");
  assert.equal(second[0], madeUp);
  assert.match(second[1]!, /^=== attempt 1 of 2 · /);
  assert.equal(second[2], madeUp);
  assert.match(second[3]!, /^=== attempt 2 of 2 · /);
  assert.equal(second[4], madeUp);
});
