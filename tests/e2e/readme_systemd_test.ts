/** The README's systemd unit: valid for systemd, and its ExecStart a worker queuectl runs. */
import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

const README = new URL("../../README.md", import.meta.url);
const PROGRAM = "%h/.local/bin/queuectl";

async function readmeUnit(): Promise<string> {
  const text = await Deno.readTextFile(README);
  const match = /<!-- systemd-unit:start -->\s*```ini\n([\s\S]*?)```\s*<!-- systemd-unit:end -->/
    .exec(text);
  assert.ok(match, "README has the systemd unit between its systemd-unit markers");
  return match[1]!;
}

/** The arguments ExecStart gives queuectl. */
function execStartArguments(unit: string): string[] {
  const line = unit.split("\n").find((line) => line.startsWith("ExecStart="));
  assert.ok(line, "the unit has an ExecStart line");
  const words = line.slice("ExecStart=".length).trim().split(/\s+/);
  assert.equal(words[0], PROGRAM);
  return words.slice(1);
}

function systemdAnalyze(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/systemd-analyze`).isFile) return `${dir}/systemd-analyze`;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

Deno.test("the README's systemd unit starts a worker with arguments queuectl takes", async () => {
  await using home = await TestHome.create();
  const args = execStartArguments(await readmeUnit());
  assert.deepEqual(args.slice(0, 2), ["worker", "run"]);
  // With --burst, the same worker exits once the empty home is drained.
  const result = await home.run([...args, "--burst"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /concurrency 4/);
});

const analyze = systemdAnalyze();

Deno.test({
  name: "the README's systemd unit passes systemd-analyze verify without a warning",
  ignore: analyze === null,
  async fn() {
    await using home = await TestHome.create();
    // verify checks that ExecStart's program exists: the test's stands in for the installed one.
    const program = `${home.path}/queuectl`;
    await Deno.writeTextFile(program, "#!/bin/sh\n");
    await Deno.chmod(program, 0o755);
    const unit = `${home.path}/queuectl.service`;
    await Deno.writeTextFile(unit, (await readmeUnit()).replace(PROGRAM, program));
    const output = await new Deno.Command(analyze!, {
      args: ["verify", unit],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    assert.equal(stderr, "");
  },
});
