import assert from "node:assert/strict";
import { cliCommand, processesInGroup, TestHome, waitFor } from "../helpers/cli.ts";

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

/** Reads until the text read so far matches `pattern` (or to the end, without one); returns it. */
async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  pattern: RegExp | null,
): Promise<string> {
  let seen = "";
  while (pattern === null || !pattern.test(seen)) {
    const { value, done } = await reader.read();
    if (done && pattern === null) break;
    if (done) throw new Error(`Output ended before ${pattern}: ${JSON.stringify(seen)}`);
    seen += value;
  }
  return seen;
}

/**
 * Sends Ctrl-C to a running `run` once it follows the job's log (its first attempt header
 * shows it listens for SIGINT); returns its exit code and output.
 */
async function interruptRun(child: Deno.ChildProcess) {
  const stdout = new Response(child.stdout).text();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const before = await readUntil(stderr, /=== attempt 1 /);
  child.kill("SIGINT");
  const after = await readUntil(stderr, null);
  return { code: (await child.status).code, stdout: await stdout, stderr: before + after };
}

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

Deno.test("Ctrl-C on run kills a command that ignores SIGTERM after kill_grace, then exits 130", async () => {
  await using home = await TestHome.create({ kill_grace: "1s" });
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  // One string, run as `sh -c` directly: its $$ is the process group's id.
  const child = startRun(home, [`trap "" TERM; echo $$ > ${pidFile}; sleep 45; echo survived`]);
  const pgid = await waitFor("the job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  await waitFor("sh and sleep to run", () => processesInGroup(pgid).length === 2);
  const output = await interruptRun(child);
  assert.equal(output.code, 130, output.stderr);
  // SIGKILL was sent before run exited; the kernel may take a moment to end the processes.
  await waitFor(
    "the command's processes to be gone",
    () => processesInGroup(pgid).length === 0,
    5_000,
  );
  assert.equal(output.stdout, "");
});
