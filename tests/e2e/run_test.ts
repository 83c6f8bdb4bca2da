import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  cliCommand,
  type JobJson,
  processesInGroup,
  TestHome,
  waitFor,
  waitForState,
} from "../helpers/cli.ts";

/** `queuectl run ...` as a subprocess, killed if it has not ended within the test's patience. */
function startRun(home: TestHome, args: readonly string[], env: Record<string, string> = {}) {
  const [program, ...prefix] = cliCommand();
  return new Deno.Command(program!, {
    args: [...prefix, "run", ...args],
    env: { ...home.env, ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).spawn();
}

const decoder = new TextDecoder();

/** Reads until the text read so far matches `pattern` (or to the end, without one); returns it. */
async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  pattern: RegExp | null,
): Promise<string> {
  let seen = "";
  while (pattern === null || !pattern.test(seen)) {
    const { value, done } = await reader.read();
    if (done && pattern === null) break;
    if (done) throw new Error(`Output ended before ${pattern}: ${JSON.stringify(seen)}`);
    seen += value;
  }
  return seen;
}

/**
 * Does `action` once a running `run` follows the job's log (its first attempt header shows it
 * also listens for SIGINT by then), and waits for it to end; returns its exit code and output.
 */
async function onceFollowing(child: Deno.ChildProcess, action: () => unknown) {
  const stdout = new Response(child.stdout).text();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const before = await readUntil(stderr, /=== attempt 1 /);
  await action();
  const after = await readUntil(stderr, null);
  return { code: (await child.status).code, stdout: await stdout, stderr: before + after };
}

Deno.test("run refuses bad input before anything: exit 2, not even a data directory", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const cases: [string[], RegExp][] = [
    [["--priority", "abc", "--", "true"], /^queuectl: Invalid job: --priority must be a whole/],
    [["--queue", "bad name", "--", "true"], /^queuectl: Invalid --queue "bad name": use 1 to 64/],
    [['{"command":"true","delay":"soon"}'], /^queuectl: Invalid "delay" "soon": /],
  ];
  for (const [args, pattern] of cases) {
    const output = await startRun(home, args, { QUEUECTL_HOME: fresh }).output();
    const stderr = decoder.decode(output.stderr);
    assert.equal(output.code, 2, stderr);
    assert.match(stderr, pattern);
    assert.equal(stderr.split("\n").filter(Boolean).length, 1, stderr);
    await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
  }
});

Deno.test("run refuses an unknown --after id (exit 2) before saying no worker runs", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  for (const env of [{}, { QUEUECTL_HOME: fresh }]) {
    const output = await startRun(home, ["--after", "nosuch", "--", "true"], env).output();
    assert.equal(output.code, 2);
    assert.equal(
      decoder.decode(output.stderr),
      `queuectl: Unknown job "nosuch" in after: a job can only run after jobs that exist\n`,
    );
  }
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
  await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
});

Deno.test("run refuses a queue only other queues' workers serve, naming the worker that would", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--queue", "default,builds");
  const output = await startRun(home, ['{"command":"echo hi","queue":"nobody"}']).output();
  assert.equal(output.code, 1);
  assert.equal(
    decoder.decode(output.stderr),
    `queuectl: No worker is running for queue "nobody", only for builds, default: start one with 'queuectl worker start --queue nobody', or pass --wait-for-worker\n`,
  );
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
  // The command it names is the one that lets the job run.
  await home.ok("worker", "start", "--queue", "nobody");
  const ran = await startRun(home, ["--queue", "nobody", "--", "echo", "hi"]).output();
  assert.equal(ran.code, 0, decoder.decode(ran.stderr));
  assert.equal(decoder.decode(ran.stdout), "hi\n");
});

Deno.test("run with no worker at all names a plain worker start, which serves every queue", async () => {
  await using home = await TestHome.create();
  const output = await startRun(home, ["--queue", "deploys", "--", "true"]).output();
  assert.equal(output.code, 1);
  assert.equal(
    decoder.decode(output.stderr),
    `queuectl: No worker is running for queue "deploys": start one with 'queuectl worker start', or pass --wait-for-worker\n`,
  );
});

