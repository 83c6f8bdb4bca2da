import assert from "node:assert/strict";
import { IdSpool, writeIds } from "../../src/cli/id_spool.ts";
import { memoryOutput } from "../../src/cli/output.ts";

async function* batches(...lists: string[][]): AsyncGenerator<string[]> {
  yield* lists;
}

Deno.test("writeIds() --json lays out an EnqueueBatch as Output.json does, ids in batches or none", async () => {
  for (const lists of [[], [["a"]], [["a", "b"], ["c"]], [["k3x9m2qa7z"], [], ["x.y-z_1"]]]) {
    const output = memoryOutput();
    const counts = { enqueued: lists.flat().length, duplicates: 1 };
    await writeIds(output, batches(...lists), counts);
    const expected = memoryOutput();
    expected.json({ ...counts, ids: lists.flat() });
    assert.equal(output.text(), expected.text(), JSON.stringify(lists));
  }
});

Deno.test("writeIds() --quiet prints one id a line, and nothing for none", async () => {
  const output = memoryOutput();
  await writeIds(output, batches(["a", "b"], [], ["c"]), null);
  assert.equal(output.text(), "a\nb\nc\n");
  const none = memoryOutput();
  await writeIds(none, batches(), null);
  assert.equal(none.text(), "");
});

Deno.test("IdSpool gives back the ids added, in order, beyond one read's chunk", async () => {
  using spool = IdSpool.create();
  const ids = Array.from({ length: 5000 }, (_, index) => `job-${index}`);
  for (let at = 0; at < ids.length; at += 128) spool.add(ids.slice(at, at + 128));
  spool.add([]);
  const read: string[] = [];
  for await (const batch of spool.idBatches()) read.push(...batch);
  assert.deepEqual(read, ids);
});
