import assert from "node:assert/strict";
import { queueStatus, queueToJson, renderQueueTable } from "../../src/cli/render/queues.ts";

Deno.test("renderQueueTable() names its count columns as the job states are named", () => {
  const jobs = { pending: 1, processing: 2, completed: 3, failed: 4, dead: 5, cancelled: 6 };
  assert.equal(
    renderQueueTable([
      { name: "default", paused: false, concurrency: null, jobs, heldSlots: 0 },
      { name: "mail", paused: true, concurrency: 2, jobs, heldSlots: 0 },
      { name: "sms", paused: false, concurrency: 2, jobs, heldSlots: 0 },
    ], null),
    [
      "QUEUE    STATUS  LIMIT  PENDING  PROCESSING  COMPLETED  FAILED  DEAD  CANCELLED",
      "default  active  -      1        2           3          4       5     6",
      "mail     paused  2      1        2           3          4       5     6",
      "sms      full    2      1        2           3          4       5     6",
      "",
    ].join("\n"),
  );
});

Deno.test("queueStatus() is full when the running jobs reach the limit, unless paused", () => {
  const queue = (
    paused: boolean,
    concurrency: number | null,
    processing: number,
    heldSlots = 0,
  ) => ({
    name: "q",
    paused,
    concurrency,
    jobs: { pending: 3, processing, completed: 0, failed: 0, dead: 0, cancelled: 1 },
    heldSlots,
  });
  assert.equal(queueStatus(queue(false, 2, 1)), "active");
  assert.equal(queueStatus(queue(false, 2, 2)), "full");
  // A limit lowered below what runs already.
  assert.equal(queueStatus(queue(false, 1, 2)), "full");
  assert.equal(queueStatus(queue(false, null, 50)), "active");
  assert.equal(queueStatus(queue(true, 2, 2)), "paused");
  // A cancelled job whose command is still ending holds its slot, as the claim counts it.
  assert.equal(queueStatus(queue(false, 2, 1, 1)), "full");
  assert.equal(queueStatus(queue(false, 1, 0, 1)), "full");
  assert.equal(queueStatus(queue(false, null, 0, 1)), "active");
});

Deno.test("queueToJson() gives the held slots beside the job counts, in snake_case", () => {
  const jobs = { pending: 1, processing: 0, completed: 0, failed: 0, dead: 0, cancelled: 1 };
  assert.deepEqual(
    queueToJson({ name: "deploy", paused: false, concurrency: 1, jobs, heldSlots: 1 }),
    { name: "deploy", paused: false, concurrency: 1, jobs, held_slots: 1 },
  );
});
