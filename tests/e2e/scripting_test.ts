import assert from "node:assert/strict";
import {
  cliCommand,
  type JobJson,
  processesInGroup,
  readStderr,
  TestHome,
  waitFor,
  waitForState,
} from "../helpers/cli.ts";

Deno.test("wait exits 0 when all completed, 1 when one is dead, 124 on timeout, 2 for unknown ids", async () => {
  await using home = await TestHome.create();
  const good = [await home.enqueue("true"), await home.enqueue("echo ok")];
  const bad = await home.enqueue("--max-retries", "0", "exit 4");
  const slow = await home.enqueue("sleep 30");
  await home.ok("worker", "start", "--count", "2");
  const ok = await home.run(["wait", ...good]);
  assert.equal(ok.code, 0);
  assert.deepEqual(ok.stdout.trim().split("\n").sort(), good.map((id) => `${id} completed`).sort());
  const failed = await home.run(["wait", good[0]!, bad]);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, new RegExp(`${bad} dead: exited with code 4`));
  const timeout = await home.run(["wait", slow, "--timeout", "300ms", "--json"]);
  assert.equal(timeout.code, 124);
  assert.equal((JSON.parse(timeout.stdout) as JobJson[])[0]!.state, "processing");
  assert.match(
    timeout.stderr,
    new RegExp(`^queuectl: Timed out after 300ms waiting for 1 job\\(s\\): ${slow}`),
  );
  // A duration as the shared formatter writes it, not the option's text.
  const seconds = await home.run(["wait", slow, "--timeout", "0.25"]);
  assert.equal(seconds.code, 124);
  assert.match(seconds.stderr, /Timed out after 250ms waiting/);
  const now = await home.run(["wait", slow, "--timeout", "0"]);
  assert.equal(now.code, 124);
  assert.equal(
    now.stderr,
    `queuectl: Timed out at once (--timeout 0) waiting for 1 job(s): ${slow}\n`,
  );
  const unknown = await home.run(["wait", "nope"]);
  assert.equal(unknown.code, 2);
});

Deno.test("wait reports a job named twice once, in its first place, also with --json", async () => {
  await using home = await TestHome.create();
  const [a, b] = [await home.enqueue("true"), await home.enqueue("true")];
  await home.ok("cancel", a, b);
  const lines = await home.run(["wait", b, a, b]);
  assert.equal(lines.code, 1);
  assert.equal(lines.stdout, `${b} cancelled\n${a} cancelled\n`);
  const jobs = await home.run(["wait", b, a, b, "--json"]);
  assert.deepEqual((JSON.parse(jobs.stdout) as JobJson[]).map((job) => job.id), [b, a]);
});

Deno.test("enqueue --file --quiet prints the ids to wait for, in input order", async () => {
  await using home = await TestHome.create();
  const stdin = 'echo one\n# skipped\n{"id":"two","command":"echo two"}\n\necho three\n';
  const enqueued = await home.run(["enqueue", "--file", "-", "--quiet"], { stdin });
  assert.equal(enqueued.code, 0, enqueued.stderr);
  const ids = enqueued.stdout.trim().split("\n");
  assert.equal(ids[1], "two");
  assert.deepEqual(
    await Promise.all(ids.map(async (id) => (await home.job(id)).command)),
    ["echo one", "echo two", "echo three"],
  );
  await home.ok("worker", "start");
  const waited = await home.run(["wait", ...ids, "--timeout", "1m"]);
  assert.equal(waited.code, 0, waited.stderr);
});

