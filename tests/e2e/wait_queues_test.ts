import assert from "node:assert/strict";
import {
  type CliResult,
  decodeOutput,
  type JobJson,
  pathExists,
  readStderr,
  TestHome,
  waitForState,
} from "../helpers/cli.ts";

const noWorkerNote = (subject: string) =>
  `queuectl: no worker is running: ${subject} after 'queuectl worker start'\n`;

/**
 * Starts `wait` with no worker running and resolves once it has said so on stderr, which it
 * does after taking the jobs to wait for; `ended` resolves with its result, the stderr after
 * the note.
 */
async function startWait(
  home: TestHome,
  args: readonly string[],
  note = noWorkerNote("the jobs run"),
): Promise<{ ended: Promise<CliResult> }> {
  const child = home.spawn(["wait", ...args, "--timeout", "1m"]);
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  assert.equal(await readStderr(child, reader, (text) => text.includes(note)), note);
  const ended = (async () => {
    let stderr = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      stderr += chunk.value;
    }
    return { code: (await child.status).code, stdout: await stdout, stderr };
  })();
  return { ended };
}

/** The lines of `text`, sorted: the jobs of one wait end in any order. */
function sortedLines(text: string): string[] {
  return text.split("\n").filter(Boolean).sort();
}

Deno.test("wait --queue waits for those queues' unfinished jobs only, and exits with their outcome", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--queue", "ok", "--id", "ok1", "true");
  await home.enqueue("--queue", "ok", "--id", "ok2", "true");
  await home.enqueue("--queue", "bad", "--id", "bad1", "--max-retries", "0", "exit 3");
  // Never due while the test runs: a wait that took it would time out.
  await home.enqueue("--queue", "held", "--id", "held1", "--delay", "1h", "true");
  const good = await startWait(home, ["--queue", "ok"]);
  const mixed = await startWait(home, ["--queue", "ok,bad"]);
  await home.ok("worker", "start");
  const completed = await good.ended;
  assert.equal(completed.code, 0);
  assert.deepEqual(sortedLines(completed.stdout), ["ok1 completed", "ok2 completed"]);
  assert.equal(completed.stderr, "");
  const failed = await mixed.ended;
  assert.equal(failed.code, 1);
  assert.deepEqual(sortedLines(failed.stdout), [
    "bad1 dead: exited with code 3",
    "ok1 completed",
    "ok2 completed",
  ]);
  assert.equal(failed.stderr, "");
  assert.equal((await home.job("held1")).state, "pending");
});

Deno.test("wait --all --json waits for every queue's unfinished jobs and prints them in enqueue order", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "ended", "--delay", "1h", "true");
  await home.ok("cancel", "ended");
  await home.enqueue("--queue", "b", "--id", "b1", "true");
  await home.enqueue("--queue", "a", "--id", "a1", "--max-retries", "0", "exit 3");
  await home.enqueue("--id", "d1", "true");
  const waiting = await startWait(home, ["--all", "--json"]);
  await home.ok("worker", "start");
  const result = await waiting.ended;
  assert.equal(result.code, 1);
  assert.equal(result.stderr, "");
  const jobs = JSON.parse(result.stdout) as JobJson[];
  assert.deepEqual(jobs.map((job) => [job.id, job.state]), [
    ["b1", "completed"],
    ["a1", "dead"],
    ["d1", "completed"],
  ]);
});

Deno.test("wait --all does not wait for a job enqueued after it started", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--queue", "a", "--id", "first", "true");
  const waiting = await startWait(home, ["--all"], noWorkerNote("the job runs"));
  // Never due while the test runs: a wait that took it would time out.
  await home.enqueue("--queue", "b", "--id", "late", "--delay", "1h", "true");
  await home.enqueue("--queue", "a", "--id", "later", "--delay", "1h", "true");
  await home.ok("worker", "start");
  assert.deepEqual(await waiting.ended, { code: 0, stdout: "first completed\n", stderr: "" });
  assert.equal((await home.job("late")).state, "pending");
});

Deno.test("wait --queue or --all with no unfinished job exits 0 at once, saying so on stderr", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const inFresh = (args: string[]) => home.run(args, { env: { QUEUECTL_HOME: fresh } });
  assert.deepEqual(await inFresh(["wait", "--all"]), {
    code: 0,
    stdout: "",
    stderr: "queuectl: no unfinished job in any queue: nothing to wait for\n",
  });
  assert.deepEqual(await inFresh(["wait", "--queue", "a,b", "--json"]), {
    code: 0,
    stdout: "[]\n",
    stderr: 'queuectl: no unfinished job in queues "a", "b": nothing to wait for\n',
  });
  assert.equal(await pathExists(fresh), false, "created the data directory");
  await home.enqueue("--queue", "other", "--id", "pending1", "--delay", "1h", "true");
  await home.enqueue("--queue", "ended", "--id", "cancelled1", "--delay", "1h", "true");
  await home.ok("cancel", "cancelled1");
  assert.deepEqual(await home.run(["wait", "--queue", "ended"]), {
    code: 0,
    stdout: "",
    stderr: 'queuectl: no unfinished job in queue "ended": nothing to wait for\n',
  });
});

Deno.test("wait --timeout --json prints a job that started meanwhile as it is at the timeout", async () => {
  await using home = await TestHome.create();
  const job = await home.enqueue("--", "while [ ! -e job.go ]; do sleep 0.02; done");
  const child = home.spawn(["wait", job, "--json", "--timeout", "8s"]);
  const output = child.output();
  await home.ok("worker", "start");
  await waitForState(home, job, "processing");
  const result = decodeOutput(await output);
  assert.equal(result.code, 124, result.stderr);
  assert.deepEqual((JSON.parse(result.stdout) as JobJson[]).map((json) => json.state), [
    "processing",
  ]);
  await Deno.writeTextFile(`${home.path}/job.go`, "");
});

Deno.test("wait's timeout names 20 of the jobs it still waited for and counts the others", async () => {
  await using home = await TestHome.create();
  const lines = Array.from(
    { length: 25 },
    (_, i) => JSON.stringify({ id: `j${i}`, command: "true" }),
  );
  await Deno.writeTextFile(`${home.path}/jobs.ndjson`, lines.join("\n"));
  await home.ok("enqueue", "--file", `${home.path}/jobs.ndjson`);
  const result = await home.run(["wait", "--all", "--timeout", "100ms"]);
  assert.equal(result.code, 124, result.stderr);
  const named = Array.from({ length: 20 }, (_, i) => `j${i}`).join(", ");
  assert.ok(
    result.stderr.endsWith(
      `queuectl: Timed out after 100ms waiting for 25 job(s): ${named} and 5 more\n`,
    ),
    result.stderr,
  );
});
