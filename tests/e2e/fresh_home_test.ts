import assert from "node:assert/strict";
import { pathExists, TestHome } from "../helpers/cli.ts";

Deno.test("wait on an unknown id in a data directory not created yet exits 2 and creates nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const result = await home.run(["wait", "nosuch"], { env: { QUEUECTL_HOME: fresh } });
  assert.equal(result.code, 2);
  assert.equal(result.stderr, 'queuectl: No job with id "nosuch": nothing to wait for\n');
  await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
});

Deno.test("show and logs of an unknown id in a data directory not created yet create nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  for (const command of ["show", "logs"]) {
    const result = await home.run([command, "nosuch"], { env: { QUEUECTL_HOME: fresh } });
    assert.equal(result.code, 1, command);
    assert.equal(
      result.stderr,
      `queuectl: No job with id "nosuch": see 'queuectl list' for the ids\n`,
      command,
    );
    await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
  }
});

Deno.test("cancel, dlq retry and run --after of unknown ids in a data directory not created yet create nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const noWorker =
    `queuectl: No worker is running for queue "default": start one with 'queuectl worker start', or pass --wait-for-worker\n`;
  const cases: [string[], number, string][] = [
    [["cancel", "nosuch"], 1, 'queuectl: No job with id "nosuch": nothing was cancelled\n'],
    [["dlq", "retry", "nosuch"], 1, 'queuectl: No job with id "nosuch": nothing was retried\n'],
    [["dlq", "retry", "--all"], 0, "queuectl: The dead-letter queue is empty\n"],
    [["run", "--after", "nosuch", "--", "true"], 1, noWorker],
    [
      ["run", "--wait-for-worker", "--after", "nosuch", "--", "true"],
      2,
      'queuectl: Unknown job "nosuch" in after: a job can only run after jobs that exist\n',
    ],
  ];
  for (const [args, code, stderr] of cases) {
    const result = await home.run(args, { env: { QUEUECTL_HOME: fresh } });
    const name = args.join(" ");
    assert.equal(result.code, code, name);
    assert.equal(result.stderr, stderr, name);
    assert.equal(result.stdout, "", name);
    assert.equal(await pathExists(fresh), false, `${name} created the data directory`);
  }
});

Deno.test("cancel and dlq retry of an unknown id say the same with a database", async () => {
  await using home = await TestHome.create();
  const cancel = await home.run(["cancel", "nosuch"]);
  assert.equal(cancel.code, 1);
  assert.equal(cancel.stderr, 'queuectl: No job with id "nosuch": nothing was cancelled\n');
  const retry = await home.run(["dlq", "retry", "nosuch"]);
  assert.equal(retry.code, 1);
  assert.equal(retry.stderr, 'queuectl: No job with id "nosuch": nothing was retried\n');
});