Deno.test("run streams the output and exits with the command's exit code", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const ok = await home.run(["run", "--", "sh", "-c", "echo one; echo two"]);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, "one\ntwo\n");
  assert.match(ok.stderr, /^queuectl: job \S+ enqueued\n=== attempt 1 of 4 /);
  // One argument after -- is a command line, as quoted before it: not a program "echo one; …".
  const line = await home.run(["run", "--", "echo one; echo two words"]);
  assert.equal(line.code, 0);
  assert.equal(line.stdout, "one\ntwo words\n");
  const failed = await home.run([
    "run",
    "--max-retries",
    "1",
    "--",
    "sh",
    "-c",
    "echo try $QUEUECTL_ATTEMPT; exit 3",
  ]);
  assert.equal(failed.code, 3);
  assert.equal(failed.stdout, "try 1\ntry 2\n");
  assert.equal(failed.stderr.match(/=== attempt \d of 2/g)?.length, 2);
  const timedOut = await home.run([
    "run",
    "--max-retries",
    "0",
    "--timeout",
    "200ms",
    "--",
    "sleep",
    "10",
  ]);
  // As timeout(1): a time limit that ended the job is told apart from its own failure.
  assert.equal(timedOut.code, 124);
  assert.match(timedOut.stderr, /\nqueuectl: job \S+ dead: timed out after 200ms\n$/);
});

const NO_WORKER_NOTE =
  "queuectl: no worker is running: the job runs after 'queuectl worker start'\n";

/**
 * `run --wait-for-worker -- <command>` with no worker running, once it has enqueued its job and
 * said that no worker runs (after which Ctrl-C cancels the job); with its whole stdout and stderr.
 */
async function startRunWithoutWorker(
  home: TestHome,
  command: readonly string[],
): Promise<{ child: Deno.ChildProcess; stdout: Promise<string>; stderr: Promise<string> }> {
  const child = home.spawn(["run", "--wait-for-worker", "--", ...command]);
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const seen = await readStderr(child, reader, (text) => text.includes(NO_WORKER_NOTE));
  const stderr = (async () => {
    let text = seen;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += chunk.value;
    }
    return text;
  })();
  return { child, stdout, stderr };
}

Deno.test("run with no worker says so and enqueues nothing; --wait-for-worker waits", async () => {
  await using home = await TestHome.create();
  const refused = await home.run(["run", "--", "true"]);
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    `queuectl: No worker is running for queue "default": start one with 'queuectl worker start', or pass --wait-for-worker\n`,
  );
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
  const { child, stdout, stderr } = await startRunWithoutWorker(home, ["echo", "late"]);
  await home.ok("worker", "start");
  assert.equal((await child.status).code, 0);
  assert.equal(await stdout, "late\n");
  // The wait names what it waits for, as the refusal does.
  assert.match(await stderr, /^queuectl: job \S+ enqueued\nqueuectl: no worker is running: /);
});

