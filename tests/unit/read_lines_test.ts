import assert from "node:assert/strict";
import { NotUtf8Error, readLineBatches } from "../../src/cli/read_lines.ts";

const encoder = new TextEncoder();

function streamOf(chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(
    chunks.map((chunk) => typeof chunk === "string" ? encoder.encode(chunk) : chunk),
  );
}

async function lines(chunks: readonly (string | Uint8Array)[]): Promise<string[]> {
  return (await Array.fromAsync(readLineBatches(streamOf(chunks)))).flat();
}

/** Every way of cutting `bytes` into two chunks. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.slice(0, at), bytes.slice(at)]);
}

Deno.test("readLineBatches() yields each LF-terminated line without its newline", async () => {
  assert.deepEqual(await lines(["a\nbb\nccc\n"]), ["a", "bb", "ccc"]);
});

Deno.test("readLineBatches() yields the lines completed by one chunk together", async () => {
  const batches = await Array.fromAsync(readLineBatches(streamOf(["a\nb\nc", "c\nd\n", "e"])));
  assert.deepEqual(batches, [["a", "b"], ["cc", "d"], ["e"]]);
});

Deno.test("readLineBatches() strips CR of CRLF line ends", async () => {
  assert.deepEqual(await lines(['{"command":"x"}\r\necho y\r\n']), ['{"command":"x"}', "echo y"]);
});

Deno.test("readLineBatches() yields a last line without a trailing newline", async () => {
  assert.deepEqual(await lines(["a\nb"]), ["a", "b"]);
  assert.deepEqual(await lines(["a\r\nb\r"]), ["a", "b"]);
});

Deno.test("readLineBatches() keeps empty lines in place so line numbers stay right", async () => {
  assert.deepEqual(await lines(["\na\n\n\nb\n"]), ["", "a", "", "", "b"]);
  assert.deepEqual(await lines(["\n"]), [""]);
});

Deno.test("readLineBatches() yields nothing for an empty stream", async () => {
  assert.deepEqual(await lines([]), []);
  assert.deepEqual(await lines([""]), []);
});

Deno.test("readLineBatches() joins a line split across chunks", async () => {
  assert.deepEqual(await lines(["ec", "ho h", "i\nsec", "ond"]), ["echo hi", "second"]);
  assert.deepEqual(await lines(["a", "\n", "b", "\n"]), ["a", "b"]);
});

Deno.test("readLineBatches() handles a CRLF split between CR and LF", async () => {
  assert.deepEqual(await lines(["a\r", "\nb\r", "\n"]), ["a", "b"]);
});

Deno.test("readLineBatches() reassembles a UTF-8 character split at every byte", async () => {
  const text = "é€🙂\r\nnaïve ✓\n";
  const bytes = encoder.encode(text);
  for (const chunks of splits(bytes)) {
    assert.deepEqual(await lines(chunks), ["é€🙂", "naïve ✓"], `split at ${chunks[0]!.length}`);
  }
});

Deno.test("readLineBatches() survives a stream delivered one byte at a time", async () => {
  const text = "un\r\ndeux 🙂\n\ntrois";
  const bytes = encoder.encode(text);
  const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
  assert.deepEqual(await lines(chunks), ["un", "deux 🙂", "", "trois"]);
});

Deno.test("readLineBatches() drops a UTF-8 byte order mark", async () => {
  const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
  assert.deepEqual(await lines([bom, '{"command":"x"}\n']), ['{"command":"x"}']);
});

Deno.test("readLineBatches() keeps a byte order mark that does not start the input", async () => {
  assert.deepEqual(await lines(["a\n\uFEFFb\n", "\uFEFFc"]), ["a", "\uFEFFb", "\uFEFFc"]);
});

/** The lines yielded before the error, and the error's line number. */
async function linesUntilError(
  chunks: readonly (string | Uint8Array)[],
): Promise<[string[], number | null]> {
  const seen: string[] = [];
  try {
    for await (const batch of readLineBatches(streamOf(chunks))) seen.push(...batch);
  } catch (error) {
    if (error instanceof NotUtf8Error) return [seen, error.lineNumber];
    throw error;
  }
  return [seen, null];
}

Deno.test("readLineBatches() refuses a line that is not UTF-8, naming it, after the lines before it", async () => {
  const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9); // "café" in Latin-1
  assert.deepEqual(await linesUntilError(["a\nb\n", latin1, "\nc\n"]), [["a", "b"], 3]);
  assert.deepEqual(await linesUntilError([latin1]), [[], 1]);
  assert.deepEqual(await linesUntilError(["x\n", Uint8Array.of(0xff)]), [["x"], 2]);
  // A UTF-8 sequence cut short by the end of its line.
  assert.deepEqual(await linesUntilError(["\uFEFFx\ny\n", Uint8Array.of(0xc3, 0x0a)]), [
    ["x", "y"],
    3,
  ]);
});

Deno.test("readLineBatches() numbers a bad line right wherever the chunks are cut", async () => {
  const bytes = Uint8Array.of(...encoder.encode("one\ntwo é\n\nfour "), 0xc3, 0x28, 0x0a, 0x35);
  for (const chunks of splits(bytes)) {
    assert.deepEqual(await linesUntilError(chunks), [["one", "two é", ""], 4]);
  }
  const manyChunks = Array.from({ length: 50 }, (_, index) => `line ${index}\n`);
  assert.deepEqual(
    (await linesUntilError([...manyChunks, "last ", Uint8Array.of(0x80)]))[1],
    51,
  );
});

Deno.test("readLineBatches() streams: it yields a line before the stream ends", async () => {
  let sendMore!: () => void;
  const more = new Promise<void>((resolve) => sendMore = resolve);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode("first\nsec"));
      await more;
      controller.enqueue(encoder.encode("ond\n"));
      controller.close();
    },
  });
  const iterator = readLineBatches(stream);
  assert.deepEqual(await iterator.next(), { value: ["first"], done: false });
  sendMore();
  assert.deepEqual(await iterator.next(), { value: ["second"], done: false });
  assert.equal((await iterator.next()).done, true);
});
