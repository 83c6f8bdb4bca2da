import assert from "node:assert/strict";
import { type JobJson, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

/** A retry's wait far beyond any test's deadline: 10m × 2 = 20 minutes after the first failure. */
const LONG_BACKOFF = { backoff_unit: "10m" };

/** Fails on its first run (leaving a file in the home), succeeds on the next. */
const FAILS_ONCE = "test -e ran-once || { touch ran-once; exit 3; }";

/** Whether a job's retry is due: its run_at has come. */
function isDue(job: JobJson): boolean {
  return Date.parse(job.run_at) <= Date.now();
}

Deno.test("retry runs a failed job's retry now instead of after its backoff, attempts kept", async () => {
  // An idle worker's fallback poll, a minute away, cannot be what finds the job.
  await using home = await TestHome.create({
    ...LONG_BACKOFF,
    poll_interval_ms: "60000",
    lease_seconds: "300",
  });
  await home.enqueue("--id", "flaky", "--max-retries", "3", "--", FAILS_ONCE);
  await home.ok("worker", "start");
  const failed = await waitForState(home, "flaky", "failed");
  assert.equal(failed.attempts, 1);
  assert.equal(isDue(failed), false, "the retry waits out its backoff");

  const result = await home.run(["retry", "flaky"]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Retrying 1 job now: flaky\n",
    "",
  ]);
  // The idle worker is woken: the job runs long before its backoff would have ended.
  const done = await waitFor("flaky to run again", async () => {
    const job = await home.job("flaky");
    return job.state === "completed" && job;
  });
  assert.deepEqual([done.attempts, done.max_retries], [2, 3]);
});

Deno.test("retry --all --queue makes the failed jobs of those queues due, and no others", async () => {
  await using home = await TestHome.create(LONG_BACKOFF);
  for (const queue of ["mail", "sms", "push"]) {
    await home.enqueue("--id", `${queue}-1`, "--queue", queue, "--max-retries", "3", "false");
  }
  await home.enqueue("--id", "later", "--queue", "mail", "--delay", "1h", "true");
  await home.ok("worker", "start");
  for (const queue of ["mail", "sms", "push"]) await waitForState(home, `${queue}-1`, "failed");
  await home.ok("worker", "stop");

  const retried = await home.run(["retry", "--all", "--queue", "mail,sms", "--json"]);
  assert.deepEqual([retried.code, JSON.parse(retried.stdout), retried.stderr], [
    0,
    ["mail-1", "sms-1"],
    "queuectl: no worker is running: the jobs run after 'queuectl worker start'\n",
  ]);
  for (const id of ["mail-1", "sms-1"]) {
    const job = await home.job(id);
    assert.deepEqual([job.state, job.attempts, isDue(job)], ["failed", 1, true], id);
  }
  assert.equal(isDue(await home.job("push-1")), false);
  assert.deepEqual([(await home.job("later")).state, isDue(await home.job("later"))], [
    "pending",
    false,
  ]);

  const none = await home.run(["retry", "--all", "--queue", "other"]);
  assert.deepEqual([none.code, none.stdout, none.stderr], [
    0,
    "",
    "queuectl: No failed jobs in queue other\n",
  ]);
  const all = await home.run(["retry", "--all"]);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(all.stdout, "Retrying 3 jobs now: mail-1, sms-1, push-1\n");
});

