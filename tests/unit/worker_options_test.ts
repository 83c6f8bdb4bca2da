import assert from "node:assert/strict";
import { UsageError } from "../../src/core/errors.ts";
import { parseQueueList } from "../../src/cli/worker_options.ts";

Deno.test("parseQueueList() keeps each queue once, in the order first given", () => {
  assert.deepEqual(parseQueueList("a,a"), ["a"]);
  assert.deepEqual(parseQueueList("b, a,b,a ,c"), ["b", "a", "c"]);
});

Deno.test("parseQueueList() reads no option as every queue, and refuses an empty list", () => {
  assert.equal(parseQueueList(undefined), null);
  assert.throws(() => parseQueueList(" , "), UsageError);
});

Deno.test("parseQueueList() refuses an empty item rather than dropping it", () => {
  assert.throws(() => parseQueueList("a,,b"), {
    name: "UsageError",
    message: /^Invalid --queue "a,,b": /,
  });
});
