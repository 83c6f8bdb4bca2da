import assert from "node:assert/strict";
import { cliCommand, processesInGroup, TestHome, waitFor, waitForState } from "../helpers/cli.ts";
import { loadLibc } from "../../src/worker/libc.ts";

const LINUX = Deno.build.os === "linux";
const command = cliCommand();
/** Under `deno run` the permissions are ours to narrow; a compiled binary has its own. */
const runAt = command.indexOf("run");

/** `worker run` with the CLI under test, with extra deno flags; its log goes to a file. */
function startWorker(home: TestHome, denoFlags: string[], logFile: string): Deno.ChildProcess {
  const [program, ...args] = [
    ...command.slice(0, runAt + 1),
    ...denoFlags,
    ...command.slice(runAt + 1),
  ];
  return new Deno.Command(program!, {
    args: [...args, "worker", "run", "--log-file", logFile],
    env: home.env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/**
 * A job that times out with a background child and ignores SIGTERM itself: only killing its
 * whole process group (SIGTERM, then SIGKILL after the grace) leaves nothing behind.
 */
async function assertJobsGetTheirOwnGroup(home: TestHome): Promise<void> {
  const pidFile = `${home.path}/pgid`;
  const stubborn = await home.enqueue(
    "--timeout",
    "500ms",
    "--max-retries",
    "0",
    `echo $$ > ${pidFile}; sleep 100 & trap '' TERM; sleep 100; wait`,
  );
  const plain = await home.enqueue("echo plain; exit 3");
  const pgid = await waitFor("the job's pid", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return text.endsWith("\n") && Number(text);
  });
  assert.equal((await waitForState(home, stubborn, "dead")).last_error, "timed out after 500ms");
  assert.deepEqual(processesInGroup(pgid), []);
  const failed = await waitForState(home, plain, "failed");
  assert.equal(failed.exit_code, 3);
  assert.match(await home.ok("logs", plain), /^=== attempt 1 of 4 · .* ===\nplain\n$/);
}

Deno.test({
  name: "without FFI permission a worker starts jobs through setsid(1), each in its own group",
  ignore: !LINUX || runAt === -1,
  async fn() {
    await using home = await TestHome.create({ kill_grace: "1s" });
    const log = `${home.path}/worker.log`;
    const worker = startWorker(home, ["--deny-ffi"], log);
    try {
      await assertJobsGetTheirOwnGroup(home);
      assert.match(await Deno.readTextFile(log), /; jobs start through \/(usr\/)?bin\/setsid\n/);
    } finally {
      worker.kill("SIGTERM");
      await worker.status;
    }
  },
});

Deno.test({
  name: "with FFI allowed a worker on Linux starts jobs through posix_spawn, each in its own group",
  ignore: loadLibc() === null,
  async fn() {
    await using home = await TestHome.create({ kill_grace: "1s" });
    await home.ok("worker", "start");
    await assertJobsGetTheirOwnGroup(home);
    const [worker] = await home.json<{ pid: number }[]>("worker", "list");
    const log = await Deno.readTextFile(`${home.path}/workers/worker-${worker!.pid}.log`);
    assert.match(log, /; jobs start through posix_spawn\n/);
  },
});
