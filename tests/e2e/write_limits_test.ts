/**
 * Files that cannot take a write for now: a file size limit reached (as a full disk, without
 * root to fill one), another process's lock. The command names the file and the cause, not
 * SQLite's "disk I/O error" or an internal error.
 */
import assert from "node:assert/strict";
import { cliCommand, decodeOutput, readStderr, TestHome } from "../helpers/cli.ts";

/** The shell's `ulimit -f` counts KiB. */
const LIMIT_KIB = 256;

/** A home whose commands run with SIGXFSZ ignored, as a process that handles it: a write past the limit fails with EFBIG. */
async function sizeLimitedHome(): Promise<TestHome> {
  return await TestHome.create({}, {
    command: [
      "bash",
      "-c",
      `trap '' XFSZ; ulimit -f ${LIMIT_KIB}; exec "$@"`,
      "bash",
      ...cliCommand(),
    ],
  });
}

/** More than LIMIT_KIB of commands. */
const LINES = Array.from({ length: 2000 }, (_, index) => `echo ${"x".repeat(200)} ${index}`);

Deno.test({
  name: "a write past the file size limit names the file, the limit and the fix",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await sizeLimitedHome();
    const path = `${home.path}/queue.db`;
    // A regular file is read in place, not copied: the database is what grows past the limit.
    await Deno.writeTextFile(`${home.path}/jobs.txt`, `${LINES.join("\n")}\n`);
    const result = await home.run(["enqueue", "--quiet", "--file", "jobs.txt"]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      `queuectl: Cannot write to the database ${path}: ${path}-wal has reached this process's file size limit (ulimit -f, ${
        LIMIT_KIB * 1024
      } bytes): raise the limit, then try again\n`,
    );
    assert.equal(result.stdout, "");
    assert.equal((await home.json<unknown[]>("list")).length, 0, "nothing was enqueued");
  },
});

Deno.test({
  name: "enqueue --file - past the file size limit of its copy names the temporary directory",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await sizeLimitedHome();
    const tmp = `${home.path}/tmp`;
    await Deno.mkdir(tmp);
    await Deno.writeTextFile(`${home.path}/jobs.txt`, `${LINES.join("\n")}\n`);
    // From a file: piped, the rest of the input would break the pipe once enqueue gives up.
    const result = decodeOutput(
      await new Deno.Command("bash", {
        args: ["-c", 'exec "$@" < jobs.txt', "bash", ...home.command, "enqueue", "--file", "-"],
        cwd: home.path,
        env: { ...home.env, TMPDIR: tmp },
      }).output(),
    );
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      `queuectl: Cannot write the copy of stdin to a temporary file in ${tmp}: File too large: set TMPDIR to a directory with room, then try again (nothing was enqueued)\n`,
    );
    assert.equal((await home.json<unknown[]>("list")).length, 0, "nothing was enqueued");
  },
});

Deno.test({
  name: "a worker that writes past its file size limit says so and goes on, not killed by SIGXFSZ",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await TestHome.create({ backoff_unit: "10ms" });
    const worker = home.spawn(["worker", "run"]);
    const reader = worker.stderr.pipeThrough(new TextDecoderStream()).getReader();
    await readStderr(worker, reader, (seen) => seen.includes(" started; "));
    // Limited once started: Deno's own caches, which it may write as it starts, are far larger.
    const limited = await new Deno.Command("prlimit", {
      args: [`--pid=${worker.pid}`, `--fsize=${LIMIT_KIB * 1024}`],
    }).output();
    assert.equal(limited.code, 0, new TextDecoder().decode(limited.stderr));
    // Its command is killed by SIGXFSZ (a job gets the default), its log left at the limit:
    // the retry's header is the worker's own write past it.
    await home.enqueue("--id", "big", "--max-retries", "1", "head -c 1000000 /dev/zero");
    const log = `${home.path}/logs/big.log`;
    const seen = await readStderr(worker, reader, (text) => text.includes("attempt 2"));
    assert.match(seen, /job big attempt 1: failed \(killed by SIGXFSZ\)\n/);
    assert.match(
      seen,
      new RegExp(
        `job big attempt 2: dead \\(could not start: cannot write its log ${
          RegExp.escape(log)
        }: File too large\\)\n`,
      ),
    );
    worker.kill("SIGTERM");
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    const { code, signal } = await worker.status;
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
  },
});

Deno.test("a database another process keeps locked is named when the command gives up", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  await Deno.mkdir(fresh);
  const path = `${fresh}/queue.db`;
  // A new file locked before its switch to WAL: the open gives up after 5 s, not 30 s.
  const holder = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../helpers/hold_write_lock.ts", import.meta.url).pathname, path],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const ready = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    assert.equal((await ready.read()).value, "ready\n");
    const result = await home.run(["enqueue", "true"], { env: { QUEUECTL_HOME: fresh } });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(
      result.stderr,
      `queuectl: The database ${path} is busy (locked by another process for over 5s): try again\n`,
    );
  } finally {
    const writer = holder.stdin.getWriter();
    await writer.write(new TextEncoder().encode("\n"));
    await writer.close();
    await holder.status;
    await ready.cancel();
  }
});
