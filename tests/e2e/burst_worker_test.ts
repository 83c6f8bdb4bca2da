/** `worker run --burst`: a foreground worker that runs its queues' jobs and exits once drained. */
import assert from "node:assert/strict";
import { type CliResult, decodeOutput, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

/**
 * Runs `worker run --burst`, resolving at its exit. A worker still running after 20 s is killed
 * and fails the test rather than hanging it.
 */
function runBurst(home: TestHome, ...args: string[]): Promise<CliResult> {
  const child = home.spawn(["worker", "run", "--burst", ...args]);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 20_000);
  return child.output().then((output) => {
    clearTimeout(timer);
    const result = decodeOutput(output);
    assert.ok(!killed, `the burst worker did not exit within 20 s:\n${result.stderr}`);
    return result;
  });
}

async function states(home: TestHome, ids: readonly string[]): Promise<string[]> {
  return await Promise.all(ids.map(async (id) => (await home.job(id)).state));
}

Deno.test("worker run --burst runs every job and exits 0, saying its queues are drained", async () => {
  await using home = await TestHome.create();
  const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ command: `echo ${i}` }));
  const ids = (await home.run(["enqueue", "--file", "-", "--quiet"], {
    stdin: `${lines.join("\n")}\n`,
  })).stdout.trim().split("\n");
  assert.equal(ids.length, 12);
  const result = await runBurst(home, "--concurrency", "3");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(await states(home, ids), ids.map(() => "completed"));
  assert.match(
    result.stderr,
    /queue drained: no job left that it could run; stopping\n.* stopped\n$/,
  );
  assert.doesNotMatch(result.stderr, / left \d+ job/);
  assert.deepEqual(await home.json("worker", "list"), []);
});

Deno.test("worker run --burst with nothing to do exits 0 at once", async () => {
  await using home = await TestHome.create();
  const result = await runBurst(home);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, / started; .*\n.* queue drained: .*\n.* stopped\n$/);
});

Deno.test("worker run --burst waits for a delayed job and for a retry's backoff", async () => {
  await using home = await TestHome.create({ backoff_unit: "200ms" });
  const delayed = await home.enqueue("--delay", "1s", "--", "echo later");
  // Fails its first attempt, and so comes back after a backoff.
  const flaky = await home.enqueue(
    "--max-retries",
    "1",
    "--",
    "[ -e flaky.ran ] || { touch flaky.ran; exit 1; }",
  );
  const result = await runBurst(home);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [delayed, flaky]), ["completed", "completed"]);
  assert.equal((await home.job(flaky)).attempts, 2);
  assert.match(result.stderr, /queue drained/);
});

Deno.test("worker run --burst leaves a paused queue's jobs and says how many it left where", async () => {
  await using home = await TestHome.create();
  const held = [
    await home.enqueue("--queue", "deploy", "--", "true"),
    await home.enqueue("--queue", "deploy", "--", "true"),
  ];
  const waiting = await home.enqueue("--after", held[0]!, "--", "true");
  const free = await home.enqueue("--", "true");
  await home.ok("queue", "pause", "deploy");
  const result = await runBurst(home);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [...held, waiting, free]), [
    "pending",
    "pending",
    "pending",
    "completed",
  ]);
  assert.match(
    result.stderr,
    /left 2 job\(s\) in paused queue deploy: 'queuectl queue resume deploy' lets them run\n/,
  );
  assert.match(
    result.stderr,
    /left 1 job\(s\) in queue default waiting for dependencies that wait in a paused queue or in one no worker serves\n/,
  );
});

Deno.test("worker run --burst --queue runs and waits for its own queues only", async () => {
  await using home = await TestHome.create();
  const mine = await home.enqueue("--queue", "ci", "--", "true");
  const later = await home.enqueue("--queue", "ci", "--delay", "500ms", "--", "true");
  const other = await home.enqueue("--queue", "nightly", "--", "true");
  const result = await runBurst(home, "--queue", "ci");
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [mine, later, other]), ["completed", "completed", "pending"]);
  assert.doesNotMatch(result.stderr, /nightly/);
});