Deno.test("Ctrl-C on run cancels the job and kills its command", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  const [command, ...prefix] = cliCommand();
  const child = new Deno.Command(command!, {
    // One string: the job's own shell, which leads its process group, writes its pid.
    args: [...prefix, "run", `echo $$ > ${pidFile}; sleep 60`],
    env: home.env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const pgid = await waitFor("the job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  child.kill("SIGINT");
  const output = await child.output();
  assert.equal(output.code, 130);
  const [job] = await home.json<JobJson[]>("list");
  assert.equal(job!.state, "cancelled");
  assert.deepEqual(processesInGroup(pgid), []);
});

Deno.test("Ctrl-C on run cancels a job that no worker has taken, and run ends at once", async () => {
  await using home = await TestHome.create();
  const { child, stdout, stderr } = await startRunWithoutWorker(home, ["echo", "never"]);
  child.kill("SIGINT");
  // Only run's own connection commits the cancel: run must see it without another's commit.
  let status: Deno.CommandStatus | null = null;
  const ending = child.status.then((ended) => status = ended);
  try {
    await waitFor("run to end", () => status);
  } finally {
    if (!status) child.kill("SIGKILL");
    await ending;
  }
  assert.equal(status!.code, 130);
  assert.equal(await stdout, "");
  assert.match(await stderr, /\nqueuectl: cancelling job /);
  const [job] = await home.json<JobJson[]>("list");
  assert.equal(job!.state, "cancelled");
});

Deno.test("logs --follow streams a running job's output until it ends", async () => {
  await using home = await TestHome.create();
  const gate = `${home.path}/gate`;
  const id = await home.enqueue(
    `echo first; while [ ! -f ${gate} ]; do sleep 0.05; done; echo second`,
  );
  await home.ok("worker", "start");
  const [command, ...prefix] = cliCommand();
  const child = new Deno.Command(command!, {
    args: [...prefix, "logs", "--follow", id],
    env: home.env,
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("first\n")) seen += (await reader.read()).value ?? "";
  assert.ok(!seen.includes("second"));
  await Deno.writeTextFile(gate, "");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  assert.equal((await child.status).code, 0);
  assert.match(seen, /^=== attempt 1 of 4 .*\nfirst\nsecond\n$/);
});

Deno.test("--after: a job waits for its dependencies; a dead dependency cancels its dependents", async () => {
  await using home = await TestHome.create();
  const out = `${home.path}/order`;
  const gate = `${home.path}/gate`;
  const first = await home.enqueue(
    "--id",
    "first",
    `while [ ! -f ${gate} ]; do sleep 0.05; done; echo first >> ${out}`,
  );
  const second = await home.enqueue("--id", "second", "--after", first, `echo second >> ${out}`);
  const third = await home.enqueue("--after", `${first},${second}`, `echo third >> ${out}`);
  await home.ok("worker", "start", "--count", "3");
  await waitForState(home, first, "processing");
  assert.equal((await home.job(second)).state, "pending");
  await Deno.writeTextFile(gate, "");
  await waitForState(home, third, "completed");
  assert.deepEqual((await Deno.readTextFile(out)).trim().split("\n"), ["first", "second", "third"]);
  assert.deepEqual((await home.job(third)).after, [first, second]);

  // One batch, so that the chain exists before the first job can fail.
  const chain = [
    { id: "doomed", command: "exit 1", max_retries: 0 },
    { id: "child", command: "true", after: ["doomed"] },
    { id: "grandchild", command: "true", after: "child" },
  ].map((job) => JSON.stringify(job)).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: chain });
  const [doomed, child, grandchild] = ["doomed", "child", "grandchild"];
  await waitForState(home, doomed, "dead");
  const cancelled = await waitForState(home, grandchild, "cancelled");
  // Each names its own dependency, and what ended first if that is another job.
  assert.equal(
    cancelled.last_error,
    `dependency ${child} was cancelled because ${doomed} ended dead`,
  );
  assert.equal((await home.job(child)).state, "cancelled");
  assert.equal((await home.job(child)).last_error, `dependency ${doomed} ended dead`);

  const unknown = await home.run(["enqueue", "--after", "missing", "true"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown job "missing" in after/);
  const self = await home.run(["enqueue", "--id", "me", "--after", "me", "true"]);
  assert.equal(self.code, 2);
  assert.match(self.stderr, /"me" cannot run after itself/);
});

interface StatusJson {
  jobs: { pending: number };
  oldest_pending_age_seconds: number | null;
  oldest_pending_due_at: string | null;
  oldest_pending_created_at: string | null;
}

Deno.test("status: a delayed job is no oldest due job until its time, then counts from it", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--delay", "1h", "true");
  const early = await home.json<StatusJson>("status");
  assert.equal(early.jobs.pending, 1);
  assert.deepEqual(
    [
      early.oldest_pending_age_seconds,
      early.oldest_pending_due_at,
      early.oldest_pending_created_at,
    ],
    [null, null, null],
  );
  assert.doesNotMatch(await home.ok("status"), /Oldest/);

  const soon = await home.job(await home.enqueue("--delay", "300ms", "true"));
  const due = await waitFor("a job to be due", async () => {
    const status = await home.json<StatusJson>("status");
    return status.oldest_pending_due_at !== null && status;
  });
  assert.equal(due.oldest_pending_due_at, soon.run_at);
  assert.equal(due.oldest_pending_created_at, soon.created_at);
  assert.ok(due.oldest_pending_age_seconds! >= 0);
  assert.match(await home.ok("status"), /^Oldest due job: due /m);
});

Deno.test("cancel: a pending job, a running job (no process left), and leaves an ended one as it is", async () => {
  await using home = await TestHome.create();
  const pending = await home.enqueue("--delay", "1h", "true");
  const pidFile = `${home.path}/pgid`;
  const running = await home.enqueue(`echo $$ > ${pidFile}; sleep 60 & sleep 60`);
  const dependent = await home.enqueue("--after", running, "true");
  await home.ok("worker", "start");
  await waitForState(home, running, "processing");
  const pgid = await waitFor("the pgid", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  const out = await home.ok("cancel", pending, running);
  assert.equal(
    out,
    `Cancelled 3 jobs: ${pending}, ${running}, ${dependent} (dependent of ${running})\n`,
  );
  assert.deepEqual(processesInGroup(pgid), []);
  for (const id of [pending, running]) assert.equal((await home.job(id)).state, "cancelled");
  assert.equal((await home.job(dependent)).last_error, `dependency ${running} was cancelled`);
  // Each end with its reason once: a plain cancel's reason only repeats the state.
  const waited = await home.run(["wait", running, dependent]);
  assert.equal(waited.code, 1);
  assert.equal(
    waited.stdout,
    `${running} cancelled\n${dependent} cancelled: dependency ${running} was cancelled\n`,
  );
  // Ended already: not an error, since it may have ended between a script's look and its cancel.
  const again = await home.run(["cancel", running]);
  assert.equal(again.code, 0);
  assert.equal(again.stdout, "Cancelled 0 jobs\n");
  assert.equal(again.stderr, `queuectl: ${running} already cancelled: not cancelled\n`);
  // The worker goes on working.
  const next = await home.enqueue("true");
  await waitForState(home, next, "completed");
});

Deno.test("cancel cancels the jobs that have not ended and names the ended ones on stderr", async () => {
  await using home = await TestHome.create();
  const done = await home.enqueue("true");
  await home.ok("worker", "start");
  await waitForState(home, done, "completed");
  const first = await home.enqueue("--delay", "1h", "true");
  const second = await home.enqueue("--delay", "1h", "true");
  const dependent = await home.enqueue("--after", second, "true");

  const human = await home.run(["cancel", first, done]);
  assert.equal(human.code, 0);
  assert.equal(human.stdout, `Cancelled 1 job: ${first}\n`);
  assert.equal(human.stderr, `queuectl: ${done} already completed: not cancelled\n`);

  const json = await home.run(["cancel", "--json", first, second, done]);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), [second, dependent]);
  assert.equal(
    json.stderr,
    `queuectl: ${first} already cancelled: not cancelled\nqueuectl: ${done} already completed: not cancelled\n`,
  );
  assert.equal((await home.job(done)).state, "completed");
  for (const id of [first, second, dependent]) {
    assert.equal((await home.job(id)).state, "cancelled");
  }

  // An unknown id still cancels nothing.
  const live = await home.enqueue("--delay", "1h", "true");
  const unknown = await home.run(["cancel", live, done, "nosuch"]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout, "");
  assert.equal(unknown.stderr, 'queuectl: No job with id "nosuch": nothing was cancelled\n');
  assert.equal((await home.job(live)).state, "pending");
});

