import assert from "node:assert/strict";

const VENDORED = new URL("../../src/vendor/type-flag/", import.meta.url);
const PINNED = new URL("../../node_modules/type-flag/", import.meta.url);
const denoConfig = JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
) as { imports: Record<string, string> };

Deno.test("the vendored type-flag is the version pinned in deno.json", () => {
  const vendored = JSON.parse(Deno.readTextFileSync(new URL("package.json", VENDORED))) as {
    version: string;
  };
  assert.equal(denoConfig.imports["type-flag"], `npm:type-flag@${vendored.version}`);
});

Deno.test("the vendored type-flag files are byte for byte the npm package's", () => {
  for (
    const [vendored, original] of [
      ["index.mjs", "dist/index.mjs"],
      ["index.d.ts", "dist/index.d.ts"],
      ["LICENSE", "LICENSE"],
      ["package.json", "package.json"],
    ]
  ) {
    assert.deepEqual(
      Deno.readFileSync(new URL(vendored!, VENDORED)),
      Deno.readFileSync(new URL(original!, PINNED)),
      `src/vendor/type-flag/${vendored} differs from the npm package's ${original}`,
    );
  }
});
