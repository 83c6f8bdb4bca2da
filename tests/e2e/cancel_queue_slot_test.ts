/**
 * A queue's concurrency limit holds while a cancelled job's command is still ending: `cancel`
 * sends SIGTERM, and a command that handles it (cleans up, up to `kill_grace`) still runs.
 */
import assert from "node:assert/strict";
import { processRuns, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * Starts job "first" in queue "deploy", limited to one. On SIGTERM it cleans up until
 * finishCleanup lets it end (a file, not a FIFO: a test failing before the SIGTERM must not block
 * on a FIFO no one reads); its `sleep` dies with the group.
 */
async function startFirst(home: TestHome): Promise<void> {
  const dir = home.path;
  await home.ok("queue", "set", "deploy", "--concurrency", "1");
  await home.enqueue(
    "--id",
    "first",
    "--queue",
    "deploy",
    `trap 'touch ${dir}/first.term; while [ ! -e ${dir}/cleanup ]; do sleep 0.05; done; ` +
      `touch ${dir}/first.done; exit 1' TERM; ` +
      `touch ${dir}/first.started; sleep 1000 & wait`,
  );
  await home.ok("worker", "start", "--queue", "deploy");
  await waitFor("first to start", () => exists(`${dir}/first.started`));
}

/** Enqueues job "second" in "deploy", first by priority; it records whether "first" had ended. */
async function enqueueSecond(home: TestHome): Promise<void> {
  const dir = home.path;
  await home.enqueue(
    "--id",
    "second",
    "--queue",
    "deploy",
    "--priority",
    "10",
    `if [ -e ${dir}/first.done ]; then echo after; else echo beside; fi > ${dir}/second.result`,
  );
}

/** Once first's SIGTERM handler runs: an idle worker serving "deploy" leaves "second" waiting. */
async function assertSlotHeld(home: TestHome): Promise<void> {
  const dir = home.path;
  await waitFor("first's SIGTERM handler", () => exists(`${dir}/first.term`));
  assert.equal((await home.job("first")).state, "cancelled");
  // Once the idle worker has started "other", a claim of its passed over "second".
  await home.enqueue("--id", "other", "--queue", "other", `touch ${dir}/other.started`);
  await waitFor("other to start", () => exists(`${dir}/other.started`));
  assert.equal(await exists(`${dir}/second.result`), false);
  assert.equal((await home.job("second")).state, "pending");
}

/** `queue list` shows the held slot as the claim counts it: "deploy" full, nothing processing. */
async function assertListedFull(home: TestHome): Promise<void> {
  const queues = await home.json<
    { name: string; held_slots: number; jobs: { processing: number } }[]
  >("queue", "list", "--json");
  const deploy = queues.find((queue) => queue.name === "deploy");
  assert.deepEqual([deploy?.jobs.processing, deploy?.held_slots], [0, 1]);
  const line = (await home.ok("queue", "list")).split("\n").find((row) =>
    row.startsWith("deploy ")
  );
  assert.match(line ?? "", /^deploy\s+full\s+1\s+/);
}

/** Lets first's cleanup end; the cancel then exits 0 and "second" runs after first. */
async function finishCleanup(home: TestHome, cancel: Deno.ChildProcess): Promise<string> {
  await Deno.writeTextFile(`${home.path}/cleanup`, "");
  const cancelled = await cancel.output();
  assert.equal(cancelled.code, 0, new TextDecoder().decode(cancelled.stderr));
  await waitForState(home, "second", "completed");
  assert.equal(await Deno.readTextFile(`${home.path}/second.result`), "after\n");
  return new TextDecoder().decode(cancelled.stdout);
}

Deno.test("a cancelled job of a queue limited to one holds its slot until its command is gone", async () => {
  await using home = await TestHome.create({ kill_grace: "1m", lease_seconds: "300" });
  await startFirst(home);
  // Enqueued now, since its priority would have it run first.
  await enqueueSecond(home);
  // An idle worker that serves both queues, and would take "second" first (its priority).
  await home.ok("worker", "start", "--queue", "deploy,other");
  const cancel = home.spawn(["cancel", "first"]);
  try {
    await assertSlotHeld(home);
    await assertListedFull(home);
  } finally {
    await finishCleanup(home, cancel);
  }
});

Deno.test("cancel --all --queue kills a running job of the queue, which holds its slot as when named", async () => {
  await using home = await TestHome.create({ kill_grace: "1m", lease_seconds: "300" });
  await startFirst(home);
  await home.ok("worker", "start", "--queue", "deploy,other");
  const cancel = home.spawn(["cancel", "--all", "--queue", "deploy"]);
  let stdout = "";
  try {
    await waitFor("first's SIGTERM handler", () => exists(`${home.path}/first.term`));
    // Enqueued after the cancel's commit, so not selected by it.
    await enqueueSecond(home);
    await assertSlotHeld(home);
  } finally {
    stdout = await finishCleanup(home, cancel);
  }
  assert.equal(stdout, "Cancelled 1 job: first\n");
});

Deno.test("a cancelled job whose worker was SIGKILLed holds its slot until its command is gone", async () => {
  await using home = await TestHome.create({ kill_grace: "1m", lease_seconds: "300" });
  await startFirst(home);
  const [worker] = await home.json<{ pid: number }[]>("worker", "list");
  Deno.kill(worker!.pid, "SIGKILL");
  await waitFor("the worker to die", () => !processRuns(worker!.pid));
  // Finds the worker gone, which ends its job's lease at once, as for recovery.
  await home.ok("status");
  const cancel = home.spawn(["cancel", "first"]);
  try {
    await waitFor("first's SIGTERM handler", () => exists(`${home.path}/first.term`));
    await enqueueSecond(home);
    // Started after the cancel: its recovery leaves alone the cancelled job.
    await home.ok("worker", "start", "--queue", "deploy,other");
    await assertSlotHeld(home);
  } finally {
    await finishCleanup(home, cancel);
  }
});