Deno.test("run exits 124 when the job's time limit ended its last attempt, not an earlier one", async () => {
  await using home = await TestHome.create({ backoff_unit: "10ms", job_timeout: "300ms" });
  await home.ok("worker", "start");
  // The config's job_timeout ends the second and last attempt: 124, as timeout(1).
  const late = await startRun(home, [
    "--max-retries",
    "1",
    "--",
    "sh",
    "-c",
    'if [ "$QUEUECTL_ATTEMPT" = 1 ]; then exit 5; fi; sleep 10',
  ]).output();
  assert.equal(late.code, 124, decoder.decode(late.stderr));
  assert.match(decoder.decode(late.stderr), /\nqueuectl: job \S+ dead: timed out after 300ms\n$/);
  // The first attempt timed out, the last exited 5 saying so itself: its own exit code.
  const early = await startRun(home, [
    "--max-retries",
    "1",
    "--",
    "sh",
    "-c",
    'if [ "$QUEUECTL_ATTEMPT" = 1 ]; then sleep 10; fi; echo timed out after 1s; exit 5',
  ]).output();
  assert.equal(early.code, 5, decoder.decode(early.stderr));
  assert.match(
    decoder.decode(early.stderr),
    /\nqueuectl: job \S+ dead: exited with code 5: timed out after 1s\n$/,
  );
});

Deno.test("Ctrl-C on run kills a command that ignores SIGTERM after kill_grace, then exits 130", async () => {
  await using home = await TestHome.create({ kill_grace: "1s" });
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  // One string, run as `sh -c` directly: its $$ is the process group's id.
  const child = startRun(home, [`trap "" TERM; echo $$ > ${pidFile}; sleep 45; echo survived`]);
  const pgid = await waitFor("the job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  await waitFor("sh and sleep to run", () => processesInGroup(pgid).length === 2);
  const output = await onceFollowing(child, () => child.kill("SIGINT"));
  assert.equal(output.code, 130, output.stderr);
  // SIGKILL was sent before run exited; the kernel may take a moment to end the processes.
  await waitFor(
    "the command's processes to be gone",
    () => processesInGroup(pgid).length === 0,
    5_000,
  );
  assert.equal(output.stdout, "");
});

Deno.test("SIGTERM to run, as a CI runner cancelling a build sends, cancels the job and exits 143", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  const child = startRun(home, [`echo $$ > ${pidFile}; sleep 45`]);
  const pgid = await waitFor("the job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  const output = await onceFollowing(child, () => child.kill("SIGTERM"));
  assert.equal(output.code, 143, output.stderr);
  assert.match(output.stderr, /\nqueuectl: cancelling job (\S+)\n/);
  const id = /job (\S+) enqueued/.exec(output.stderr)![1]!;
  assert.equal((await home.job(id)).state, "cancelled");
  await waitFor("the command's processes to be gone", () => processesInGroup(pgid).length === 0);
});

Deno.test("run with a unique key held by another job follows that job to its end", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const gate = `${home.path}/gate`;
  await home.enqueue(
    ...["--id", "theirs", "--unique-key", "nightly", "--max-retries", "0"],
    `while [ ! -f ${gate} ]; do sleep 0.05; done; echo theirs; exit 3`,
  );
  await waitForState(home, "theirs", "processing");
  const child = startRun(home, ["--unique-key", "nightly", "--", "echo", "mine"]);
  const output = await onceFollowing(child, () => Deno.writeTextFile(gate, ""));
  assert.equal(output.code, 3, output.stderr);
  assert.equal(output.stdout, "theirs\n");
  assert.match(
    output.stderr,
    /^queuectl: A job with unique key "nightly" is already processing: theirs \(nothing enqueued\)\n/,
  );
  assert.deepEqual((await home.json<JobJson[]>("list")).map((job) => job.id), ["theirs"]);
});

