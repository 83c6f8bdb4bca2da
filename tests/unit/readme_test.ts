import assert from "node:assert/strict";
import { optionFlag } from "../../src/cli/parse_args.ts";
import { loadAllCommands } from "../../src/cli/registry.ts";
import { CONFIG_KEYS } from "../../src/core/config.ts";
import { jobToJson } from "../../src/core/job.ts";
import { JOB_FIELDS } from "../../src/core/job_spec.ts";
import { jobFixture } from "../helpers/fixtures.ts";

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

/** The paragraph of the README that starts with `opening`, up to the next blank line. */
function paragraph(opening: string): string {
  const start = README.indexOf(`\n${opening}`);
  assert.notEqual(start, -1, `README has a paragraph starting "${opening}"`);
  const end = README.indexOf("\n\n", start + 1);
  return README.slice(start, end);
}

/** The words in backquotes, in order. */
function quoted(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

Deno.test("the README names every field of a JSON job, and every option giving its default", () => {
  const words = new Set(quoted(paragraph("A JSON job has")));
  assert.deepEqual(JOB_FIELDS.filter((field) => !words.has(field)), []);
  const options = JOB_FIELDS.filter((field) => field !== "command")
    .map((field) => `--${field.replaceAll("_", "-")}`);
  assert.deepEqual(options.filter((option) => !words.has(option)), []);
});

Deno.test("the README lists the JSON fields of a job in their order", () => {
  const listed = quoted(paragraph("JSON fields of a job:"));
  assert.deepEqual(listed, Object.keys(jobToJson(jobFixture(Date.now()))));
});

Deno.test("the README's quick start names every npm package that deno task installs", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ) as { imports: Record<string, string> };
  const quickStart = README.slice(README.indexOf("## Quick start"), README.indexOf("## Install"));
  const packages = Object.values(config.imports)
    .filter((specifier) => specifier.startsWith("npm:"))
    .map((specifier) => /^npm:(@?[^@]+)/.exec(specifier)![1]!);
  assert.deepEqual(packages.filter((name) => !quickStart.includes(name)), []);
  assert.match(quickStart, /node_modules\//);
});

Deno.test("the README names every option of every command", async () => {
  const missing = (await loadAllCommands()).flatMap((command) =>
    Object.keys(command.definition.options)
      .map(optionFlag)
      .filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(README))
      .map((flag) => `${command.name} ${flag}`)
  );
  assert.deepEqual(missing, []);
});

Deno.test("the README says that a job's --timeout 0 means no time limit", () => {
  assert.match(README, /`--timeout 0`[^.]*no time limit,\s+whatever `job_timeout` says/);
});
