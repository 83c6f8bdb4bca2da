import assert from "node:assert/strict";
import { basename, dirname } from "node:path";
import { pathExists, TestHome, waitForState } from "../helpers/cli.ts";

Deno.test("worker start with a relative QUEUECTL_HOME serves that home's database", async () => {
  await using home = await TestHome.create();
  const relative = { cwd: dirname(home.path), env: { QUEUECTL_HOME: basename(home.path) } };
  // Where a worker that took the relative path again from inside the home would keep its data.
  const nested = `${home.path}/${basename(home.path)}`;
  let nestedCreated = false;
  try {
    const started = await home.run(["worker", "start"], relative);
    assert.equal(started.code, 0, started.stderr);
    const id = (await home.run(["enqueue", "--quiet", "true"], relative)).stdout.trim();
    await waitForState(home, id, "completed");
    assert.equal((await home.json<unknown[]>("worker", "list")).length, 1);
  } finally {
    nestedCreated = await pathExists(nested);
    // A worker leaked into the nested home is invisible to the home's own disposal.
    if (nestedCreated) {
      await home.run(["worker", "stop", "--now", "--timeout", "10s"], {
        env: { QUEUECTL_HOME: nested },
      });
    }
  }
  assert.equal(nestedCreated, false);
});
