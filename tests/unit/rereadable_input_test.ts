import assert from "node:assert/strict";
import { RereadableInput } from "../../src/cli/rereadable_input.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let result = "";
  for await (const chunk of chunks) result += decoder.decode(chunk, { stream: true });
  return result + decoder.decode();
}

function noStdin(): ReadableStream<Uint8Array> {
  throw new Error("stdin was read");
}

/** A temporary file holding `content` (larger than one read), removed on dispose. */
async function tempFile(content: string): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempFile({ prefix: "queuectl-input-test-" });
  await Deno.writeTextFile(path, content);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path) };
}

const LINES = Array.from({ length: 5000 }, (_, index) => `echo line ${index}\n`).join("");

Deno.test("RereadableInput reads a regular file twice, the same bytes each time", async () => {
  await using file = await tempFile(LINES);
  await using input = await RereadableInput.open(file.path, noStdin);
  assert.equal(await text(input.firstRead()), LINES);
  assert.equal(await text(input.secondRead()), LINES);
});

Deno.test("RereadableInput fails the second read of a file appended to after the first", async () => {
  await using file = await tempFile(LINES);
  await using input = await RereadableInput.open(file.path, noStdin);
  await text(input.firstRead());
  await Deno.writeTextFile(file.path, "echo late\n", { append: true });
  await assert.rejects(() => text(input.secondRead()), {
    name: "UsageError",
    message: `--file ${file.path} changed while it was being enqueued: nothing was enqueued, ` +
      "run again once it is complete",
  });
});

Deno.test("RereadableInput fails the second read of a file rewritten to the same size", async () => {
  await using file = await tempFile(LINES);
  await using input = await RereadableInput.open(file.path, noStdin);
  await text(input.firstRead());
  const { mtime } = await Deno.stat(file.path);
  await Deno.writeTextFile(file.path, LINES.replace("line 0", "line X"));
  // Another modification time, whatever the clock's resolution.
  await Deno.utime(file.path, new Date(), new Date(mtime!.getTime() + 5_000));
  await assert.rejects(() => text(input.secondRead()), { name: "UsageError", message: /changed/ });
});

Deno.test("RereadableInput copies stdin during the first read for the second", async () => {
  const chunks = ["echo a\n", "echo b\necho", " c\n"].map((chunk) => encoder.encode(chunk));
  let opened = 0;
  const stdin = () => {
    opened++;
    return ReadableStream.from(chunks);
  };
  await using input = await RereadableInput.open("-", stdin);
  assert.equal(await text(input.firstRead()), "echo a\necho b\necho c\n");
  assert.equal(await text(input.secondRead()), "echo a\necho b\necho c\n");
  assert.equal(opened, 1);
});

Deno.test("RereadableInput copies a FIFO, which cannot be read twice", async () => {
  const directory = await Deno.makeTempDir({ prefix: "queuectl-input-test-" });
  try {
    const path = `${directory}/jobs.fifo`;
    const made = await new Deno.Command("mkfifo", { args: [path] }).output();
    assert.ok(made.success, "mkfifo");
    // Opening either end of a FIFO waits for the other: open both at once.
    const writing = Deno.open(path, { write: true }).then(async (writer) => {
      await writer.write(encoder.encode(LINES));
      writer.close();
    });
    await using input = await RereadableInput.open(path, noStdin);
    assert.equal(await text(input.firstRead()), LINES);
    await writing;
    assert.equal(await text(input.secondRead()), LINES);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("RereadableInput names a file it cannot open, or a directory", async () => {
  await assert.rejects(() => RereadableInput.open("/nonexistent/jobs", noStdin), {
    name: "UsageError",
    // Said as --log-file says it: without Deno's "(os error 2): open '…'" after the reason.
    message: "Cannot read --file /nonexistent/jobs: No such file or directory",
  });
  const directory = await Deno.makeTempDir({ prefix: "queuectl-input-test-" });
  try {
    await assert.rejects(() => RereadableInput.open(directory, noStdin), {
      name: "UsageError",
      message: `Cannot read --file ${directory}: it is a directory`,
    });
  } finally {
    await Deno.remove(directory);
  }
});