Deno.test("cancel --json lists the ids named, then the dependents cancelled with them", async () => {
  await using home = await TestHome.create();
  const first = await home.enqueue("--delay", "1h", "true");
  const other = await home.enqueue("--delay", "1h", "true");
  const child = await home.enqueue("--after", first, "true");
  const grandchild = await home.enqueue("--after", child, "true");
  const unrelated = await home.enqueue("--delay", "1h", "true");
  assert.deepEqual(await home.json("cancel", other, first), [other, first, child, grandchild]);
  for (const id of [child, grandchild]) assert.equal((await home.job(id)).state, "cancelled");
  assert.equal((await home.job(unrelated)).state, "pending");
});

Deno.test("unique keys: 20 parallel enqueues with one key make one job", async () => {
  await using home = await TestHome.create();
  const results = await Promise.all(
    Array.from({ length: 20 }, () => home.run(["enqueue", "--unique-key", "deploy", "sleep 1"])),
  );
  assert.ok(results.every((result) => result.code === 0));
  const ids = new Set(results.map((result) => result.stdout.trim().split(" ").at(-1)));
  assert.equal(ids.size, 1);
  assert.equal(results.filter((result) => result.stderr.includes("already pending")).length, 19);
  assert.equal((await home.json<{ total: number }>("status")).total, 1);
});

