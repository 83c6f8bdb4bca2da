import assert from "node:assert/strict";
import { type JobJson, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

Deno.test("a job completes and its output is in logs", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("echo hello from queuectl; echo to-stderr >&2");
  await home.ok("worker", "start");
  const job = await waitForState(home, id, "completed");
  assert.equal(job.exit_code, 0);
  assert.equal(job.attempts, 1);
  assert.equal(job.last_error, null);
  assert.ok(job.started_at && job.finished_at && job.worker);
  const logs = await home.ok("logs", id);
  assert.match(logs, /^=== attempt 1 of 4 · .* ===\nhello from queuectl\nto-stderr\n/);
});

Deno.test("a job runs in the directory it was enqueued from, with its id in the environment", async () => {
  await using home = await TestHome.create();
  const dir = await Deno.makeTempDir();
  try {
    const result = await home.run(
      ["enqueue", "--quiet", "--", "sh", "-c", 'pwd; echo "$QUEUECTL_JOB_ID"'],
      { cwd: dir },
    );
    const id = result.stdout.trim();
    await home.ok("worker", "start");
    await waitForState(home, id, "completed");
    const logs = await home.ok("logs", id);
    assert.match(logs, new RegExp(`\n${await Deno.realPath(dir)}\n${id}\n`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing job is retried with growing backoff, lands in the DLQ, and dlq retry revives it", async () => {
  await using home = await TestHome.create({ backoff_base: "2", backoff_unit: "100ms" });
  const marker = `${home.path}/runs`;
  const id = await home.enqueue(
    "--max-retries",
    "3",
    "--",
    "sh",
    "-c",
    `date +%s%3N >> ${marker}; echo boom >&2; exit 7`,
  );
  await home.ok("worker", "start");
  const dead = await waitForState(home, id, "dead");
  assert.equal(dead.attempts, 4);
  assert.equal(dead.exit_code, 7);
  assert.equal(dead.last_error, "exited with code 7: boom");
  const starts = (await Deno.readTextFile(marker)).trim().split("\n").map(Number);
  assert.equal(starts.length, 4);
  const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
  // Delays are unit × base^attempt: 200ms, 400ms, 800ms; gaps can only be longer.
  [200, 400, 800].forEach((delay, index) => assert.ok(gaps[index]! >= delay, `gaps ${gaps}`));
  assert.ok(gaps[2]! > gaps[0]!, `gaps grow: ${gaps}`);

  const dlq = await home.json<JobJson[]>("dlq", "list");
  assert.deepEqual(dlq.map((job) => job.id), [id]);
  const logs = await home.ok("logs", id);
  assert.equal(logs.match(/=== attempt \d of 4/g)?.length, 4);

  await home.ok("worker", "stop");
  assert.match(await home.ok("dlq", "retry", id), new RegExp(`Retrying 1 job: ${id}`));
  const pending = await home.job(id);
  assert.deepEqual(
    [pending.state, pending.attempts, pending.started_at, pending.finished_at, pending.worker],
    ["pending", 0, null, null, null],
  );
  assert.equal(pending.last_error, "exited with code 7: boom", "why it died stays visible");
  await home.ok("worker", "start");
  await waitFor("the revived job to run again", async () => {
    const lines = (await Deno.readTextFile(marker)).trim().split("\n");
    return lines.length >= 5;
  });
  const revived = await home.job(id);
  assert.notEqual(revived.state, "dead");
  assert.equal(revived.max_retries, 3);
});

Deno.test("max_retries 0 means dead after the first failure", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--max-retries", "0", "exit 1");
  await home.ok("worker", "start");
  const job = await waitForState(home, id, "dead");
  assert.equal(job.attempts, 1);
  assert.equal(job.last_error, "exited with code 1");
});

Deno.test("dlq list --queue lists some queues' dead jobs; list and dlq list show each job's queue", async () => {
  await using home = await TestHome.create();
  const mail = await home.enqueue("--queue", "mail", "--max-retries", "0", "exit 1");
  const pdf = await home.enqueue("--queue", "pdf", "--max-retries", "0", "exit 1");
  await home.ok("worker", "start");
  for (const id of [mail, pdf]) await waitForState(home, id, "dead");
  const dead = await home.json<JobJson[]>("dlq", "list", "--queue", "mail");
  assert.deepEqual(dead.map((job) => job.id), [mail]);
  // A list, as --queue takes everywhere.
  const both = await home.json<JobJson[]>("dlq", "list", "--queue", "pdf,mail");
  assert.deepEqual(both.map((job) => job.id), [mail, pdf]);
  const listed = await home.json<JobJson[]>("list", "--queue", "pdf,nope");
  assert.deepEqual(listed.map((job) => job.id), [pdf]);
  for (const args of [["dlq", "list"], ["list"]]) {
    const lines = (await home.ok(...args)).trimEnd().split("\n");
    assert.match(lines[0]!, /^ID +STATE +QUEUE +TRIES/, args.join(" "));
    assert.match(lines.find((line) => line.startsWith(`${pdf} `))!, /^\S+ +dead +pdf +1\/1 /);
  }
  const none = await home.run(["dlq", "list", "--queue", "nope"]);
  assert.deepEqual(none, { code: 0, stdout: "", stderr: "queuectl: No dead jobs in queue nope\n" });
  const nones = await home.run(["dlq", "list", "--queue", "nope,nix"]);
  assert.equal(nones.stderr, "queuectl: No dead jobs in queues nope, nix\n");
});

Deno.test("an invalid command ends dead with the shell's error, and the worker keeps working", async () => {
  await using home = await TestHome.create();
  const bad = await home.enqueue("--max-retries", "0", "nosuchcmd-queuectl --flag");
  const good = await home.enqueue("echo still working");
  await home.ok("worker", "start");
  const job = await waitForState(home, bad, "dead");
  assert.equal(job.exit_code, 127);
  assert.match(job.last_error!, /^exited with code 127: .*nosuchcmd-queuectl: not found$/);
  assert.match(await home.ok("logs", bad), /nosuchcmd-queuectl: not found/);
  await waitForState(home, good, "completed");
  const workers = await home.json<unknown[]>("worker", "list");
  assert.equal(workers.length, 1);
});

Deno.test("a job whose directory vanished fails with a clear error", async () => {
  await using home = await TestHome.create();
  const dir = await Deno.makeTempDir();
  const result = await home.run(["enqueue", "--quiet", "--max-retries", "0", "true"], { cwd: dir });
  const id = result.stdout.trim();
  const cwd = (await home.job(id)).cwd;
  await Deno.remove(dir);
  await home.ok("worker", "start");
  const job = await waitForState(home, id, "dead");
  assert.equal(job.last_error, `could not start: directory ${cwd} does not exist`);
  assert.equal(job.exit_code, null);
});

Deno.test("dlq retry refuses a dead job whose unique key a live job holds; --all skips it", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "keyed", "--unique-key", "k", "--max-retries", "0", "--", "false");
  await home.enqueue("--id", "plain", "--max-retries", "0", "--", "false");
  await home.ok("worker", "start");
  await waitForState(home, "keyed", "dead");
  await waitForState(home, "plain", "dead");
  await home.ok("worker", "stop");
  await home.enqueue("--id", "holder", "--unique-key", "k", "--delay", "1h", "--", "true");

  const named = await home.run(["dlq", "retry", "plain", "keyed"]);
  assert.deepEqual([named.code, named.stdout], [2, ""]);
  assert.equal(
    named.stderr,
    'queuectl: Job "keyed" cannot be retried while job "holder" (pending) holds its unique key "k": wait for it to end or cancel it (nothing was retried)\n',
  );
  assert.equal((await home.job("plain")).state, "dead");

  const all = await home.run(["dlq", "retry", "--all"]);
  assert.deepEqual([all.code, all.stdout], [0, "Retrying 1 job: plain\n"]);
  assert.equal(
    all.stderr,
    "queuectl: Skipped 1 dead job(s) whose unique key is held by another job: keyed (held by holder)\n",
  );
  assert.equal((await home.job("plain")).state, "pending");
  assert.equal((await home.job("keyed")).state, "dead");

  const json = await home.run(["dlq", "retry", "--all", "--json"]);
  assert.deepEqual([json.code, JSON.parse(json.stdout)], [0, []]);
  assert.match(json.stderr, /^queuectl: Skipped 1 dead job\(s\) .*: keyed \(held by holder\)\n$/);
});
