import assert from "node:assert/strict";
import {
  formatAttemptHeader,
  parseAttemptHeader,
  splitLogIntoAttempts,
} from "../../src/core/attempt_log.ts";

const AT = Date.UTC(2026, 10, 24, 1, 45, 50, 870);

Deno.test("formatAttemptHeader() and parseAttemptHeader() round-trip", () => {
  const header = { attempt: 2, of: 4, startedAt: AT, worker: "vm:5282" };
  const line = formatAttemptHeader(header);
  assert.equal(line, "=== attempt 2 of 4 · 2026-11-24T01:45:50.870Z · worker vm:5282 ===");
  assert.deepEqual(parseAttemptHeader(line), header);
});

Deno.test("parseAttemptHeader() rejects lines a command could print", () => {
  for (const line of ["=== attempt", "=== build ===", "=== attempt x of 4 · now · worker a ==="]) {
    assert.equal(parseAttemptHeader(line), null, line);
  }
});

Deno.test("splitLogIntoAttempts() splits at headers and keeps output before any header", () => {
  const first = formatAttemptHeader({ attempt: 1, of: 2, startedAt: AT, worker: "a:1" });
  const second = formatAttemptHeader({ attempt: 2, of: 2, startedAt: AT + 2000, worker: "b:2" });
  const attempts = splitLogIntoAttempts(
    `stray\n${first}\none\n=== not a header ===\n${second}\ntwo\nno newline`,
  );
  assert.deepEqual(attempts.map((attempt) => [attempt.header?.attempt ?? null, attempt.output]), [
    [null, "stray\n"],
    [1, "one\n=== not a header ===\n"],
    [2, "two\nno newline"],
  ]);
  assert.deepEqual(splitLogIntoAttempts(""), []);
});
