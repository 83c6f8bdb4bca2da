import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

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
      `could not start: cannot write its log ${logPath}: No space left on device (os error 28)`,
    );
    await assert.rejects(Deno.stat(`${home.path}/ran`), Deno.errors.NotFound, "the job never ran");
  },
});
