import assert from "node:assert/strict";
import { formatAttemptHeader } from "../../src/core/attempt_log.ts";
import { type LogPiece, LogStreamSplitter } from "../../src/core/log_stream.ts";

const encoder = new TextEncoder();
const HEADER = formatAttemptHeader("J", {
  attempt: 1,
  of: 2,
  startedAt: 0,
  worker: "host:1",
  newlineAdded: false,
});
const SECOND = formatAttemptHeader("J", {
  attempt: 2,
  of: 2,
  startedAt: 1000,
  worker: "host:2",
  newlineAdded: false,
});

function bytes(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((part) => typeof part === "string" ? encoder.encode(part) : part);
  return Uint8Array.from(arrays.flatMap((array) => [...array]));
}

/** Splits `log` read in the given chunks; adjacent output pieces are merged. */
function split(chunks: readonly Uint8Array[]): ({ header: string } | { output: number[] })[] {
  const splitter = new LogStreamSplitter("J");
  const pieces: LogPiece[] = [
    ...chunks.flatMap((chunk) => splitter.push(chunk)),
    ...splitter.end(),
  ];
  const merged: ({ header: string } | { output: number[] })[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (piece.kind === "header") merged.push({ header: piece.line });
    else if (last && "output" in last) last.output.push(...piece.bytes);
    else merged.push({ output: [...piece.bytes] });
  }
  return merged;
}

/** Every way of cutting `data` into two chunks, and one byte at a time. */
function chunkings(data: Uint8Array): Uint8Array[][] {
  const twoWays = Array.from({ length: data.length + 1 }, (_, at) => [
    data.slice(0, at),
    data.slice(at),
  ]);
  return [...twoWays, Array.from(data, (byte) => Uint8Array.of(byte))];
}

Deno.test("LogStreamSplitter passes bytes that are not UTF-8 through unchanged, at every split", () => {
  const output = [0xff, 0xfe, 0x0a, 0xe9, 0x80, 0x3d, 0x0a, 0xc3];
  const log = bytes(`${HEADER}\n`, output, `\n${SECOND}\n`, [0xe9]);
  for (const chunks of chunkings(log)) {
    assert.deepEqual(split(chunks), [
      { header: HEADER },
      { output: [...output, 0x0a] },
      { header: SECOND },
      { output: [0xe9] },
    ], `chunks of ${chunks.map((chunk) => chunk.length)}`);
  }
});

Deno.test("LogStreamSplitter takes a header only at a line's start, wherever the chunks end", () => {
  const log = bytes(`one ${HEADER}\n=== attempt soon\n${HEADER}\r\ntwo`);
  for (const chunks of chunkings(log)) {
    assert.deepEqual(split(chunks), [
      { output: [...encoder.encode(`one ${HEADER}\n=== attempt soon\n`)] },
      { header: HEADER },
      { output: [...encoder.encode("two")] },
    ]);
  }
});

Deno.test("LogStreamSplitter takes a header without a newline at the end of the log", () => {
  assert.deepEqual(split([bytes(`x\n${HEADER}`)]), [
    { output: [...encoder.encode("x\n")] },
    { header: HEADER },
  ]);
});

Deno.test("LogStreamSplitter takes for output a header of another job, or one read already", () => {
  const other = formatAttemptHeader("K", {
    attempt: 2,
    of: 2,
    startedAt: 1000,
    worker: "host:2",
    newlineAdded: false,
  });
  const log = bytes(`${HEADER}\n${other}\n${HEADER}\n${SECOND}\n`);
  for (const chunks of chunkings(log)) {
    assert.deepEqual(split(chunks), [
      { header: HEADER },
      { output: [...encoder.encode(`${other}\n${HEADER}\n`)] },
      { header: SECOND },
    ]);
  }
});

Deno.test("LogStreamSplitter holds back only a partial line that may become a header", () => {
  const splitter = new LogStreamSplitter("J");
  assert.deepEqual(splitter.push(bytes("abc")).map((piece) => piece.kind), ["output"]);
  // The newline before it too: a header may have been added after it.
  assert.deepEqual(splitter.push(bytes("\n=== att")), []);
  assert.deepEqual(splitter.caughtUp(), []);
  const long = splitter.push(bytes("empt ", "x".repeat(2000)));
  assert.deepEqual(long, [
    { kind: "output", bytes: bytes("\n") },
    { kind: "output", bytes: bytes("=== attempt ", "x".repeat(2000)) },
  ]);
});

Deno.test("LogStreamSplitter drops the newline a worker added before its header, at every split", () => {
  const added = formatAttemptHeader("J", {
    attempt: 2,
    of: 2,
    startedAt: 1000,
    worker: "host:2",
    newlineAdded: true,
  });
  const log = bytes(`${HEADER}\n`, [0x70, 0x0d], `\n${added}\n\ntwo\n`);
  for (const chunks of chunkings(log)) {
    assert.deepEqual(split(chunks), [
      { header: HEADER },
      { output: [0x70, 0x0d] },
      { header: added },
      { output: [...encoder.encode("\ntwo\n")] },
    ], `chunks of ${chunks.map((chunk) => chunk.length)}`);
  }
  // A newline of the command's own before a header that added none is output.
  assert.deepEqual(split([bytes(`${HEADER}\none\n\n${SECOND}\n`)]), [
    { header: HEADER },
    { output: [...encoder.encode("one\n\n")] },
    { header: SECOND },
  ]);
});

Deno.test("LogStreamSplitter gives out a final newline once the reader has caught up", () => {
  const splitter = new LogStreamSplitter("J");
  assert.deepEqual(splitter.push(bytes(`${HEADER}\nready\n`)), [
    { kind: "header", line: HEADER, newlineAdded: false },
    { kind: "output", bytes: bytes("ready") },
  ]);
  assert.deepEqual(splitter.caughtUp(), [{ kind: "output", bytes: bytes("\n") }]);
  assert.deepEqual(splitter.caughtUp(), []);
  assert.deepEqual(splitter.end(), []);
});