Deno.test("queue pause stops claiming, resume restarts it; workers serve only their queues", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "slow");
  const held = await home.enqueue("--queue", "slow", "true");
  const other = await home.enqueue("--queue", "fast", "true");
  await home.ok("worker", "start", "--queue", "slow,fast");
  await waitForState(home, other, "completed");
  assert.equal((await home.job(held)).state, "pending");
  const queues = await home.json<{ name: string; paused: boolean; jobs: Record<string, number> }[]>(
    "queue",
    "list",
  );
  assert.deepEqual(queues.map((queue) => [queue.name, queue.paused, queue.jobs.pending]), [
    ["fast", false, 0],
    ["slow", true, 1],
  ]);
  await home.ok("queue", "resume", "slow");
  await waitForState(home, held, "completed");
  const elsewhere = await home.enqueue("true");
  await waitFor("the worker to stay off queue default", async () => {
    const status = await home.json<{ jobs: Record<string, number> }>("status");
    return status.jobs.pending === 1;
  });
  assert.equal((await home.job(elsewhere)).state, "pending");
});

Deno.test("queue resume or set of a mistyped queue leaves no queue behind; defaults drop one", async () => {
  await using home = await TestHome.create();
  const listed = async () =>
    (await home.json<{ name: string; paused: boolean; concurrency: number | null }[]>(
      "queue",
      "list",
    )).map((queue) => [queue.name, queue.paused, queue.concurrency]);
  const typo = await home.run(["queue", "resume", "typo"]);
  assert.deepEqual(
    [typo.code, typo.stdout, typo.stderr],
    [0, "", "queuectl: Queue typo was not paused: nothing to resume\n"],
  );
  await home.ok("queue", "set", "typo", "--concurrency", "none");
  assert.deepEqual(await listed(), []);
  assert.equal(await home.ok("queue", "pause", "later"), "Queue later paused\n");
  const again = await home.run(["queue", "pause", "later"]);
  assert.deepEqual(
    [again.code, again.stdout, again.stderr],
    [0, "", "queuectl: Queue later was already paused\n"],
  );
  await home.ok("queue", "set", "later", "--concurrency", "3");
  assert.deepEqual(await listed(), [["later", true, 3]]);
  assert.equal(await home.ok("queue", "resume", "later"), "Queue later resumed\n");
  assert.deepEqual(await listed(), [["later", false, 3]]);
  await home.ok("queue", "set", "later", "--concurrency", "none");
  assert.deepEqual(await listed(), []);
  const result = await home.run(["queue", "list"]);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^queuectl: No queues yet/);
});

Deno.test("a queue's concurrency limit holds across 4 workers", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "set", "limited", "--concurrency", "2");
  const spans = `${home.path}/spans`;
  const lines = Array.from({ length: 12 }, () =>
    JSON.stringify({
      queue: "limited",
      command: `s=$(date +%s%N); sleep 0.15; echo "$s $(date +%s%N)" >> ${spans}`,
    })).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: lines });
  await home.ok("worker", "start", "--count", "4");
  await waitFor("12 jobs to complete", async () => {
    return (await home.json<{ jobs: Record<string, number> }>("status")).jobs.completed === 12;
  }, 60_000);
  const intervals = (await Deno.readTextFile(spans)).trim().split("\n").map((line) =>
    line.split(" ").map(Number) as [number, number]
  );
  let most = 0;
  for (const [start] of intervals) {
    const running = intervals.filter(([s, e]) => s <= start && start < e).length;
    most = Math.max(most, running);
  }
  assert.ok(most <= 2, `${most} jobs of the queue ran at once`);
  assert.equal(most, 2, "the limit allows two at once");
});

