import assert from "node:assert/strict";
import { TestHome, waitForState } from "../helpers/cli.ts";

Deno.test("dlq retry --all --queue retries the dead jobs of those queues only, with their dependents", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  await home.enqueue("--id", "mail-1", "--queue", "mail", "--", "false");
  await home.enqueue("--id", "sms-1", "--queue", "sms", "--", "false");
  await home.enqueue("--id", "push-1", "--queue", "push", "--", "false");
  // A dependent in another queue goes back with the job it waited for.
  await home.enqueue("--id", "after-mail", "--queue", "push", "--after", "mail-1", "--", "true");
  await home.ok("worker", "start");
  for (const id of ["mail-1", "sms-1", "push-1"]) await waitForState(home, id, "dead");
  await home.ok("worker", "stop");

  const retried = await home.run(["dlq", "retry", "--all", "--queue", "mail,sms", "--json"]);
  assert.deepEqual([retried.code, JSON.parse(retried.stdout), retried.stderr], [
    0,
    ["mail-1", "sms-1", "after-mail"],
    "",
  ]);
  assert.equal((await home.job("push-1")).state, "dead");
  assert.equal((await home.job("after-mail")).state, "pending");

  const none = await home.run(["dlq", "retry", "--all", "--queue", "mail"]);
  assert.deepEqual([none.code, none.stdout, none.stderr], [
    0,
    "",
    "queuectl: No dead jobs in queue mail\n",
  ]);
});

Deno.test("dlq retry --queue without --all, or with ids, is refused and retries nothing", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  await home.enqueue("--id", "mail-1", "--queue", "mail", "--", "false");
  await home.ok("worker", "start");
  await waitForState(home, "mail-1", "dead");
  await home.ok("worker", "stop");
  const cases: [string[], string][] = [
    [["--queue", "mail"], "queuectl: --queue needs --all: queuectl dlq retry --all --queue mail\n"],
    [
      ["mail-1", "--queue", "mail"],
      "queuectl: --queue selects dead jobs for --all; named ids are retried whatever their queue: give ids alone, or --all --queue <names>\n",
    ],
    [
      ["--all", "mail-1", "--queue", "mail"],
      "queuectl: --queue selects dead jobs for --all; named ids are retried whatever their queue: give ids alone, or --all --queue <names>\n",
    ],
  ];
  for (const [args, stderr] of cases) {
    const result = await home.run(["dlq", "retry", ...args]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", stderr], args.join(" "));
  }
  assert.equal((await home.job("mail-1")).state, "dead");
});
