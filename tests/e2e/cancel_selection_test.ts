/** `cancel --all [--queue <names>]`: the unfinished jobs of every queue, or of some. */
import assert from "node:assert/strict";
import { pathExists, TestHome, waitForState } from "../helpers/cli.ts";

Deno.test("cancel --all cancels every unfinished job of every queue, paused or failed, not ended ones", async () => {
  // A failed job's retry waits far beyond the test: it stays failed until the cancel.
  await using home = await TestHome.create({ backoff_unit: "10m" });
  await home.enqueue("--id", "done", "--queue", "c", "true");
  await home.enqueue("--id", "flaky", "--queue", "c", "--max-retries", "3", "false");
  await home.ok("worker", "start", "--queue", "c");
  await waitForState(home, "done", "completed");
  await waitForState(home, "flaky", "failed");
  await home.ok("worker", "stop");
  await home.ok("queue", "pause", "a");
  await home.enqueue("--id", "held", "--queue", "a", "true");
  await home.enqueue("--id", "later", "--queue", "b", "--delay", "1h", "true");

  const result = await home.run(["cancel", "--all"]);
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Cancelled 3 jobs: flaky, held, later\n",
    "",
  ]);
  for (const id of ["flaky", "held", "later"]) {
    assert.equal((await home.job(id)).state, "cancelled");
  }
  assert.equal((await home.job("done")).state, "completed");

  const none = await home.run(["cancel", "--all"]);
  assert.deepEqual([none.code, none.stdout, none.stderr], [
    0,
    "",
    "queuectl: No unfinished jobs\n",
  ]);
  const json = await home.run(["cancel", "--all", "--json"]);
  assert.deepEqual([json.code, json.stdout, json.stderr], [
    0,
    "[]\n",
    "queuectl: No unfinished jobs\n",
  ]);
});

Deno.test("cancel --all --queue leaves other queues' jobs, but not those that wait for a cancelled one", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "mail-1", "--queue", "mail", "true");
  await home.enqueue("--id", "sms-1", "--queue", "sms", "true");
  await home.enqueue("--id", "push-1", "--queue", "push", "true");
  await home.enqueue("--id", "after-mail", "--queue", "push", "--after", "mail-1", "true");
  await home.enqueue("--id", "after-that", "--queue", "push", "--after", "after-mail", "true");

  const result = await home.run(["cancel", "--all", "--queue", "mail,sms", "--json"]);
  assert.deepEqual([result.code, JSON.parse(result.stdout), result.stderr], [
    0,
    ["mail-1", "sms-1", "after-mail", "after-that"],
    "",
  ]);
  assert.equal((await home.job("push-1")).state, "pending");
  assert.equal((await home.job("after-mail")).last_error, "dependency mail-1 was cancelled");
  assert.equal(
    (await home.job("after-that")).last_error,
    "dependency after-mail was cancelled because mail-1 was cancelled",
  );

  await home.enqueue("--id", "mail-2", "--queue", "mail", "true");
  await home.enqueue("--id", "after-mail-2", "--queue", "push", "--after", "mail-2", "true");
  assert.equal(
    await home.ok("cancel", "--all", "--queue", "mail"),
    "Cancelled 2 jobs: mail-2, after-mail-2 (dependent of mail-2)\n",
  );
  for (const [queues, note] of [["mail", "queue mail"], ["mail,sms", "queues mail, sms"]]) {
    const none = await home.run(["cancel", "--all", "--queue", queues!]);
    assert.deepEqual([none.code, none.stdout, none.stderr], [
      0,
      "",
      `queuectl: No unfinished jobs in ${note}\n`,
    ]);
  }
  assert.equal((await home.job("push-1")).state, "pending");
});

Deno.test("cancel refuses ids with --all or --queue, and --queue without --all, changing nothing", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "mail-1", "--queue", "mail", "true");
  const before = await home.job("mail-1");
  const idsWithQueue =
    "queuectl: --queue selects unfinished jobs for --all; named ids are cancelled whatever their queue: give ids alone, or --all --queue <names>\n";
  const cases: [string[], string][] = [
    [[], "queuectl: Give the ids of the jobs to cancel, or --all\n"],
    [["--queue", "mail"], "queuectl: --queue needs --all: queuectl cancel --all --queue mail\n"],
    [["mail-1", "--queue", "mail"], idsWithQueue],
    [["--all", "mail-1", "--queue", "mail"], idsWithQueue],
    [["--all", "mail-1"], "queuectl: Give job ids or --all, not both\n"],
  ];
  // Also on a data directory that does not exist yet: it must not be created.
  const fresh = `${home.path}/fresh`;
  for (const [args, stderr] of cases) {
    for (const env of [{}, { QUEUECTL_HOME: fresh }]) {
      const result = await home.run(["cancel", ...args], { env });
      const where = `${args.join(" ")} ${JSON.stringify(env)}`;
      assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", stderr], where);
    }
  }
  assert.equal(await pathExists(fresh), false);
  assert.deepEqual(await home.job("mail-1"), before);
});

Deno.test("cancel --all on a data directory that does not exist says so and creates nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const result = await home.run(["cancel", "--all", "--queue", "mail"], {
    env: { QUEUECTL_HOME: fresh },
  });
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "",
    "queuectl: No unfinished jobs in queue mail\n",
  ]);
  assert.equal(await pathExists(fresh), false);
});
