import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";
import { unprivilegedHome } from "../helpers/unprivileged.ts";

Deno.test({
  name: "a job whose log cannot be written is not run, and its error says why",
  // /dev/full: every write fails with ENOSPC, as on a full disk, without root to fill one.
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await TestHome.create({ max_retries: "0" });
    const id = await home.enqueue("--id", "j", "--", "touch ran; echo output");
    const logPath = `${home.path}/logs/${id}.log`;
    await Deno.symlink("/dev/full", logPath);
    await home.ok("worker", "start");
    const result = await home.run(["wait", id, "--timeout", "30s"]);
    assert.equal(result.code, 1, result.stderr);
    const job = await home.job(id);
    assert.equal(job.state, "dead");
    assert.equal(
      job.last_error,
      `could not start: cannot write its log ${logPath}: No space left on device`,
    );
    await assert.rejects(Deno.stat(`${home.path}/ran`), Deno.errors.NotFound, "the job never ran");
  },
});

const unprivileged = unprivilegedHome();

Deno.test({
  name: "a logs directory the worker may not write fails the job with the reason in plain words",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({ max_retries: "0" }, unprivileged!);
    const id = await home.enqueue("--id", "j", "--", "touch ran");
    await Deno.chmod(`${home.path}/logs`, 0o500);
    try {
      await home.ok("worker", "start");
      const result = await home.run(["wait", id, "--timeout", "30s"]);
      assert.equal(result.code, 1, result.stderr);
      const job = await home.job(id);
      assert.equal(job.state, "dead");
      assert.equal(
        job.last_error,
        `could not start: cannot write its log ${home.path}/logs/${id}.log: Permission denied`,
      );
      await assert.rejects(Deno.stat(`${home.path}/ran`), Deno.errors.NotFound);
    } finally {
      await Deno.chmod(`${home.path}/logs`, 0o700);
    }
  },
});

Deno.test({
  name: "worker start says why a worker that cannot create its own log exited",
  ignore: unprivileged === null,
  async fn() {
    await using home = await TestHome.create({}, unprivileged!);
    const workers = `${home.path}/workers`;
    await Deno.chmod(workers, 0o500);
    try {
      const result = await home.run(["worker", "start"]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `^queuectl: Worker \\d+ exited at once: cannot write its log ${
            RegExp.escape(workers)
          }/worker-\\d+\\.log: Permission denied: give this user write access to ${
            RegExp.escape(workers)
          }, or set QUEUECTL_HOME to another directory\\n$`,
        ),
      );
    } finally {
      await Deno.chmod(workers, 0o700);
    }
  },
});
