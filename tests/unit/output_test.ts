import assert from "node:assert/strict";
import { memoryOutput, streamOutput } from "../../src/cli/output.ts";

const decoder = new TextDecoder();

/** A stream that accepts at most `max` bytes per write, like a busy pipe. */
function slowStream(max: number) {
  const chunks: Uint8Array[] = [];
  return {
    chunks,
    text: () => chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join(""),
    writeSync(data: Uint8Array): number {
      const taken = data.slice(0, max);
      chunks.push(taken);
      return taken.length;
    },
  };
}

Deno.test("streamOutput() writes everything even when the stream takes a few bytes at a time", () => {
  const stream = slowStream(3);
  const output = streamOutput(stream);
  output.write("héllo ");
  output.line("wörld 🙂");
  output.json({ a: 1 });
  assert.equal(stream.text(), 'héllo wörld 🙂\n{\n  "a": 1\n}\n');
  assert.ok(stream.chunks.every((chunk) => chunk.length <= 3));
});

Deno.test("streamOutput() stops quietly once the reader has closed the pipe, and says so", () => {
  let calls = 0;
  const output = streamOutput({
    writeSync(): number {
      calls++;
      throw new Deno.errors.BrokenPipe("closed");
    },
  });
  assert.equal(output.readerGone, false);
  output.line("first");
  assert.equal(output.readerGone, true);
  output.line("second");
  output.writeBytes(Uint8Array.of(1));
  assert.equal(calls, 1);
});

Deno.test("streamOutput() writes bytes that are not UTF-8 as they are", () => {
  const stream = slowStream(2);
  const output = streamOutput(stream);
  const bytes = Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0xff, 0x0a);
  output.writeBytes(bytes);
  assert.deepEqual(Uint8Array.from(stream.chunks.flatMap((chunk) => [...chunk])), bytes);
});

Deno.test("streamOutput() passes other write errors on", () => {
  const output = streamOutput({
    writeSync(): number {
      throw new Deno.errors.PermissionDenied("no");
    },
  });
  assert.throws(() => output.line("x"), Deno.errors.PermissionDenied);
});

Deno.test("memoryOutput() keeps lines and pretty JSON", () => {
  const output = memoryOutput();
  output.line();
  output.line("a");
  output.write("b");
  output.json([1]);
  output.writeBytes(Uint8Array.of(0xff));
  assert.equal(output.text(), "\na\nb[\n  1\n]\n\uFFFD");
  assert.equal(output.bytes().at(-1), 0xff);
});
