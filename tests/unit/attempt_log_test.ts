import assert from "node:assert/strict";
import { AttemptHeaderReader, formatAttemptHeader } from "../../src/core/attempt_log.ts";
import { LogFile } from "../../src/cli/log_file.ts";
import { MemoryFile } from "../helpers/memory_file.ts";

const AT = Date.UTC(2026, 10, 24, 1, 45, 50, 870);

/** The attempts LogFile finds in a log of job J: each header's attempt number and its output. */
async function splitLog(text: string): Promise<[number | null, string][]> {
  const file = new MemoryFile(new TextEncoder().encode(text));
  const log = new LogFile(file, "J", file.data.length);
  const decoder = new TextDecoder();
  const attempts: [number | null, string][] = [];
  // One read at a time: each seeks the one file.
  for (const { header, output } of await log.attempts()) {
    attempts.push([header?.attempt ?? null, decoder.decode(await log.read(output))]);
  }
  return attempts;
}

Deno.test("formatAttemptHeader() seals a header that AttemptHeaderReader reads back", () => {
  const header = { attempt: 2, of: 4, startedAt: AT, worker: "vm:5282", newlineAdded: false };
  const line = formatAttemptHeader("k3x9m2qa7z", header);
  assert.match(
    line,
    /^=== attempt 2 of 4 · 2026-11-24T01:45:50\.870Z · worker vm:5282 · seal [0-9a-f]{14} ===$/,
  );
  assert.deepEqual(new AttemptHeaderReader("k3x9m2qa7z").read(line), header);
});

Deno.test("AttemptHeaderReader rejects lines a command could print", () => {
  const sealed = formatAttemptHeader("J", {
    attempt: 1,
    of: 2,
    startedAt: AT,
    worker: "a:1",
    newlineAdded: false,
  });
  const lines = [
    "=== attempt",
    "=== build ===",
    "=== attempt x of 4 · now · worker a ===",
    // Another job's header, and this job's with a field changed.
    formatAttemptHeader("K", {
      attempt: 1,
      of: 2,
      startedAt: AT,
      worker: "a:1",
      newlineAdded: false,
    }),
    sealed.replace("attempt 1", "attempt 2"),
  ];
  for (const line of lines) assert.equal(new AttemptHeaderReader("J").read(line), null, line);
  const reader = new AttemptHeaderReader("J");
  assert.ok(reader.read(sealed));
  assert.equal(reader.read(sealed), null, "a header read already");
});

Deno.test("a log splits at sealed headers and keeps output before any header", async () => {
  const first = formatAttemptHeader("J", {
    attempt: 1,
    of: 2,
    startedAt: AT,
    worker: "a:1",
    newlineAdded: false,
  });
  const second = formatAttemptHeader("J", {
    attempt: 2,
    of: 2,
    startedAt: AT + 2000,
    worker: "b:2",
    newlineAdded: false,
  });
  const unsealed = "=== attempt 2 of 2 · 2026-11-24T01:45:52.870Z · worker b:2 ===";
  const attempts = await splitLog(
    `stray\n${first}\none\n=== not a header ===\n${unsealed}\n${first}\n${second}\ntwo\nno newline`,
  );
  assert.deepEqual(attempts, [
    [null, "stray\n"],
    [1, `one\n=== not a header ===\n${unsealed}\n${first}\n`],
    [2, "two\nno newline"],
  ]);
  assert.deepEqual(await splitLog(""), []);
});

Deno.test("a log written before seals splits as before, and its sequel", async () => {
  const old = (attempt: number) =>
    `=== attempt ${attempt} of 3 · 2026-11-24T01:45:5${attempt}.870Z · worker a:1 ===`;
  const third = formatAttemptHeader("J", {
    attempt: 3,
    of: 3,
    startedAt: AT,
    worker: "a:2",
    newlineAdded: false,
  });
  const attempts = await splitLog(`${old(1)}\none\n${old(2)}\ntwo\n${third}\n${old(1)}\nthree\n`);
  assert.deepEqual(attempts, [
    [1, "one\n"],
    [2, "two\n"],
    [3, `${old(1)}\nthree\n`],
  ]);
});

Deno.test("a log's attempts drop exactly the newline a worker added before its header", async () => {
  const first = formatAttemptHeader("J", {
    attempt: 1,
    of: 3,
    startedAt: AT,
    worker: "a:1",
    newlineAdded: false,
  });
  const added = (attempt: number) =>
    formatAttemptHeader("J", {
      attempt,
      of: 3,
      startedAt: AT + attempt,
      worker: "a:1",
      newlineAdded: true,
    });
  assert.match(added(2), / · worker a:1 · newline added · seal [0-9a-f]{14} ===$/);
  assert.equal(new AttemptHeaderReader("J").read(added(2))?.newlineAdded, true);
  const attempts = await splitLog(`${first}\npartial\n${added(2)}\ncr\r\n${added(3)}\n\nlast`);
  assert.deepEqual(attempts, [
    [1, "partial"],
    [2, "cr\r"],
    [3, "\nlast"],
  ]);
});

Deno.test("AttemptHeaderReader takes no unsealed header that says a newline was added", () => {
  const line = "=== attempt 2 of 2 · 2026-11-24T01:45:52.870Z · worker b:2 · newline added ===";
  assert.equal(new AttemptHeaderReader("J").read(line), null);
});
