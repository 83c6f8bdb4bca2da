import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

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
