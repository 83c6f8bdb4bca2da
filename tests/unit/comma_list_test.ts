import assert from "node:assert/strict";
import { commaListItems } from "../../src/core/comma_list.ts";

Deno.test("commaListItems() trims the items, and gives none when every one is blank", () => {
  assert.deepEqual(commaListItems(" a, b ,c", "--x"), ["a", "b", "c"]);
  assert.deepEqual(commaListItems("a,a", "--x"), ["a", "a"]);
  assert.deepEqual(commaListItems(" ", "--x"), []);
  assert.deepEqual(commaListItems(" , ", "--x"), []);
});

Deno.test("commaListItems() refuses an empty item beside others, naming the option and the fix", () => {
  for (const text of ["a,,b", "a,", ",a", "a, ,b"]) {
    assert.throws(() => commaListItems(text, "--queue"), {
      name: "UsageError",
      message:
        `Invalid --queue "${text}": an item is empty: separate items with single commas, none at either end`,
    });
  }
});
