import assert from "node:assert/strict";
import { formatAttemptHeader } from "../../src/core/attempt_log.ts";
import { LogFile } from "../../src/cli/log_file.ts";
import { writeLogJson } from "../../src/cli/log_json.ts";
import type { Output } from "../../src/cli/output.ts";
import { MemoryFile } from "../helpers/memory_file.ts";

const ID = "k3x9m2qa7z";
const AT = Date.UTC(2026, 10, 24, 1, 45, 50, 870);
const JOB = { id: ID, state: "failed" } as const;

/** An Output that keeps what is written, and the longest single write. */
function recordingOutput(): Output & { text: () => string; longestWrite: () => number } {
  const writes: string[] = [];
  return {
    write: (text) => void writes.push(text),
    writeBytes: () => assert.fail("JSON is text"),
    line: (text = "") => void writes.push(`${text}\n`),
    json: (value) => void writes.push(`${JSON.stringify(value, null, 2)}\n`),
    readerGone: false,
    text: () => writes.join(""),
    longestWrite: () => Math.max(...writes.map((text) => text.length)),
  };
}

/** Two attempts, the second's output 3 MB of two-byte characters, split across reads. */
function bigLog(): { log: LogFile; outputs: string[] } {
  const first = "first attempt\n";
  const second = "é".repeat(1_500_000) + "\nend";
  const header = (attempt: number) =>
    formatAttemptHeader(ID, {
      attempt,
      of: 2,
      startedAt: AT + attempt - 1,
      worker: "vm:1",
      newlineAdded: false,
    });
  const text = `${header(1)}\n${first}${header(2)}\n${second}`;
  const file = new MemoryFile(new TextEncoder().encode(text));
  return { log: new LogFile(file, ID, file.data.length), outputs: [first, second] };
}

Deno.test("writeLogJson() writes the document Output.json would, the output streamed a piece at a time", async () => {
  const { log, outputs } = bigLog();
  const output = recordingOutput();
  await writeLogJson(output, JOB, { log, attempts: await log.attempts(), from: 0 });
  const expected = {
    id: ID,
    state: "failed",
    attempts: outputs.map((text, index) => ({
      attempt: index + 1,
      started_at: new Date(AT + index).toISOString(),
      worker: "vm:1",
      output: text,
    })),
  };
  assert.equal(output.text(), `${JSON.stringify(expected, null, 2)}\n`);
  // Never the whole output in one string: a log over ~1 GB could not be held as one.
  assert.ok(output.longestWrite() <= 1024 * 1024, `a write of ${output.longestWrite()} chars`);
});

Deno.test("writeLogJson() leaves out the attempts that end before `from`, and cuts the first kept", async () => {
  const { log } = bigLog();
  const attempts = await log.attempts();
  const from = attempts[1]!.output.end - 3;
  const output = recordingOutput();
  await writeLogJson(output, JOB, { log, attempts, from });
  const document = JSON.parse(output.text());
  assert.deepEqual(document.attempts.map((a: { attempt: number }) => a.attempt), [2]);
  assert.equal(document.attempts[0].output, "end");
});

Deno.test("writeLogJson() of a job without a log gives no attempts", async () => {
  const output = recordingOutput();
  await writeLogJson(output, JOB, null);
  assert.deepEqual(JSON.parse(output.text()), { id: ID, state: "failed", attempts: [] });
});
