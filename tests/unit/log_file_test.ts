import assert from "node:assert/strict";
import { formatAttemptHeader } from "../../src/core/attempt_log.ts";
import { LogFile } from "../../src/cli/log_file.ts";
import { MemoryFile } from "../helpers/memory_file.ts";

const ID = "k3x9m2qa7z";
const AT = Date.UTC(2026, 10, 24, 1, 45, 50, 870);
const headerLine = (attempt: number, newlineAdded = false) =>
  formatAttemptHeader(ID, {
    attempt,
    of: 3,
    startedAt: AT + attempt,
    worker: "vm:1",
    newlineAdded,
  });

function logFile(text: string): { log: LogFile; file: MemoryFile } {
  const file = new MemoryFile(new TextEncoder().encode(text));
  return { log: new LogFile(file, ID, file.data.length), file };
}

async function texts(log: LogFile) {
  const decode = async (range: { start: number; end: number }) =>
    new TextDecoder().decode(await log.read(range));
  const attempts = [];
  for (const { header, range, output } of await log.attempts()) {
    attempts.push({
      attempt: header?.attempt ?? null,
      range: await decode(range),
      output: await decode(output),
    });
  }
  return attempts;
}

Deno.test("LogFile.attempts() splits a log at its headers, as logs --json does", async () => {
  const first = `${headerLine(1)}\n`;
  const second = `${headerLine(2, true)}\n`;
  const { log } = logFile(`before\n${first}one\npartial\n${second}two\n`);
  assert.deepEqual(await texts(log), [
    { attempt: null, range: "before\n", output: "before\n" },
    { attempt: 1, range: `${first}one\npartial\n`, output: "one\npartial" },
    { attempt: 2, range: `${second}two\n`, output: "two\n" },
  ]);
});

Deno.test("LogFile.attempts() reads a header copied into the output, or made up, as output", async () => {
  const first = `${headerLine(1)}\n`;
  const second = `${headerLine(2)}\n`;
  const madeUp = "=== attempt 3 of 3 · 2026-01-01T00:00:00.000Z · worker elsewhere:1 ===\n";
  const copied = `${first}one\n${second}`;
  const { log } = logFile(`${first}one\n${second}${madeUp}${copied}=x\n==\n`);
  assert.deepEqual(await texts(log), [
    { attempt: 1, range: `${first}one\n`, output: "one\n" },
    {
      attempt: 2,
      range: `${second}${madeUp}${copied}=x\n==\n`,
      output: `${madeUp}${copied}=x\n==\n`,
    },
  ]);
});

Deno.test("LogFile.attempts() finds a header that ends the log without a newline", async () => {
  const { log } = logFile(`${headerLine(1)}\none\n${headerLine(2)}`);
  assert.deepEqual((await log.attempts()).map(({ header }) => header?.attempt), [1, 2]);
});

Deno.test("LogFile.tailStart() reads the end of a log, not all of it", async () => {
  const line = "x".repeat(99) + "\n";
  const { log, file } = logFile(`${headerLine(1)}\n${line.repeat(100_000)}last\n`);
  const start = await log.tailStart([log.whole], 3);
  assert.equal(
    new TextDecoder().decode(await log.read({ start, end: log.size })),
    `${line}${line}last\n`,
  );
  assert.ok(file.bytesRead < 200_000, `read ${file.bytesRead} of ${log.size} bytes`);
});

Deno.test("LogFile.tailStart() counts the lines of several ranges together", async () => {
  const { log } = logFile("a\nb\nc\nd\ne\nf\n");
  const ranges = [{ start: 0, end: 4 }, { start: 8, end: 12 }];
  assert.equal(await log.tailStart(ranges, 2), 8);
  assert.equal(await log.tailStart(ranges, 3), 2);
  assert.equal(await log.tailStart(ranges, 9), 0);
  assert.equal(await log.tailStart(ranges, 0), 12);
});
