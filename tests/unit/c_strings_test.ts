import assert from "node:assert/strict";
import { cString, cStringArray, CStringBuffer } from "../../src/worker/c_strings.ts";

/** Follows the pointer table the way C would: pointers until NULL, each to a C string. */
function readArray(buffer: Uint8Array): string[] {
  const view = new Deno.UnsafePointerView(Deno.UnsafePointer.of(buffer)!);
  const strings: string[] = [];
  for (let index = 0;; index++) {
    const pointer = view.getPointer(index * 8);
    if (pointer === null) return strings;
    strings.push(Deno.UnsafePointerView.getCString(pointer));
  }
}

Deno.test("cString() ends the UTF-8 bytes with a NUL", () => {
  assert.deepEqual([...cString("é/")!], [0xc3, 0xa9, 0x2f, 0]);
  assert.deepEqual([...cString("")!], [0]);
});

Deno.test("cString() refuses a string with a NUL inside", () => {
  assert.equal(cString("a\0b"), null);
});

Deno.test("cStringArray() is a NULL-terminated pointer table into its own strings", () => {
  const strings = ["sh", "-c", "echo 'é' && true", "", "A=1"];
  const buffer = cStringArray(strings)!;
  assert.deepEqual(readArray(buffer), strings);
  assert.deepEqual(readArray(cStringArray([])!), []);
});

Deno.test("cStringArray() refuses any string with a NUL inside", () => {
  assert.equal(cStringArray(["sh", "x\0y"]), null);
});

Deno.test("CStringBuffer.of() writes each string as cString() would, growing for a long one", () => {
  const buffer = new CStringBuffer();
  for (const text of ["é/", "", "x".repeat(1_000), "a/b", "é".repeat(200)]) {
    assert.deepEqual(buffer.of(text), cString(text));
  }
  assert.equal(buffer.of("a\0b"), null);
});
