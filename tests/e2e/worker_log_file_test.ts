import assert from "node:assert/strict";
import { TestHome, waitFor, waitForState } from "../helpers/cli.ts";

Deno.test("a worker whose --log-file cannot be written any more goes on, logging to stderr", async () => {
  await using home = await TestHome.create();
  const dir = `${home.path}/worker-logs`;
  await Deno.mkdir(dir);
  const worker = home.spawn(["worker", "run", "--log-file", `${dir}/worker.log`]);
  const stderr = new Response(worker.stderr).text();
  try {
    await waitFor("the worker's start in its log", async () => {
      const log = await Deno.readTextFile(`${dir}/worker.log`).catch(() => "");
      return log.includes(" started; ");
    });
    await Deno.remove(dir, { recursive: true });
    for (const command of ["echo one", "echo two"]) {
      await waitForState(home, await home.enqueue(command), "completed");
    }
  } finally {
    worker.kill("SIGTERM");
  }
  assert.equal((await worker.status).code, 0);
  const lines = (await stderr).split("\n");
  const reported = lines.filter((line) => line.includes("cannot write --log-file"));
  assert.equal(reported.length, 1, await stderr);
  assert.match(
    reported[0]!,
    /^queuectl: cannot write --log-file .*\/worker\.log: No such file or directory; logging to stderr meanwhile$/,
  );
  assert.ok(lines.some((line) => / attempt 1: completed$/.test(line)), await stderr);
  assert.match(lines.at(-2)!, / worker \d+ stopped$/);
  await worker.stdout.cancel();
});
