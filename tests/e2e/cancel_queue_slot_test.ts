/**
 * A queue's concurrency limit holds while a cancelled job's command is still ending: `cancel`
 * sends SIGTERM, and a command that handles it (cleans up, up to `kill_grace`) still runs.
 */
import assert from "node:assert/strict";
import { TestHome, waitFor, waitForState } from "../helpers/cli.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("a cancelled job of a queue limited to one holds its slot until its command is gone", async () => {
  await using home = await TestHome.create({ kill_grace: "1m", lease_seconds: "300" });
  const dir = home.path;
  const fifo = `${dir}/cleanup`;
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  await home.ok("queue", "set", "deploy", "--concurrency", "1");
  // On SIGTERM it cleans up until the test writes to the FIFO; its `sleep` dies with the group.
  await home.enqueue(
    "--id",
    "first",
    "--queue",
    "deploy",
    `trap 'touch ${dir}/first.term; read line < ${fifo}; touch ${dir}/first.done; exit 1' TERM; ` +
      `touch ${dir}/first.started; sleep 1000 & wait`,
  );
  await home.ok("worker", "start", "--queue", "deploy");
  await waitFor("first to start", () => exists(`${dir}/first.started`));
  // Enqueued now, since its priority would have it run first.
  await home.enqueue(
    "--id",
    "second",
    "--queue",
    "deploy",
    "--priority",
    "10",
    `if [ -e ${dir}/first.done ]; then echo after; else echo beside; fi > ${dir}/second.result`,
  );
  // An idle worker that serves both queues, and would take "second" first (its priority).
  await home.ok("worker", "start", "--queue", "deploy,other");
  const cancel = home.spawn(["cancel", "first"]);
  try {
    await waitFor("first's SIGTERM handler", () => exists(`${dir}/first.term`));
    assert.equal((await home.job("first")).state, "cancelled");
    // Once the idle worker has started "other", a claim of its passed over "second".
    await home.enqueue("--id", "other", "--queue", "other", `touch ${dir}/other.started`);
    await waitFor("other to start", () => exists(`${dir}/other.started`));
    assert.equal(await exists(`${dir}/second.result`), false);
    assert.equal((await home.job("second")).state, "pending");
  } finally {
    await Deno.writeTextFile(fifo, "done\n");
  }
  const cancelled = await cancel.output();
  assert.equal(cancelled.code, 0, new TextDecoder().decode(cancelled.stderr));
  await waitForState(home, "second", "completed");
  assert.equal(await Deno.readTextFile(`${dir}/second.result`), "after\n");
});
