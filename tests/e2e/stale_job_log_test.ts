/**
 * A log left under an id that no job has (its prune could not remove it, or an older version's
 * prune was killed between its commit and its unlink) is removed when a job is enqueued with
 * that id: the new job shows its own attempts only. One that cannot be removed refuses the
 * enqueue rather than mix two jobs' logs.
 */
import assert from "node:assert/strict";
import { pathExists, TestHome } from "../helpers/cli.ts";
import { unprivilegedHome } from "../helpers/unprivileged.ts";

const unprivileged = unprivilegedHome();

interface Logged {
  readonly attempts: readonly { readonly output: string }[];
}

/** Runs `nightly` once, then prunes it, its log put back as a prune that failed to remove it. */
async function leaveStaleLog(home: TestHome, id = "nightly"): Promise<string> {
  await home.enqueue("--id", id, "echo old run");
  await home.ok("worker", "run", "--burst");
  const log = `${home.path}/logs/${id}.log`;
  const kept = await Deno.readFile(log);
  assert.equal((await home.json<{ deleted: number }>("prune", "--older-than", "0s")).deleted, 1);
  await Deno.writeFile(log, kept);
  return log;
}

async function assertOwnLogOnly(home: TestHome, id: string, output: string): Promise<void> {
  const logged = await home.json<Logged>("logs", id);
  assert.deepEqual(logged.attempts.map((attempt) => attempt.output), [output]);
  assert.doesNotMatch(await home.ok("logs", id), /old run/);
}

Deno.test("a job enqueued with the id of a pruned job whose log stayed shows its own log only", async () => {
  await using home = await TestHome.create();
  await leaveStaleLog(home);
  await home.enqueue("--id", "nightly", "echo new run");
  await home.ok("worker", "run", "--burst");
  await assertOwnLogOnly(home, "nightly", "new run\n");
});

Deno.test("run with the id of a pruned job whose log stayed prints its own output only", async () => {
  await using home = await TestHome.create();
  await leaveStaleLog(home);
  await home.ok("worker", "start");
  const result = await home.run(["run", "--id", "nightly", "echo new run"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "new run\n");
});

for (const lines of [1, 300]) {
  Deno.test(`enqueue --file of ${lines} jobs with ids removes the stale logs of those ids only`, async () => {
    await using home = await TestHome.create();
    await leaveStaleLog(home);
    const unrelated = await leaveStaleLog(home, "weekly");
    const jobs = Array.from(
      { length: lines },
      (_, index) =>
        JSON.stringify({
          id: index === 0 ? "nightly" : `job-${index}`,
          command: index === 0 ? "echo new run" : "true",
          // Left waiting: the worker below runs the default queue's only.
          queue: index === 0 ? "default" : "later",
        }),
    );
    await home.run(["enqueue", "--file", "-", "--quiet"], { stdin: `${jobs.join("\n")}\n` });
    assert.ok(await pathExists(unrelated), "the log of an id not enqueued stays");
    await home.ok("worker", "run", "--burst", "--queue", "default");
    await assertOwnLogOnly(home, "nightly", "new run\n");
  });
}

Deno.test({
  name: "a stale log that cannot be removed refuses the enqueue, naming the file",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    const logs = `${home.path}/logs`;
    const log = `${logs}/nightly.log`;
    await Deno.writeTextFile(log, "old run\n");
    // Its directory not writable by the CLI's user: root's, the CLI run as nobody.
    await Deno.chown(logs, 0, 0);
    await Deno.chmod(logs, 0o755);
    const expected =
      `queuectl: Cannot remove ${log}, left by an earlier job with id "nightly": Permission denied: remove it, or give the job another id\n`;
    // One job, and enough for the file's to be unlinked through libc (libc_unlink.ts).
    const manyJobs = Array.from(
      { length: 300 },
      (_, index) => `{"id":"${index === 0 ? "nightly" : `job-${index}`}","command":"true"}\n`,
    ).join("");
    for (
      const [args, options] of [
        [["enqueue", "--id", "nightly", "true"], {}],
        [["enqueue", "--file", "-"], { stdin: '{"id":"nightly","command":"true"}\n' }],
        [["enqueue", "--file", "-"], { stdin: manyJobs }],
      ] as const
    ) {
      const result = await home.run(args, options);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, expected);
      assert.equal(result.stdout, "");
    }
    assert.deepEqual(await home.json("list"), []);
    assert.equal(await Deno.readTextFile(log), "old run\n");
  },
});
