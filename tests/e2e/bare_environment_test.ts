import assert from "node:assert/strict";
import { decodeOutput, TestHome, withProgramPath } from "../helpers/cli.ts";

/**
 * The CLI in an environment as bare as `env -i` gives (some daemons start programs so): the
 * home, and nothing else of the test's, not even PATH.
 */
async function runBare(home: TestHome, args: readonly string[], path?: string) {
  // Found here: the environment it runs in may have no PATH that finds it.
  const [command, ...prefix] = withProgramPath(home.command);
  const env: Record<string, string> = { QUEUECTL_HOME: home.path };
  if (path !== undefined) env.PATH = path;
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir !== undefined) env.DENO_DIR = denoDir;
  return decodeOutput(
    await new Deno.Command(command!, {
      args: [...prefix, ...args],
      cwd: home.path,
      env,
      clearEnv: true,
      stdin: "null",
    }).output(),
  );
}

const SHOW_ENVIRONMENT = `echo "PATH=[$PATH]"; env | grep '^DENO_' || true`;

Deno.test({
  name: "a job of a worker given no PATH gets the shell's default PATH, not Deno's node shim",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using home = await TestHome.create();
    const id = (await home.ok("enqueue", "--quiet", `${SHOW_ENVIRONMENT}; command -v ls`)).trim();
    const worker = await runBare(home, ["worker", "run", "--burst"]);
    assert.equal(worker.code, 0, worker.stderr);
    assert.equal((await home.job(id)).state, "completed", await home.ok("logs", id));
    const output = await home.ok("logs", id);
    assert.doesNotMatch(output, /node_compat_bin|DENO_/);
    assert.match(output, /^PATH=\[[^\]]*\/bin[^\]]*\]$/m);
  },
});

Deno.test({
  name: "a job of a worker whose PATH finds no node gets that PATH as it was given",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using home = await TestHome.create();
    const id = (await home.ok("enqueue", "--quiet", SHOW_ENVIRONMENT)).trim();
    const worker = await runBare(home, ["worker", "run", "--burst"], "/nonexistent");
    assert.equal(worker.code, 0, worker.stderr);
    const output = await home.ok("logs", id);
    assert.match(output, /^PATH=\[\/nonexistent\]$/m);
    assert.doesNotMatch(output, /DENO_/);
  },
});