Deno.test("--retry-on and --no-retry-on decide which exit codes are retried", async () => {
  await using home = await TestHome.create({ backoff_unit: "10ms", no_retry_on: "9" });
  const byConfig = await home.enqueue("--max-retries", "3", "exit 9");
  const notListed = await home.enqueue("--max-retries", "3", "--retry-on", "75", "exit 1");
  const listed = await home.enqueue("--max-retries", "2", "--retry-on", "75", "exit 75");
  const never = await home.enqueue("--max-retries", "3", "--no-retry-on", "2", "exit 2");
  await home.ok("worker", "start");
  assert.equal((await waitForState(home, notListed, "dead")).attempts, 1);
  assert.equal((await waitForState(home, listed, "dead")).attempts, 3);
  assert.equal((await waitForState(home, never, "dead")).attempts, 1);
  assert.equal((await waitForState(home, byConfig, "dead")).attempts, 1);
});

Deno.test("--env sets variables for the job; the enqueuer's environment is not stored", async () => {
  await using home = await TestHome.create();
  const result = await home.run(
    [
      "enqueue",
      "--quiet",
      "--env",
      "MODE=ci",
      "--env",
      "EMPTY=",
      "--",
      "sh",
      "-c",
      'echo "$MODE|$EMPTY|$SECRET"',
    ],
    { env: { SECRET: "enqueuer-only" } },
  );
  const id = result.stdout.trim();
  assert.deepEqual((await home.job(id)).env, { MODE: "ci", EMPTY: "" });
  await home.ok("worker", "start");
  await waitForState(home, id, "completed");
  assert.match(await home.ok("logs", id), /\nci\|\|\n/);
  const bad = await home.run(["enqueue", "--env", "1X=2", "true"]);
  assert.equal(bad.code, 2);
});

Deno.test("prune deletes old finished jobs and their logs; retention makes workers do it", async () => {
  await using home = await TestHome.create();
  const done = await home.enqueue("echo x");
  const waiting = await home.enqueue("--delay", "1h", "true");
  await home.ok("worker", "start");
  await waitForState(home, done, "completed");
  assert.equal(await home.ok("prune", "--older-than", "1h"), "Deleted 0 jobs\n");
  assert.equal(await home.ok("prune", "--older-than", "0s"), "Deleted 1 job\n");
  assert.equal((await home.run(["show", done])).code, 1);
  await assert.rejects(Deno.stat(`${home.path}/logs/${done}.log`));
  assert.equal((await home.job(waiting)).state, "pending");
  const bad = await home.run(["prune", "--older-than", "1d", "--state", "pending"]);
  assert.equal(bad.code, 2);

  await home.ok("worker", "stop");
  await home.ok("config", "set", "retention", "1ms");
  await home.ok("config", "set", "lease_seconds", "1");
  const old = await home.enqueue("true");
  await home.ok("worker", "start");
  await waitFor(
    "retention to delete the finished job",
    async () => (await home.run(["show", old])).code === 1,
  );
});

Deno.test("a completed dependency wakes an idle worker of another queue at once", async () => {
  // A one-minute fallback poll: only the wake-up can start the dependent within the test.
  await using home = await TestHome.create({ poll_interval_ms: "60000" });
  await home.ok("worker", "start", "--queue", "first");
  await home.ok("worker", "start", "--queue", "second");
  const gate = `${home.path}/gate`;
  await home.enqueue(
    "--id",
    "x",
    "--queue",
    "first",
    `while [ ! -f ${gate} ]; do sleep 0.05; done`,
  );
  await home.enqueue("--id", "y", "--queue", "second", "--after", "x", "true");
  await waitForState(home, "x", "processing");
  await Deno.writeTextFile(gate, "");
  await waitForState(home, "y", "completed", 15_000);
});

Deno.test("queue list names its count columns as list, status and --json name the states", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--queue", "mail", "true");
  const [header, row] = (await home.ok("queue", "list")).split("\n");
  const states = ["pending", "processing", "completed", "failed", "dead", "cancelled"];
  assert.deepEqual(header!.split(/\s+/).slice(3), states.map((state) => state.toUpperCase()));
  assert.deepEqual(row!.split(/\s+/), ["mail", "active", "-", "1", "0", "0", "0", "0", "0"]);
  const [json] = await home.json<{ jobs: Record<string, number> }[]>("queue", "list");
  assert.deepEqual(Object.keys(json!.jobs).sort(), [...states].sort());
});
