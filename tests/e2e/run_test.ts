import assert from "node:assert/strict";
import { cliCommand, TestHome } from "../helpers/cli.ts";

/** `queuectl run ...` as a subprocess, killed if it has not ended within the test's patience. */
function startRun(home: TestHome, args: readonly string[], env: Record<string, string> = {}) {
  const [program, ...prefix] = cliCommand();
  return new Deno.Command(program!, {
    args: [...prefix, "run", ...args],
    env: { ...home.env, ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).spawn();
}

const decoder = new TextDecoder();

Deno.test("run refuses bad input before anything: exit 2, not even a data directory", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const cases: [string[], RegExp][] = [
    [["--priority", "abc", "--", "true"], /^queuectl: Invalid job: --priority must be a whole/],
    [["--queue", "bad name", "--", "true"], /^queuectl: Invalid --queue "bad name": use 1 to 64/],
    [['{"command":"true","delay":"soon"}'], /^queuectl: Invalid "delay" "soon": /],
  ];
  for (const [args, pattern] of cases) {
    const output = await startRun(home, args, { QUEUECTL_HOME: fresh }).output();
    const stderr = decoder.decode(output.stderr);
    assert.equal(output.code, 2, stderr);
    assert.match(stderr, pattern);
    assert.equal(stderr.split("\n").filter(Boolean).length, 1, stderr);
    await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
  }
});

Deno.test("run refuses a JSON job for a queue no worker serves", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--queue", "default");
  const output = await startRun(home, ['{"command":"echo hi","queue":"nobody"}']).output();
  assert.equal(output.code, 1);
  assert.equal(
    decoder.decode(output.stderr),
    `queuectl: No worker is running for queue "nobody": start one with 'queuectl worker start', or pass --wait-for-worker\n`,
  );
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
});
