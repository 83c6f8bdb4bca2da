import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  cliCommand,
  type JobJson,
  processesInGroup,
  processRuns,
  TestHome,
  waitFor,
  waitForState,
} from "../helpers/cli.ts";

interface StatusJson {
  jobs: Record<string, number>;
  recovered_jobs: number;
}

async function workerPids(home: TestHome): Promise<number[]> {
  return (await home.json<{ pid: number }[]>("worker", "list")).map((worker) => worker.pid);
}

async function workerIds(home: TestHome): Promise<number[]> {
  return (await home.json<{ id: number }[]>("worker", "list")).map((worker) => worker.id);
}

async function readPid(path: string): Promise<number> {
  return await waitFor(`a pid in ${path}`, async () => {
    const text = await Deno.readTextFile(path).catch(() => "");
    return /^\d+\n$/.test(text) && Number(text);
  });
}

/**
 * SIGSTOPs a worker once its attempt of job `id` has recorded its process group, at a moment it
 * holds no write transaction: stopped inside one, it would block every other writer until it
 * resumed, since SQLite's write lock is the database's. Each try stops it, takes the write lock
 * without waiting and gives it back; when the lock is taken, the worker runs a moment longer.
 */
async function stopBetweenTransactions(pid: number, home: TestHome, id: string): Promise<void> {
  const db = new DatabaseSync(`${home.path}/queue.db`, { timeout: 0 });
  try {
    const pgid = db.prepare("SELECT pgid FROM jobs WHERE id = ?");
    await waitFor("the attempt's process group to be recorded", () => {
      try {
        return (pgid.get(id) as { pgid: number | null } | undefined)?.pgid ?? null;
      } catch {
        return null;
      }
    });
    await waitFor(
      "the worker stopped outside a write transaction",
      () => {
        Deno.kill(pid, "SIGSTOP");
        try {
          db.exec("BEGIN IMMEDIATE");
          db.exec("ROLLBACK");
          return true;
        } catch {
          Deno.kill(pid, "SIGCONT");
          return false;
        }
      },
      20_000,
      10,
    );
  } finally {
    db.close();
  }
}

Deno.test("chaos: workers SIGKILLed at random while 300 jobs run; every job completes", async () => {
  await using home = await TestHome.create({
    lease_seconds: "1",
    backoff_unit: "10ms",
    max_retries: "50",
  });
  const out = `${home.path}/ran`;
  // Closed until two workers have been killed: jobs are running at each of those kills, however
  // fast the machine drains the rest.
  const gate = `${home.path}/gate`;
  const lines = Array.from({ length: 300 }, (_, index) =>
    JSON.stringify({
      id: `c${index}`,
      command: `echo c${index} >> ${out}; until [ -e ${gate} ]; do sleep 0.01; done; sleep 0.0${
        Math.floor(Math.random() * 5)
      }`,
    })).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: lines });
  await home.ok("worker", "start", "--count", "4");
  let kills = 0;
  await waitFor(
    "all 300 jobs to complete under chaos",
    async () => {
      const status = await home.json<StatusJson>("status");
      if (status.jobs.completed === 300) return true;
      const pids = await workerPids(home);
      const victim = pids[Math.floor(Math.random() * pids.length)];
      if (victim !== undefined) {
        Deno.kill(victim, "SIGKILL");
        kills++;
        await waitFor("the killed worker to die", () => !processRuns(victim));
      }
      await home.ok("worker", "start");
      if (kills >= 2) await Deno.writeTextFile(gate, "");
      return false;
    },
    120_000,
    500,
  );
  assert.ok(kills >= 2, `only ${kills} kills`);
  const jobs = await home.json<JobJson[]>("list", "--limit", "1000");
  assert.equal(jobs.length, 300);
  assert.deepEqual(jobs.filter((job) => job.state !== "completed"), []);
  const ran = (await Deno.readTextFile(out)).trim().split("\n");
  const counts = new Map<string, number>();
  for (const id of ran) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const job of jobs) assert.ok(counts.has(job.id), `${job.id} never ran`);
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const [id, count] of counts) {
    if (count > 1) {
      assert.ok(byId.get(id)!.attempts > 1, `${id} ran ${count} times without a recovered attempt`);
      assert.match(await home.ok("logs", id), /lost with its worker/);
    }
  }
});

Deno.test("a worker SIGKILLed mid-job: the job is recovered, completes, and no process of the first attempt survives", async () => {
  await using home = await TestHome.create({ lease_seconds: "1", backoff_unit: "10ms" });
  const pidFile = `${home.path}/first-attempt-pgid`;
  const id = await home.enqueue(
    `if [ "$QUEUECTL_ATTEMPT" = 1 ]; then echo $$ > ${pidFile}; sleep 60 & sleep 60; fi; echo done`,
  );
  const [worker] = await home.json<number[]>("worker", "start");
  const pgid = await readPid(pidFile);
  assert.deepEqual(processesInGroup(pgid).length > 0, true);
  Deno.kill(worker!, "SIGKILL");
  await home.ok("worker", "start");
  const job = await waitForState(home, id, "completed");
  assert.equal(job.attempts, 2);
  assert.deepEqual(processesInGroup(pgid), []);
  assert.match(
    await home.ok("logs", id),
    new RegExp(`attempt 1 lost with its worker \\(pid ${worker}\\)`),
  );
  assert.equal((await home.json<StatusJson>("status")).recovered_jobs, 1);
});

