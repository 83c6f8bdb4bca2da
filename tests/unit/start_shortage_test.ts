import assert from "node:assert/strict";
import { StartShortage } from "../../src/worker/start_shortage.ts";

Deno.test("StartShortage pauses from its shortest pause, doubling up to its longest", () => {
  const shortage = new StartShortage(1000, 4000);
  assert.equal(shortage.remainingMs(0), 0);
  assert.deepEqual(shortage.failed(0), { began: true, exhausted: false });
  assert.equal(shortage.remainingMs(250), 750);
  assert.deepEqual(shortage.failed(1000), { began: false, exhausted: false });
  assert.equal(shortage.remainingMs(1000), 2000);
  assert.deepEqual(shortage.failed(3000), { began: false, exhausted: false });
  assert.equal(shortage.remainingMs(3000), 4000);
  // Failing again after its longest pause: exhausted, and the pause stays at its longest.
  assert.deepEqual(shortage.failed(7000), { began: false, exhausted: true });
  assert.equal(shortage.remainingMs(7000), 4000);
});

Deno.test("StartShortage grows once a round: the starts of one round of claims fail together", () => {
  const shortage = new StartShortage(1000, 30_000);
  for (let start = 0; start < 8; start++) shortage.failed(start);
  // Eight failures at once, as --concurrency 8 gives: one pause of 1 s, not 30 s.
  assert.equal(shortage.remainingMs(8), 992);
  assert.deepEqual(shortage.failed(1000), { began: false, exhausted: false });
  assert.equal(shortage.remainingMs(1000), 2000);
});

Deno.test("StartShortage ends with a start, which says so once", () => {
  const shortage = new StartShortage(1000, 30_000);
  assert.equal(shortage.started(), false);
  shortage.failed(0);
  assert.equal(shortage.started(), true);
  assert.equal(shortage.remainingMs(1), 0);
  assert.equal(shortage.started(), false);
  assert.deepEqual(shortage.failed(5), { began: true, exhausted: false });
});
