import assert from "node:assert/strict";
import { renderQueueTable } from "../../src/cli/render/queues.ts";

Deno.test("renderQueueTable() names its count columns as the job states are named", () => {
  const jobs = { pending: 1, processing: 2, completed: 3, failed: 4, dead: 5, cancelled: 6 };
  assert.equal(
    renderQueueTable([
      { name: "default", paused: false, concurrency: null, jobs },
      { name: "mail", paused: true, concurrency: 2, jobs },
    ], null),
    [
      "QUEUE    STATUS  LIMIT  PENDING  PROCESSING  COMPLETED  FAILED  DEAD  CANCELLED",
      "default  active  -      1        2           3          4       5     6",
      "mail     paused  2      1        2           3          4       5     6",
      "",
    ].join("\n"),
  );
});