Deno.test("a worker SIGKILLed mid-job and pruned by status: the next worker, a new id, recovers the job", async () => {
  await using home = await TestHome.create({ lease_seconds: "1", backoff_unit: "10ms" });
  // `worker run`, not `worker start`, which recovers lost jobs itself before starting any.
  const runWorker = () => startWorkerRun(home);
  const pidFile = `${home.path}/first-attempt-pgid`;
  const id = await home.enqueue(
    `if [ "$QUEUECTL_ATTEMPT" = 1 ]; then echo $$ > ${pidFile}; sleep 60 & sleep 60; fi; echo done`,
  );
  const crashed = runWorker();
  const pgid = await readPid(pidFile);
  const [crashedId] = await workerIds(home);
  crashed.kill("SIGKILL");
  await crashed.status;
  // Removes the dead worker's row, its job still naming it, before another worker registers.
  const status = await home.json<{ workers: unknown[]; jobs: Record<string, number> }>("status");
  assert.deepEqual([status.workers, status.jobs.processing], [[], 1]);
  const next = runWorker();
  try {
    const nextId = await waitFor(
      "the next worker to register",
      async () => (await workerIds(home))[0],
    );
    assert.ok(nextId > crashedId!, `worker id ${nextId} after ${crashedId}`);
    const job = await waitForState(home, id, "completed");
    assert.equal(job.attempts, 2);
    assert.deepEqual(processesInGroup(pgid), []);
    assert.match(
      await home.ok("logs", id),
      new RegExp(`attempt 1 lost with its worker \\(pid ${crashed.pid}\\)`),
    );
  } finally {
    await home.ok("worker", "stop", "--now");
    await next.status;
  }
});

