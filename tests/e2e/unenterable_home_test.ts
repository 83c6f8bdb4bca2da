/**
 * A data directory this user may not enter (mode 000, or under a directory it may not enter),
 * or may not create: commands name the directory in the way and what to do, where the system
 * says only "Permission denied".
 */
import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";
import { unprivilegedHome } from "../helpers/unprivileged.ts";

const unprivileged = unprivilegedHome();
const FIX = "(chown or chmod), or set QUEUECTL_HOME to another directory";

/** `status` (reading) and `enqueue` (creating) in `dataHome` exit 1 with `reason`, nothing out. */
async function assertRefused(home: TestHome, dataHome: string, reason: string): Promise<void> {
  for (const [args, verb] of [[["status"], "read"], [["enqueue", "true"], "create"]] as const) {
    const result = await home.run(args, { env: { QUEUECTL_HOME: dataHome } });
    assert.deepEqual(result, {
      code: 1,
      stdout: "",
      stderr: `queuectl: Cannot ${verb} the data directory ${dataHome}: ${reason}\n`,
    });
  }
}

Deno.test({
  name: "a data directory this user may not enter is named, with the fix",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    await Deno.chmod(home.path, 0o000);
    await assertRefused(
      home,
      home.path,
      `this user may not enter ${home.path}: give this user access to it ${FIX}`,
    );
  },
});

Deno.test({
  name: "a data directory under one this user may not enter names that one",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    const closed = `${home.path}/closed`;
    await Deno.mkdir(`${closed}/home`, { recursive: true });
    await Deno.chmod(closed, 0o000);
    await assertRefused(
      home,
      `${closed}/home`,
      `this user may not enter ${closed}: give this user access to it ${FIX}`,
    );
  },
});

Deno.test({
  name: "a data directory to create where this user may not write names where",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    const readOnly = `${home.path}/read-only`;
    await Deno.mkdir(readOnly, { mode: 0o555 });
    await Deno.chmod(readOnly, 0o555);
    const result = await home.run(["enqueue", "true"], {
      env: { QUEUECTL_HOME: `${readOnly}/home` },
    });
    assert.deepEqual(result, {
      code: 1,
      stdout: "",
      stderr:
        `queuectl: Cannot create the data directory ${readOnly}/home: this user may not create directories in ${readOnly}: give this user write access to it ${FIX}\n`,
    });
  },
});
