import assert from "node:assert/strict";
import { defineCommand } from "../../src/cli/command.ts";
import { bashScript } from "../../src/cli/completions/bash.ts";
import { fishScript } from "../../src/cli/completions/fish.ts";
import {
  buildCompletionModel,
  type CompletionCommand,
  type CompletionModel,
  SHELLS,
} from "../../src/cli/completions/model.ts";
import { zshScript } from "../../src/cli/completions/zsh.ts";
import { COMMANDS, loadAllCommands, type LoadedCommand } from "../../src/cli/registry.ts";
import { CONFIG_KEYS } from "../../src/core/config.ts";
import { JOB_STATES, TERMINAL_STATES } from "../../src/core/job_state.ts";

function fake(name: string, definition: Partial<LoadedCommand["definition"]> = {}): LoadedCommand {
  return {
    name,
    summary: `${name} summary`,
    definition: defineCommand({
      name,
      arguments: "",
      options: {},
      examples: [],
      run: () => Promise.resolve(0),
      ...definition,
    }),
  };
}

const FAKES: readonly LoadedCommand[] = [
  fake("list", {
    options: {
      state: { type: String, placeholder: "<states>", description: "by state" },
      json: { type: Boolean, description: "as JSON" },
    },
  }),
  fake("worker start", {
    options: {
      count: { type: String, alias: "n", placeholder: "<n>", description: "how many" },
    },
  }),
  fake("worker stop"),
  fake("enqueue", {
    arguments: "'<command>' | -- <command> [args...]",
    options: {
      maxRetries: { type: String, placeholder: "<n>", description: "retries" },
      env: { type: [String], placeholder: "<KEY=VALUE>", description: "a variable" },
      file: { type: String, placeholder: "<path>", description: "one job a line" },
    },
  }),
  fake("prune", { options: { state: { type: String, description: "states" } } }),
  fake("config get", { arguments: "<key>" }),
  fake("completions", { arguments: "bash|zsh|fish" }),
];

function command(model: CompletionModel, name: string): CompletionCommand {
  const found = model.commands.find((candidate) => candidate.words.join(" ") === name);
  assert.ok(found, `no command "${name}" in the model`);
  return found;
}

function option(model: CompletionModel, name: string, flag: string) {
  const found = command(model, name).options.find((candidate) => candidate.flag === flag);
  assert.ok(found, `no option ${flag} of "${name}" in the model`);
  return found;
}

Deno.test("buildCompletionModel() puts groups once at top level, in registry order", () => {
  const model = buildCompletionModel(FAKES);
  assert.deepEqual(model.topLevel.map((entry) => entry.word), [
    "list",
    "worker",
    "enqueue",
    "prune",
    "config",
    "completions",
    "help",
  ]);
  assert.equal(model.topLevel[1]!.summary, "commands: start, stop");
  assert.deepEqual([...model.groups.keys()], ["worker", "config"]);
  assert.deepEqual(model.groups.get("worker"), [
    { word: "start", summary: "worker start summary" },
    { word: "stop", summary: "worker stop summary" },
  ]);
  assert.deepEqual(model.globalOptions.map((entry) => entry.flag), [
    "--help",
    "--version",
    "--debug",
  ]);
  assert.deepEqual(model.globalOptions.map((entry) => entry.alias), ["-h", "-V", null]);
});

Deno.test("buildCompletionModel() spells options as flags, with aliases, values, --debug and --help last", () => {
  const model = buildCompletionModel(FAKES);
  assert.deepEqual(command(model, "enqueue").options.map((entry) => entry.flag), [
    "--max-retries",
    "--env",
    "--file",
    "--debug",
    "--help",
  ]);
  assert.deepEqual(option(model, "worker start", "--count"), {
    flag: "--count",
    alias: "-n",
    description: "how many",
    placeholder: "<n>",
    value: { kind: "none" },
    repeatable: false,
  });
  assert.equal(option(model, "list", "--json").value, null);
  assert.equal(option(model, "list", "--json").placeholder, null);
  assert.deepEqual(option(model, "enqueue", "--file").value, { kind: "file" });
  assert.equal(option(model, "enqueue", "--env").repeatable, true);
  assert.deepEqual(command(model, "worker stop").options.map((entry) => entry.flag), [
    "--debug",
    "--help",
  ]);
});

Deno.test("buildCompletionModel() completes states, config keys, shells and command lines", () => {
  const model = buildCompletionModel(FAKES);
  assert.deepEqual(option(model, "list", "--state").value, {
    kind: "words",
    words: JOB_STATES,
    commaList: true,
  });
  assert.deepEqual(option(model, "prune", "--state").value, {
    kind: "words",
    words: TERMINAL_STATES,
    commaList: true,
  });
  assert.deepEqual(command(model, "config get").argument, {
    kind: "words",
    words: CONFIG_KEYS.map((definition) => definition.key),
    commaList: false,
  });
  assert.deepEqual(command(model, "completions").argument, {
    kind: "words",
    words: SHELLS,
    commaList: false,
  });
  assert.deepEqual(command(model, "list").argument, { kind: "none" });
  assert.equal(command(model, "enqueue").takesCommandLine, true);
  assert.equal(command(model, "list").takesCommandLine, false);
});

Deno.test("the model of the real registry has every command and every option", async () => {
  const loaded = await loadAllCommands();
  const model = buildCompletionModel(loaded);
  assert.deepEqual(
    model.commands.map((entry) => entry.words.join(" ")),
    COMMANDS.map((entry) => entry.name),
  );
  for (const { name, definition } of loaded) {
    assert.equal(command(model, name).options.length, Object.keys(definition.options).length + 2);
  }
  assert.deepEqual(
    model.topLevel.map((entry) => entry.word),
    [...new Set(COMMANDS.map((entry) => entry.name.split(" ")[0])), "help"],
  );
  assert.deepEqual(option(model, "list", "--state").value, {
    kind: "words",
    words: JOB_STATES,
    commaList: true,
  });
  assert.equal(option(model, "prune", "--state").value?.kind, "words");
  assert.equal(command(model, "config set").argument.kind, "words");
  assert.equal(command(model, "completions").argument.kind, "words");
  assert.deepEqual(option(model, "enqueue", "--file").value, { kind: "file" });
  assert.deepEqual(
    model.commands.filter((entry) => entry.takesCommandLine).map((entry) => entry.words.join(" ")),
    ["enqueue", "run"],
  );
});

Deno.test("each generated script names every command word and every long option", async () => {
  const model = buildCompletionModel(await loadAllCommands());
  for (const generate of [bashScript, zshScript, fishScript]) {
    const script = generate(model);
    for (const entry of model.commands) {
      for (const word of entry.words) assert.ok(script.includes(word), `${word} missing`);
      for (const { flag } of entry.options) {
        assert.ok(
          script.includes(flag) || script.includes(`-l '${flag.slice(2)}'`),
          `${entry.words.join(" ")} ${flag} missing`,
        );
      }
    }
  }
});