Deno.test("retry of a dead, pending or unknown job refuses every named job; a completed one is left as it is", async () => {
  await using home = await TestHome.create(LONG_BACKOFF);
  await home.enqueue("--id", "flaky", "--max-retries", "3", "false");
  await home.enqueue("--id", "gone", "--max-retries", "0", "false");
  await home.enqueue("--id", "done", "true");
  await home.enqueue("--id", "later", "--delay", "1h", "true");
  await home.ok("worker", "start");
  await waitForState(home, "flaky", "failed");
  await waitForState(home, "gone", "dead");
  await waitForState(home, "done", "completed");
  await home.ok("worker", "stop");
  const before = await home.json<JobJson[]>("list");

  const refusals: [string, number, string][] = [
    [
      "gone",
      2,
      `queuectl: Job "gone" is dead, not failed: its retries are spent: retry it from the dead-letter queue with 'queuectl dlq retry gone' (nothing was retried)\n`,
    ],
    [
      "later",
      2,
      `queuectl: Job "later" is pending, not failed: only a failed job waiting for its retry can be retried now (nothing was retried)\n`,
    ],
    ["nosuch", 1, `queuectl: No job with id "nosuch": nothing was retried\n`],
  ];
  for (const [id, code, stderr] of refusals) {
    const result = await home.run(["retry", "flaky", id]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [code, "", stderr], id);
  }
  assert.deepEqual(await home.json("list"), before);

  // Claimed and run since a script listed it failed: its retry has come, and the rest go ahead.
  const result = await home.run(["retry", "done", "flaky"]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Retrying 1 job now: flaky\n",
    "queuectl: done already completed: not retried\n" +
    "queuectl: no worker is running: the job runs after 'queuectl worker start'\n",
  ]);
  assert.equal(isDue(await home.job("flaky")), true);
  assert.deepEqual(await home.job("done"), before.find((job) => job.id === "done"));
});

Deno.test("retry of a job running since it failed names it as running and retries the others", async () => {
  await using home = await TestHome.create(LONG_BACKOFF);
  await home.enqueue("--id", "flaky", "--queue", "mail", "--max-retries", "3", "false");
  await home.ok("worker", "start", "--queue", "mail");
  await waitForState(home, "flaky", "failed");
  // What a worker took between a script's `list --state failed` and its `retry`.
  await home.enqueue("--id", "busy", "--", "sh", "-c", "while [ ! -e go ]; do sleep 0.05; done");
  await home.ok("worker", "start");
  await waitForState(home, "busy", "processing");

  const result = await home.run(["retry", "busy", "flaky"]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Retrying 1 job now: flaky\n",
    "queuectl: busy already running: not retried\n",
  ]);
  assert.equal((await home.job("busy")).state, "processing");
  await Deno.writeTextFile(`${home.path}/go`, "");
  await waitForState(home, "busy", "completed");
});

Deno.test("retry refuses bad combinations of ids, --all and --queue, changing nothing", async () => {
  await using home = await TestHome.create(LONG_BACKOFF);
  await home.enqueue("--id", "flaky", "--queue", "mail", "--max-retries", "3", "false");
  await home.ok("worker", "start");
  await waitForState(home, "flaky", "failed");
  await home.ok("worker", "stop");
  const before = await home.job("flaky");
  const idsWithQueue =
    "queuectl: --queue selects failed jobs for --all; named ids are retried whatever their queue: give ids alone, or --all --queue <names>\n";
  const cases: [string[], string][] = [
    [[], "queuectl: Give the ids of failed jobs to retry now, or --all\n"],
    [["--queue", "mail"], "queuectl: --queue needs --all: queuectl retry --all --queue mail\n"],
    [["flaky", "--queue", "mail"], idsWithQueue],
    [["--all", "flaky", "--queue", "mail"], idsWithQueue],
    [["--all", "flaky"], "queuectl: Give job ids or --all, not both\n"],
  ];
  for (const [args, stderr] of cases) {
    const result = await home.run(["retry", ...args]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", stderr], args.join(" "));
  }
  assert.deepEqual(await home.job("flaky"), before);
});

Deno.test("retry of a job in a paused queue says that the queue holds it", async () => {
  await using home = await TestHome.create(LONG_BACKOFF);
  await home.enqueue("--id", "flaky", "--queue", "mail", "--max-retries", "3", "false");
  await home.ok("worker", "start");
  await waitForState(home, "flaky", "failed");
  await home.ok("queue", "pause", "mail");

  const result = await home.run(["retry", "flaky"]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Retrying 1 job now: flaky\n",
    `queuectl: queue "mail" is paused: the job runs after 'queuectl queue resume mail'\n`,
  ]);
  assert.equal(isDue(await home.job("flaky")), true);
  await home.ok("queue", "resume", "mail");
  await waitFor("the retry to run", async () => (await home.job("flaky")).attempts === 2);
});
