import assert from "node:assert/strict";
import { HEARTBEAT_ALIGN_MS, idleWaitMs } from "../../src/worker/idle_wait.ts";

const base = { now: 100_000, pollMs: 5_000, dueAt: Infinity, nextHeartbeatAt: 110_000 };

Deno.test("idleWaitMs() sleeps one poll when nothing is due and the heartbeat is far", () => {
  assert.equal(idleWaitMs(base), 5_000);
});

Deno.test("idleWaitMs() sleeps until a scheduled job comes due before the poll", () => {
  assert.equal(idleWaitMs({ ...base, dueAt: 101_234 }), 1_234);
  assert.equal(idleWaitMs({ ...base, dueAt: 90_000 }), 0);
});

Deno.test("idleWaitMs() sets no timer for a poll the heartbeat comes before or near", () => {
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 105_000 }), Infinity);
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 105_000 + HEARTBEAT_ALIGN_MS }), Infinity);
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 102_000 }), Infinity);
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 100_000 }), Infinity);
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 105_001 + HEARTBEAT_ALIGN_MS }), 5_000);
});

Deno.test("idleWaitMs() never delays a due job for the heartbeat", () => {
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 105_000, dueAt: 103_000 }), 3_000);
});

Deno.test("idleWaitMs() ignores a heartbeat already overdue", () => {
  assert.equal(idleWaitMs({ ...base, nextHeartbeatAt: 99_000 }), 5_000);
});