Deno.test("Ctrl-C on run following another's job stops following it and cancels nothing", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  await home.enqueue("--id", "theirs", "--unique-key", "nightly", `echo $$ > ${pidFile}; sleep 30`);
  const pgid = await waitFor("their job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  const child = startRun(home, ["--unique-key", "nightly", "--", "echo", "mine"]);
  const output = await onceFollowing(child, () => child.kill("SIGINT"));
  assert.equal(output.code, 130, output.stderr);
  assert.equal(output.stdout, "");
  assert.match(
    output.stderr,
    /\nqueuectl: stopped following job theirs, not cancelled: this run did not enqueue it\n$/,
  );
  assert.doesNotMatch(output.stderr, /cancelling/);
  assert.equal((await home.job("theirs")).state, "processing");
  assert.notDeepEqual(processesInGroup(pgid), []);
});

Deno.test("Ctrl-C on run whose cancel fails says the job may still run and exits 1", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const pidFile = `${home.path}/pgid`;
  // One string, run as `sh -c` directly: its $$ is the process group's id.
  const child = startRun(home, ["--id", "stuck", `echo $$ > ${pidFile}; sleep 30`]);
  const pgid = await waitFor("the job to start", async () => {
    const text = await Deno.readTextFile(pidFile).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
  // Every cancel fails, as one does while the database stays locked past the busy timeout (six
  // BEGIN tries of 5 s each: too long for a test).
  const db = new DatabaseSync(`${home.path}/queue.db`);
  try {
    const output = await onceFollowing(child, () => {
      db.exec(`CREATE TRIGGER refuse_cancel BEFORE UPDATE OF state ON jobs
        WHEN NEW.state = 'cancelled' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
      child.kill("SIGINT");
    });
    assert.equal(output.code, 1, output.stderr);
    assert.match(
      output.stderr,
      /\nqueuectl: cancelling job stuck\nqueuectl: job stuck may still run, cancelling it failed: refused by the test \(cancel it with 'queuectl cancel stuck'\)\n$/,
    );
    assert.equal((await home.job("stuck")).state, "processing");
    assert.notDeepEqual(processesInGroup(pgid), []);
  } finally {
    db.exec("DROP TRIGGER IF EXISTS refuse_cancel");
    db.close();
  }
  await home.ok("cancel", "stuck");
  await waitFor("the command's processes to be gone", () => processesInGroup(pgid).length === 0);
});

/** Whether process `pid` has the file at `path` open (Linux: its /proc fd links). */
function hasOpen(pid: number, path: string): boolean {
  for (const entry of Deno.readDirSync(`/proc/${pid}/fd`)) {
    try {
      if (Deno.readLinkSync(`/proc/${pid}/fd/${entry.name}`) === path) return true;
    } catch {
      // Closed meanwhile.
    }
  }
  return false;
}

Deno.test({
  name: "Ctrl-C on run while its enqueue waits for the database cancels the job once it is stored",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await TestHome.create();
    await home.enqueue("--delay", "1h", "true");
    const database = `${home.path}/queue.db`;
    const holder = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../helpers/hold_write_lock.ts", import.meta.url).pathname,
        database,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const holderReady = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.equal((await holderReady.read()).value, "ready\n");
    const child = startRun(home, ["--wait-for-worker", "--", "true"]);
    try {
      // run opens the database after its Ctrl-C listener is in place, then waits for the lock.
      await waitFor("run to open the database", () => hasOpen(child.pid, database));
      child.kill("SIGINT");
    } finally {
      const writer = holder.stdin.getWriter();
      await writer.write(new TextEncoder().encode("\n"));
      await writer.close();
      await holder.status;
      await holderReady.cancel();
    }
    const output = await child.output();
    const stderr = decoder.decode(output.stderr);
    assert.equal(output.code, 130, stderr);
    assert.match(stderr, /\nqueuectl: cancelling job (\S+)\n/);
    const jobs = await home.json<JobJson[]>("list", "--state", "cancelled");
    assert.equal(jobs.length, 1, stderr);
    assert.equal(jobs[0]!.command, "true");
  },
});
