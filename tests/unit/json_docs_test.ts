import assert from "node:assert/strict";
import { loadAllCommands } from "../../src/cli/registry.ts";
import { OBJECT_SHAPES, OUTPUTS } from "../helpers/json_contract.ts";
import { assertShape, describeShape, type ObjectShape } from "../helpers/json_shape.ts";

const DOC = await Deno.readTextFile(new URL("../../docs/json.md", import.meta.url));

/** The rows of the first table under `## <heading>`: first column (unquoted) → second column. */
function table(heading: string): Map<string, string> {
  const start = DOC.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `docs/json.md has no section "## ${heading}"`);
  const end = DOC.indexOf("\n## ", start + 1);
  const rows = new Map<string, string>();
  for (const line of DOC.slice(start, end === -1 ? undefined : end).split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const key = /^`(.+)`$/.exec(cells[0] ?? "")?.[1];
    if (key !== undefined && cells[1] !== undefined) rows.set(key, cells[1]);
  }
  return rows;
}

function documentedFields(shape: ObjectShape): Map<string, string> {
  return new Map(Object.entries(shape.fields).map(([key, field]) => [key, describeShape(field)]));
}

for (const shape of OBJECT_SHAPES) {
  Deno.test(`docs/json.md documents every field of ${shape.name} with its type`, () => {
    assert.deepEqual(table(shape.name), documentedFields(shape));
  });
}

Deno.test("docs/json.md lists what each command prints with --json", () => {
  const expected = new Map(
    Object.entries(OUTPUTS).map(([command, shape]) => [command, describeShape(shape)]),
  );
  assert.deepEqual(table("Commands"), expected);
});

Deno.test("every command with a --json option is in the JSON contract", async () => {
  const withJson = (await loadAllCommands())
    .filter((command) => "json" in command.definition.options)
    .map((command) => command.name);
  const covered = new Set(
    Object.keys(OUTPUTS).map((line) => line.replace(/^queuectl /, "").replace(/ (<|--).*$/, "")),
  );
  assert.deepEqual(withJson.filter((name) => !covered.has(name)), []);
});

Deno.test("docs/json.md names every command that takes no --json", async () => {
  const start = DOC.indexOf("These commands take no `--json`");
  assert.notEqual(start, -1, "docs/json.md has a paragraph on the commands without --json");
  const paragraph = DOC.slice(start, DOC.indexOf("\n\n", start));
  const named = new Set([...paragraph.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
  const commands = await loadAllCommands();
  const takesJson = (name: string) =>
    commands.some((command) => command.name === name && "json" in command.definition.options);
  const withoutJson = commands.map((command) => command.name).filter((name) => !takesJson(name));
  assert.deepEqual(withoutJson.filter((name) => !named.has(name)), []);
  assert.deepEqual([...named].filter(takesJson), []);
});

Deno.test("assertShape() rejects a missing key, an extra key and a wrong type", () => {
  const shape: ObjectShape = { name: "Pair", fields: { a: "integer", at: "timestamp" } };
  assertShape({ a: 1, at: "2026-01-02T03:04:05.006Z" }, shape);
  assert.throws(() => assertShape({ a: 1 }, shape), /keys of Pair differ/);
  assert.throws(
    () => assertShape({ a: 1, at: "2026-01-02T03:04:05.006Z", b: 2 }, shape),
    /keys of Pair differ/,
  );
  assert.throws(() => assertShape({ a: 1.5, at: "2026-01-02T03:04:05.006Z" }, shape), /\$\.a:/);
  assert.throws(() => assertShape({ a: 1, at: "2026-01-02T03:04:05+01:00" }, shape), /\$\.at:/);
  assert.throws(() => assertShape({ a: null, at: "2026-01-02T03:04:05.006Z" }, shape), /\$\.a:/);
});
