import assert from "node:assert/strict";
import type { AttemptHeader } from "../../src/core/attempt_log.ts";
import {
  describeAttemptNumbers,
  rangesFrom,
  selectAttempts,
  TailStartFinder,
} from "../../src/core/log_selection.ts";

const header = (attempt: number): AttemptHeader => ({
  attempt,
  of: 3,
  startedAt: 0,
  worker: "vm:1",
  newlineAdded: false,
});
const logged = (...numbers: (number | null)[]) =>
  numbers.map((number, index) => ({ index, header: number === null ? null : header(number) }));

Deno.test("selectAttempts() keeps all, the newest, or every attempt with the number", () => {
  const attempts = logged(null, 1, 2, 2, 3, 1);
  assert.deepEqual(selectAttempts(attempts, { kind: "all" }), attempts);
  assert.deepEqual(selectAttempts(attempts, { kind: "newest" }).map(({ index }) => index), [5]);
  assert.deepEqual(
    selectAttempts(attempts, { kind: "numbered", attempt: 2 }).map(({ index }) => index),
    [2, 3],
  );
  assert.deepEqual(
    selectAttempts(attempts, { kind: "numbered", attempt: 1 }).map(({ index }) => index),
    [1, 5],
  );
  assert.deepEqual(selectAttempts(attempts, { kind: "numbered", attempt: 4 }), []);
  assert.deepEqual(selectAttempts([], { kind: "newest" }), []);
});

Deno.test("describeAttemptNumbers() names the numbers a log has, in runs", () => {
  assert.equal(describeAttemptNumbers(logged(1, 2, 3)), "1 to 3");
  assert.equal(describeAttemptNumbers(logged(1)), "1");
  assert.equal(describeAttemptNumbers(logged(null, 1, 2, 2, 3)), "1 to 3");
  assert.equal(describeAttemptNumbers(logged(1, 2, 3, 1, 2, 1)), "1 to 3, 1 to 2 and 1");
  assert.equal(describeAttemptNumbers(logged(null)), "none");
  assert.equal(describeAttemptNumbers([]), "none");
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** The last `lines` lines of `text`, found from chunks of `size` bytes read backward. */
function tail(text: string, lines: number, size: number): string {
  const data = bytes(text);
  const finder = new TailStartFinder(lines);
  for (let end = data.length; end > 0; end -= size) {
    const start = Math.max(0, end - size);
    const at = finder.previous(data.subarray(start, end));
    if (at !== null) return new TextDecoder().decode(data.subarray(start + at));
  }
  return text;
}

for (const size of [1, 2, 3, 64]) {
  Deno.test(`TailStartFinder finds the last lines from ${size}-byte chunks read backward`, () => {
    assert.equal(tail("a\nb\nc\n", 2, size), "b\nc\n");
    assert.equal(tail("a\nb\nc", 2, size), "b\nc");
    assert.equal(tail("a\nb\nc\n", 1, size), "c\n");
    assert.equal(tail("a\nb\nc\n", 3, size), "a\nb\nc\n");
    assert.equal(tail("a\nb\nc\n", 9, size), "a\nb\nc\n");
    assert.equal(tail("a\n\n\n", 2, size), "\n\n");
    assert.equal(tail("a\nb\nc\n", 0, size), "");
    assert.equal(tail("a\nb\nc", 0, size), "");
  });
}

Deno.test("TailStartFinder reads no chunk before the one the lines start in", () => {
  const finder = new TailStartFinder(2);
  assert.equal(finder.previous(bytes("x\nlast\n")), null);
  assert.equal(finder.previous(bytes("one\ntwo")), 4);
});

Deno.test("rangesFrom() keeps the parts of ranges from an offset on", () => {
  const ranges = [{ start: 0, end: 10 }, { start: 20, end: 30 }, { start: 30, end: 40 }];
  assert.deepEqual(rangesFrom(ranges, 0), ranges);
  assert.deepEqual(rangesFrom(ranges, 25), [{ start: 25, end: 30 }, { start: 30, end: 40 }]);
  assert.deepEqual(rangesFrom(ranges, 30), [{ start: 30, end: 40 }]);
  assert.deepEqual(rangesFrom(ranges, 40), []);
});
