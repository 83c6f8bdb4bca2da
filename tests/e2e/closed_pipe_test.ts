import assert from "node:assert/strict";
import { type JobJson, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

const ENDLESS = ["sh", "-c", "while true; do echo tick; sleep 0.05; done"];
/** One line, then nothing for longer than any test runs: no write finds the reader gone. */
const SILENT_AFTER_A_LINE = ["sh", "-c", "echo tick; exec sleep 600"];
/** How soon a command must see its reader gone while its job writes nothing. */
const SILENT_DEADLINE_MS = 5_000;

/**
 * Starts the CLI with its stdout on a pipe, reads until `lines` lines came (like `| head -1`,
 * or at once, like `| true`, for 0), then closes the pipe's reading end; returns the exit
 * status, what was read, and the stderr. Fails when the command has not ended `deadlineMs` later.
 */
async function closeAfterLines(
  home: TestHome,
  args: readonly string[],
  lines: number,
  deadlineMs?: number,
) {
  const child = home.spawn(args);
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (seen.split("\n").length <= lines) {
    const { value, done } = await reader.read();
    assert.ok(!done, `stdout ended before ${lines} line(s): ${JSON.stringify(seen)}`);
    seen += value;
  }
  await reader.cancel();
  let status: Deno.CommandStatus | null = null;
  const ending = child.status.then((ended) => status = ended);
  try {
    await waitFor("the command to end once its stdout's reader has gone", () => status, deadlineMs);
  } finally {
    if (!status) child.kill("SIGKILL");
    await ending;
  }
  return { code: status!.code, stdout: seen, stderr: await stderr };
}

function closeAfterFirstLine(home: TestHome, args: readonly string[], deadlineMs?: number) {
  return closeAfterLines(home, args, 1, deadlineMs);
}

Deno.test("logs --follow ends (exit 0) once its stdout's reader has gone", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--", ...ENDLESS);
  await home.ok("worker", "start");
  const followed = await closeAfterFirstLine(home, ["logs", "--follow", id]);
  assert.equal(followed.code, 0);
  assert.equal(followed.stderr, "");
  assert.equal((await home.job(id)).state, "processing");
});

Deno.test("run ends with 141 once its stdout's reader has gone, and leaves the job running", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const ran = await closeAfterFirstLine(home, ["run", "--", ...ENDLESS]);
  assert.equal(ran.code, 141);
  assert.match(ran.stderr, /^queuectl: job \S+ enqueued\n=== attempt 1 of 4 [^\n]*===\n$/);
  const [job] = await home.json<JobJson[]>("list");
  assert.equal(job!.state, "processing");
  // Still running: its log keeps growing.
  const log = `${home.path}/logs/${job!.id}.log`;
  const size = (await Deno.stat(log)).size;
  await waitFor("the job to write more", async () => (await Deno.stat(log)).size > size);
  await home.ok("cancel", job!.id);
  await waitForState(home, job!.id, "cancelled");
});

Deno.test("logs --follow ends (exit 0) at once when its reader goes while the job is silent", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--", ...SILENT_AFTER_A_LINE);
  await home.ok("worker", "start");
  const followed = await closeAfterFirstLine(home, ["logs", "--follow", id], SILENT_DEADLINE_MS);
  assert.equal(followed.code, 0);
  assert.equal(followed.stderr, "");
  assert.equal((await home.job(id)).state, "processing");
});

Deno.test("run ends with 141 at once when its reader goes while the job is silent", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const ran = await closeAfterFirstLine(
    home,
    ["run", "--", ...SILENT_AFTER_A_LINE],
    SILENT_DEADLINE_MS,
  );
  assert.equal(ran.code, 141);
  const [job] = await home.json<JobJson[]>("list");
  assert.equal(job!.state, "processing");
});

Deno.test("wait ends with 141 at once when its reader goes while no job ends, and leaves the jobs", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "quick", "true");
  await home.enqueue("--id", "slow", "--", "exec sleep 600");
  await home.ok("worker", "start");
  const waited = await closeAfterFirstLine(home, ["wait", "quick", "slow"], SILENT_DEADLINE_MS);
  assert.equal(waited.code, 141);
  assert.equal(waited.stdout, "quick completed\n");
  assert.equal(waited.stderr, "");
  await waitForState(home, "slow", "processing");
});

Deno.test("wait --json ends with 141 at once when its reader goes before it printed anything", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "never", "--delay", "1h", "true");
  const waited = await closeAfterLines(home, ["wait", "--json", "never"], 0, SILENT_DEADLINE_MS);
  assert.equal(waited.code, 141);
  assert.equal(
    waited.stderr,
    "queuectl: no worker is running: the job runs after 'queuectl worker start'\n",
  );
  assert.equal((await home.job("never")).state, "pending");
});
