import assert from "node:assert/strict";
import {
  displayWidth,
  replaceControls,
  truncateToWidth,
} from "../../src/cli/render/display_width.ts";

Deno.test("displayWidth() counts cells: code points, wide characters 2, combining marks 0", () => {
  assert.equal(displayWidth("abc"), 3);
  assert.equal(displayWidth("日本語"), 6);
  assert.equal(displayWidth("ｆｕｌｌ"), 8);
  assert.equal(displayWidth("e\u0301"), 1);
  assert.equal(displayWidth("𝒳"), 1, "one code point of two UTF-16 units");
  assert.equal(displayWidth("🚀 go"), 5);
  assert.equal(displayWidth("café ✓"), 6);
});

Deno.test("truncateToWidth() cuts to the cells given, ellipsis included, never half a wide char", () => {
  assert.equal(truncateToWidth("hello", 5), "hello");
  assert.equal(truncateToWidth("hello world", 6), "hello…");
  assert.equal(truncateToWidth("日本語テキスト", 6), "日本…");
  assert.equal(truncateToWidth("日本語テキスト", 7), "日本語…");
  assert.equal(truncateToWidth("𝒳𝒳𝒳", 2), "𝒳…");
});

Deno.test("replaceControls() shows ESC and other controls, and makes breaks and tabs spaces", () => {
  assert.equal(replaceControls("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
  assert.equal(replaceControls("a\r\nb\tc"), "a  b c");
  assert.equal(replaceControls("\x00\x07\x7f\x9b"), "␀␇␡\ufffd");
  assert.equal(replaceControls("plain ünïcode"), "plain ünïcode");
});
