import assert from "node:assert/strict";
import { parseLimit } from "../../src/cli/parse_limit.ts";

Deno.test("parseLimit() uses the fallback when --limit is absent", () => {
  assert.equal(parseLimit(undefined, 50), 50);
});

Deno.test("parseLimit() accepts 1 to a million", () => {
  assert.equal(parseLimit("1", 50), 1);
  assert.equal(parseLimit("1000000", 50), 1_000_000);
});

for (const text of ["0", "-1", "1000001", "1.5", "ten", "", "1e3"]) {
  Deno.test(`parseLimit() rejects ${JSON.stringify(text)} naming the range`, () => {
    assert.throws(() => parseLimit(text, 50), {
      name: "UsageError",
      message: `Invalid --limit "${text}": expected a whole number from 1 to 1000000`,
    });
  });
}
