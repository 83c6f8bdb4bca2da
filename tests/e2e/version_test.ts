import assert from "node:assert/strict";
import denoConfig from "../../deno.json" with { type: "json" };
import { cliForm, TestHome } from "../helpers/cli.ts";

interface VersionJson {
  version: string;
  form: string;
  deno: string;
  sqlite: string;
  target: string;
}

Deno.test("version --json gives queuectl's, Deno's and SQLite's versions and the form", async () => {
  await using home = await TestHome.create();
  const info = await home.json<VersionJson>("version");
  assert.equal(info.version, denoConfig.version);
  assert.equal(info.form, cliForm(home.command));
  assert.match(info.deno, /^\d+\.\d+\.\d+/);
  assert.match(info.sqlite, /^3\.\d+\.\d+$/);
  assert.match(info.target, /^(x86_64|aarch64)-/);
});

Deno.test("--version, -V and version print the same three lines", async () => {
  await using home = await TestHome.create();
  const info = await home.json<VersionJson>("version");
  const expected = [
    `queuectl ${info.version} (${info.form}, ${info.target})`,
    `deno ${info.deno}`,
    `sqlite ${info.sqlite}`,
    "",
  ].join("\n");
  for (const args of [["--version"], ["-V"], ["version"]]) {
    assert.equal(await home.ok(...args), expected, args.join(" "));
  }
});

Deno.test("version with an argument is a usage error", async () => {
  await using home = await TestHome.create();
  const result = await home.run(["version", "extra"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    `queuectl: Unexpected argument "extra": see 'queuectl version --help'\n`,
  );
});
