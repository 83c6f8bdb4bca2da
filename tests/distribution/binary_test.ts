import assert from "node:assert/strict";
import { binaryName } from "../../scripts/build.ts";
import { compileBase, HOST_TARGET } from "../../scripts/compile_base.ts";
import { sha256sums } from "../../scripts/sha256sums.ts";
import { TestHome } from "../helpers/cli.ts";
import { runScript } from "../helpers/scripts.ts";
import { workerCommandLine } from "../helpers/worker_parent.ts";

// The smoke test needs deno compile's base for this machine: DENORT_BIN, the cache, or a download.
const base = await compileBase(HOST_TARGET, (name) => Deno.env.get(name));
const skipped = base.available ? null : `no compile base for ${HOST_TARGET}: ${base.reason}`;
// deno-lint-ignore no-console -- the skip reason belongs in the test report
if (skipped) console.warn(`compiled binary smoke test skipped: ${skipped}`);

Deno.test({
  name: skipped
    ? `compiled binary smoke test (skipped: ${skipped})`
    : `deno task build --target ${HOST_TARGET} makes a binary that runs jobs as itself`,
  ignore: skipped !== null,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "queuectl-binary-" });
    try {
      const build = await runScript("build.ts", ["--target", HOST_TARGET, "--outdir", dir]);
      assert.equal(build.code, 0, build.stderr);
      const binary = `${dir}/${binaryName(HOST_TARGET)}`;
      assert.equal(
        await Deno.readTextFile(`${dir}/SHA256SUMS`),
        await sha256sums([`${dir}/queuectl.js`, binary]),
      );

      await using home = await TestHome.create({}, { command: [binary] });
      const version = await home.json<{ form: string }>("version");
      assert.equal(version.form, "binary");

      await t.step({
        name: Deno.build.os === "windows"
          ? "worker check skipped: no ps"
          : "runs a job on a worker that is the binary",
        ignore: Deno.build.os === "windows",
        async fn() {
          const worker = await workerCommandLine(home);
          const paths = [binary, await Deno.realPath(binary)]; // macOS: /var is /private/var
          assert.ok(
            paths.some((path) => worker.startsWith(`${path} worker run `)),
            `the worker is not the binary: ${worker}`,
          );
        },
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
