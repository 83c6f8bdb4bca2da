import assert from "node:assert/strict";
import { describeJobEnd } from "../../src/cli/render/job_end.ts";
import { jobFixture } from "../helpers/fixtures.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

Deno.test("describeJobEnd() gives the reason once, and not when it only repeats the state", () => {
  const end = (state: "completed" | "dead" | "cancelled", lastError: string | null) =>
    describeJobEnd(jobFixture(NOW, { state, lastError }));
  assert.equal(end("completed", "exited with code 1"), "completed");
  assert.equal(end("dead", "exited with code 4"), "dead: exited with code 4");
  assert.equal(end("cancelled", "cancelled"), "cancelled");
  assert.equal(
    end("cancelled", "dependency build-1 was cancelled"),
    "cancelled: dependency build-1 was cancelled",
  );
  assert.equal(end("dead", null), "dead");
});
