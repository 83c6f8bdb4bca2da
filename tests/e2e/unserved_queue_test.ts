import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

Deno.test("enqueue into a queue only other queues' workers serve names the worker start that serves it", async () => {
  await using home = await TestHome.create();
  // No worker at all: enqueueing first and starting workers later is the usual order.
  assert.equal((await home.run(["enqueue", "--queue", "b", "true"])).stderr, "");
  await home.ok("worker", "start", "--queue", "a");
  const unserved = await home.run(["enqueue", "--queue", "b", "--id", "b1", "--quiet", "true"]);
  assert.deepEqual(unserved, {
    code: 0,
    stdout: "b1\n",
    stderr:
      `queuectl: no running worker serves queue "b": the job runs after 'queuectl worker start --queue b'\n`,
  });
  assert.equal((await home.run(["enqueue", "--queue", "a", "true"])).stderr, "");
  // The command it names is the one that serves the queue.
  await home.ok("worker", "start", "--queue", "b");
  assert.equal((await home.run(["enqueue", "--queue", "b", "true"])).stderr, "");
  await home.ok("wait", "b1", "--timeout", "20s");
});
