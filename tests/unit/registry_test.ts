import assert from "node:assert/strict";
import { importCommand } from "../../src/cli/command_module.ts";
import { COMMANDS, findCommand } from "../../src/cli/registry.ts";

Deno.test("every registered command loads its own module", async () => {
  for (const entry of COMMANDS) {
    const definition = await importCommand(entry.name);
    assert.equal(definition.name, entry.name, `commands/ module for '${entry.name}'`);
    assert.equal(typeof definition.run, "function");
  }
});

Deno.test("every module in src/cli/commands is a registered command", () => {
  const registered = new Set(COMMANDS.map((entry) => `${entry.name.replace(" ", "_")}.ts`));
  const directory = new URL("../../src/cli/commands/", import.meta.url);
  for (const file of Deno.readDirSync(directory)) {
    assert.ok(registered.has(file.name), `${file.name} is not in the registry`);
  }
});

Deno.test("findCommand prefers the two-word command and returns the rest", () => {
  const found = findCommand(["worker", "start", "--count", "2"]);
  assert.equal(found?.entry.name, "worker start");
  assert.deepEqual(found?.args, ["--count", "2"]);
  assert.equal(findCommand(["nope"]), null);
});