Deno.test("a stalled worker (SIGSTOP) loses its lease; another worker recovers the job; the late finish is fenced off", async () => {
  await using home = await TestHome.create({ lease_seconds: "1", backoff_unit: "10ms" });
  const pidFile = `${home.path}/first-attempt-pgid`;
  const id = await home.enqueue(
    `if [ "$QUEUECTL_ATTEMPT" = 1 ]; then echo $$ > ${pidFile}; sleep 60; fi; echo attempt $QUEUECTL_ATTEMPT`,
  );
  const [stalled] = await home.json<number[]>("worker", "start");
  const pgid = await readPid(pidFile);
  await stopBetweenTransactions(stalled!, home, id);
  try {
    await home.ok("worker", "start");
    const job = await waitForState(home, id, "completed");
    assert.equal(job.attempts, 2);
    assert.notEqual(job.worker, `${job.worker!.split(":")[0]}:${stalled}`);
    assert.deepEqual(processesInGroup(pgid), []);
    // Its process runs, so it is listed, but as stale: its heartbeat is over a lease old.
    const listed = await home.json<{ pid: number; stale: boolean }[]>("worker", "list");
    assert.equal(listed.find((worker) => worker.pid === stalled)?.stale, true);
    assert.match(await home.ok("worker", "list"), new RegExp(`^${stalled} .* stale +`, "m"));
    assert.match(await home.ok("status"), /^Workers: 2 running, \d busy, 1 stale \(/m);
  } finally {
    Deno.kill(stalled!, "SIGCONT");
  }
  // The resumed worker sees its attempt end (its process group was killed) and its result is
  // fenced off: the job stays completed by attempt 2.
  const log = `${home.path}/workers/worker-${stalled}.log`;
  await waitFor("the resumed worker to drop its stale result", async () => {
    const text = await Deno.readTextFile(log).catch(() => "");
    return text.includes(
      `job ${id}: attempt 1 was cancelled or recovered meanwhile; result dropped`,
    );
  });
  const job = await home.job(id);
  assert.equal(job.state, "completed");
  assert.equal(job.attempts, 2);
});

Deno.test("SIGKILL during enqueue --file of 100,000 jobs stores all of them or none", async () => {
  await using home = await TestHome.create();
  const input = new TextEncoder().encode(
    Array.from({ length: 100_000 }, (_, index) => JSON.stringify({ command: `echo ${index}` }))
      .join("\n"),
  );
  const [command, ...prefix] = cliCommand();
  // Kill it once its transaction is writing (pages spill into the WAL before COMMIT); should it
  // win the race and finish first, try again: the point is a kill in mid-transaction.
  let killedMidway = false;
  for (let round = 0; round < 5 && !killedMidway; round++) {
    const before = (await home.json<{ total: number }>("status")).total;
    const walBefore = (await Deno.stat(`${home.path}/queue.db-wal`).catch(() => null))?.size ?? 0;
    const child = new Deno.Command(command!, {
      args: [...prefix, "enqueue", "--file", "-"],
      env: home.env,
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let exited = false;
    child.status.then(() => exited = true);
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
    await waitFor(
      "the batch to reach the database",
      async () => {
        const wal = await Deno.stat(`${home.path}/queue.db-wal`).catch(() => null);
        return exited || (wal !== null && wal.size > walBefore + 1_000_000);
      },
      60_000,
      5,
    );
    if (!exited) {
      child.kill("SIGKILL");
      killedMidway = (await child.status).signal === "SIGKILL";
    }
    const after = (await home.json<{ total: number }>("status")).total;
    assert.ok(
      after === before || after === before + 100_000,
      `after a kill ${after - before} of 100000 jobs were stored`,
    );
  }
  assert.ok(killedMidway, "no kill landed while the batch was being written");
});

Deno.test("a timed-out command that forked children leaves no process behind", async () => {
  await using home = await TestHome.create({ kill_grace: "2s" });
  const pidFile = `${home.path}/pgid`;
  const id = await home.enqueue(
    "--timeout",
    "500ms",
    "--max-retries",
    "0",
    `echo $$ > ${pidFile}; sh -c 'sleep 100 & sleep 100; wait' & trap '' TERM; sleep 100; wait`,
  );
  await home.ok("worker", "start");
  const pgid = await readPid(pidFile);
  const job = await waitForState(home, id, "dead");
  assert.equal(job.last_error, "timed out after 500ms");
  assert.deepEqual(processesInGroup(pgid), []);
});

Deno.test("worker stop lets a running job finish and the worker exit 0; --now requeues it uncounted", async () => {
  await using home = await TestHome.create();
  const [command, ...prefix] = cliCommand();
  const worker = new Deno.Command(command!, {
    args: [...prefix, "worker", "run"],
    env: home.env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const id = await home.enqueue("sleep 2; echo finished");
  await waitForState(home, id, "processing");
  const stop = await home.run(["worker", "stop"]);
  assert.equal(stop.code, 0);
  const status = await worker.output();
  assert.equal(status.code, 0);
  assert.equal((await home.job(id)).state, "completed");

  const long = await home.enqueue("sleep 60");
  await home.ok("worker", "start");
  await waitForState(home, long, "processing");
  const now = await home.run(["worker", "stop", "--now"]);
  assert.equal(now.code, 0, now.stderr);
  const requeued = await home.job(long);
  assert.equal(requeued.state, "pending");
  assert.equal(requeued.attempts, 0);
  assert.match(
    await home.ok("logs", long),
    /worker stopped with --now; the job goes back to pending/,
  );
});

Deno.test("SIGTERM finishes the running job; a second SIGTERM kills it and requeues it", async () => {
  await using home = await TestHome.create();
  const start = () => startWorkerRun(home);
  const first = start();
  // Running until released: a loaded machine's polls could miss a job that sleeps a moment.
  const release = `${home.path}/release`;
  const id = await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done; echo done`);
  await waitForState(home, id, "processing");
  first.kill("SIGTERM");
  await waitFor("the worker to be stopping", async () => {
    const workers = await home.json<{ stopping: boolean }[]>("worker", "list");
    return workers[0]?.stopping;
  });
  await Deno.writeTextFile(release, "");
  assert.equal((await first.status).code, 0);
  assert.equal((await home.job(id)).state, "completed");

  const second = start();
  const pidFile = `${home.path}/pgid`;
  const long = await home.enqueue(`echo $$ > ${pidFile}; sleep 60`);
  await waitForState(home, long, "processing");
  const pgid = await readPid(pidFile);
  second.kill("SIGTERM");
  await waitFor("the worker to be stopping", async () => {
    const workers = await home.json<{ stopping: boolean }[]>("worker", "list");
    return workers[0]?.stopping;
  });
  second.kill("SIGTERM");
  assert.equal((await second.status).code, 0);
  const job = await home.job(long);
  assert.deepEqual([job.state, job.attempts], ["pending", 0]);
  assert.deepEqual(processesInGroup(pgid), []);
});

Deno.test("a slow producer feeding enqueue --file - does not block workers or other enqueues", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const [command, ...prefix] = cliCommand();
  const batch = new Deno.Command(command!, {
    args: [...prefix, "enqueue", "--file", "-"],
    env: home.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = batch.stdin.getWriter();
  await writer.write(new TextEncoder().encode("echo from-batch-1\necho from-batch-2\n"));
  // While the batch still waits for input, the queue goes on working.
  const other = await home.enqueue("echo meanwhile");
  await waitForState(home, other, "completed");
  assert.equal((await home.json<{ total: number }>("status")).total, 1);
  await writer.write(new TextEncoder().encode("echo from-batch-3\n"));
  await writer.close();
  const output = await batch.output();
  assert.equal(new TextDecoder().decode(output.stdout), "Enqueued 3 jobs\n");
  assert.equal((await home.json<{ total: number }>("status")).total, 4);
});

/** A foreground `worker run` in the home, its output discarded. */
function startWorkerRun(home: TestHome): Deno.ChildProcess {
  const [command, ...prefix] = cliCommand();
  return new Deno.Command(command!, {
    args: [...prefix, "worker", "run"],
    env: home.env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}
