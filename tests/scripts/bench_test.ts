import assert from "node:assert/strict";

const REPO_ROOT = new URL("../../", import.meta.url);

// The benchmark drives the CLI as a user does, so a change to the CLI's output or to what a
// command creates can break it while every other test passes (enqueue --file's JSON did, and
// `status` no longer creating the database did). Its measurements are not judged here, only that
// the scenarios that read the CLI's JSON or rely on what it creates run to their table (the others
// time single calls, drain whole queues or sleep, and would cost the suite ~25 s more).
Deno.test("deno task bench --quick runs its scenarios that read the CLI's JSON or rely on what it creates", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "scripts/bench.ts",
      "--quick",
      "--runs",
      "1",
      "--only",
      "enqueue-file,scale",
    ],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `the benchmark failed:\n${stderr}`);
  assert.doesNotMatch(stdout, /\| failed \|/);
  for (const scenario of ["enqueue --file", "Scale"]) {
    assert.match(
      stdout,
      new RegExp(`^\\| ${scenario} +\\|`, "m"),
      `no ${scenario} row:\n${stdout}`,
    );
  }
});
