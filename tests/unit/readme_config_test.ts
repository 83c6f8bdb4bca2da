import assert from "node:assert/strict";
import { CONFIG_KEYS } from "../../src/core/config.ts";

const README = await Deno.readTextFile(new URL("../../README.md", import.meta.url));

/** The README's configuration table: key → default. */
function documentedDefaults(): Map<string, string> {
  const start = README.indexOf("\n### configuration\n");
  assert.notEqual(start, -1, "README has a configuration section");
  const end = README.indexOf("\n#", start + 1);
  const rows = new Map<string, string>();
  for (const line of README.slice(start, end).split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const key = /^`(.+)`$/.exec(cells[0] ?? "")?.[1];
    if (key !== undefined && cells[1] !== undefined) rows.set(key, cells[1]);
  }
  return rows;
}

Deno.test("the README's configuration table has every setting with its default", () => {
  assert.deepEqual(
    documentedDefaults(),
    new Map(CONFIG_KEYS.map((definition) => [definition.key, definition.defaultText])),
  );
});