Deno.test("worker run --burst runs a dependency chain, also one through another worker's queue", async () => {
  await using home = await TestHome.create();
  // The first link runs in a queue the burst worker does not serve, until the test lets it end.
  await home.ok("worker", "start", "--queue", "build");
  const build = await home.enqueue(
    "--queue",
    "build",
    "--",
    "while [ ! -e build.go ]; do sleep 0.02; done",
  );
  const test = await home.enqueue("--queue", "ci", "--after", build, "--", "true");
  const report = await home.enqueue("--queue", "ci", "--after", test, "--", "true");
  await waitForState(home, build, "processing");
  const finished = runBurst(home, "--queue", "ci");
  await waitFor("the burst worker's record", async () => {
    const workers = await home.json<{ queues: string[] | null }[]>("worker", "list");
    return workers.some((worker) => worker.queues?.join() === "ci");
  });
  // Still waiting for the running build, not gone.
  assert.equal((await home.job(build)).state, "processing");
  await Deno.writeTextFile(`${home.path}/build.go`, "");
  const result = await finished;
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [build, test, report]), [
    "completed",
    "completed",
    "completed",
  ]);
});

Deno.test("worker run --burst stops on SIGTERM as worker run does: its running job finishes, exit 0", async () => {
  await using home = await TestHome.create();
  const running = await home.enqueue("--", "while [ ! -e job.go ]; do sleep 0.02; done");
  const next = await home.enqueue("--", "true");
  const child = home.spawn(["worker", "run", "--burst"]);
  const output = child.output();
  await waitForState(home, running, "processing");
  child.kill("SIGTERM");
  await waitFor("the worker to be stopping", async () => {
    const workers = await home.json<{ stopping: boolean }[]>("worker", "list");
    return workers.some((worker) => worker.stopping);
  });
  await Deno.writeTextFile(`${home.path}/job.go`, "");
  const result = decodeOutput(await output);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [running, next]), ["completed", "pending"]);
  assert.doesNotMatch(result.stderr, /queue drained/);
});

/** Settings under which an idle worker looks again only after the test's 20 s: no poll, no beat. */
async function withoutPolls(home: TestHome): Promise<void> {
  await home.ok("config", "set", "poll_interval_ms", "60000");
  await home.ok("config", "set", "lease_seconds", "600");
}

async function waitForBurstWorker(home: TestHome): Promise<void> {
  await waitFor("the burst worker's record", async () => {
    const workers = await home.json<{ burst: boolean }[]>("worker", "list");
    return workers.some((worker) => worker.burst);
  });
}

Deno.test("worker run --burst learns at once that another worker's job ended, with no poll", async () => {
  await using home = await TestHome.create();
  await withoutPolls(home);
  await home.ok("worker", "start");
  const job = await home.enqueue("--", "while [ ! -e job.go ]; do sleep 0.02; done");
  await waitForState(home, job, "processing");
  const finished = runBurst(home);
  await waitForBurstWorker(home);
  const workers = await home.json<{ burst: boolean; current_jobs: string[] }[]>("worker", "list");
  assert.deepEqual(workers.map((worker) => [worker.burst, worker.current_jobs]), [
    [false, [job]],
    [true, []],
  ]);
  await Deno.writeTextFile(`${home.path}/job.go`, "");
  const result = await finished;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /queue drained/);
});

Deno.test("worker run --burst learns at once of a cancel that ended the chain it waited for", async () => {
  await using home = await TestHome.create();
  await withoutPolls(home);
  await home.ok("worker", "start", "--queue", "build");
  // The build worker stays busy: only the cancel can end what the burst worker waits for.
  const busy = await home.enqueue("--queue", "build", "--", "while :; do sleep 0.02; done");
  await waitForState(home, busy, "processing");
  const head = await home.enqueue("--queue", "build", "--", "true");
  const tail = await home.enqueue("--queue", "ci", "--after", head, "--", "true");
  const finished = runBurst(home, "--queue", "ci");
  await waitForBurstWorker(home);
  await home.ok("cancel", head);
  const result = await finished;
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await states(home, [busy, head, tail]), [
    "processing",
    "cancelled",
    "cancelled",
  ]);
  await home.ok("cancel", busy);
});

Deno.test("worker run --burst stops at once waiting for a delayed job whose queue is paused", async () => {
  await using home = await TestHome.create();
  await withoutPolls(home);
  const later = await home.enqueue("--queue", "nightly", "--delay", "1h", "--", "true");
  const finished = runBurst(home);
  await waitForBurstWorker(home);
  await home.ok("queue", "pause", "nightly");
  const result = await finished;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /left 1 job\(s\) in paused queue nightly/);
  assert.equal((await home.job(later)).state, "pending");
});
