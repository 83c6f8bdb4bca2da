import assert from "node:assert/strict";
import { waitSelection } from "../../src/cli/wait_selection.ts";

Deno.test("waitSelection() takes ids, each once, in the order given", () => {
  assert.deepEqual(waitSelection(["b", "a", "b"], undefined, false), { ids: ["b", "a"] });
});

Deno.test("waitSelection() takes --queue's names, each once, or --all for every queue", () => {
  assert.deepEqual(waitSelection([], "b, a,b", false), { queues: ["b", "a"] });
  assert.deepEqual(waitSelection([], undefined, true), { queues: null });
});

const REFUSED: [string, readonly string[], string | undefined, boolean, RegExp][] = [
  [
    "nothing to wait for",
    [],
    undefined,
    false,
    /^Give the ids of the jobs to wait for, or --queue <names> or --all /,
  ],
  ["ids and --all", ["a"], undefined, true, /^Give job ids or --all, not both$/],
  ["ids and --queue", ["a"], "q", false, /^Give job ids or --queue <names>, not both$/],
  [
    "--queue and --all",
    [],
    "q",
    true,
    /^--all waits for the jobs of every queue: give --queue <names> or --all$/,
  ],
  ["an empty --queue", [], " , ", false, /^--queue is empty: /],
  ["an empty item of --queue", [], "a,", false, /^Invalid --queue "a,": an item is empty/],
  ["a bad queue name", [], "a,b c", false, /^Invalid --queue "b c": /],
  ["a bad id", ["a b"], undefined, false, /^Invalid job id "a b"/],
];

for (const [what, ids, queue, all, message] of REFUSED) {
  Deno.test(`waitSelection() refuses ${what}`, () => {
    assert.throws(() => waitSelection(ids, queue, all), { name: "UsageError", message });
  });
}
