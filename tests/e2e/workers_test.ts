import assert from "node:assert/strict";
import { homeLayout } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { type JobJson, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

interface StatusJson {
  jobs: Record<string, number>;
  workers: { pid: number; current_jobs: string[] }[];
}

async function waitForCompleted(home: TestHome, count: number, timeoutMs = 60_000) {
  return await waitFor(
    `${count} jobs to complete`,
    async () => {
      const status = await home.json<StatusJson>("status");
      return status.jobs.completed === count && status;
    },
    timeoutMs,
    100,
  );
}

Deno.test("200 jobs on 4 workers: every job runs exactly once", async () => {
  await using home = await TestHome.create();
  const out = `${home.path}/ran`;
  const lines = Array.from(
    { length: 200 },
    (_, index) => JSON.stringify({ id: `job-${index}`, command: `echo job-${index} >> ${out}` }),
  ).join("\n");
  assert.match((await home.run(["enqueue", "--file", "-"], { stdin: lines })).stdout, /200 jobs/);
  const started = await home.ok("worker", "start", "--count", "4");
  assert.match(started, /^Started 4 workers: pid \d+, \d+, \d+, \d+\n$/);
  await waitForCompleted(home, 200);
  const ran = (await Deno.readTextFile(out)).trim().split("\n").sort();
  const expected = Array.from({ length: 200 }, (_, index) => `job-${index}`).sort();
  assert.deepEqual(ran, expected);
  const jobs = await home.json<JobJson[]>("list", "--limit", "1000");
  assert.ok(jobs.every((job) => job.attempts === 1));
  assert.equal(new Set(jobs.map((job) => job.worker)).size > 1, true, "work was shared");
});

Deno.test("jobs survive a restart of the workers: nothing lost, nothing run twice", async () => {
  await using home = await TestHome.create();
  const out = `${home.path}/ran`;
  const first = Array.from({ length: 20 }, (_, index) => `echo a${index} >> ${out}`).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: first });
  await home.ok("worker", "start", "--count", "2");
  await waitForCompleted(home, 20);
  await home.ok("worker", "stop");
  assert.deepEqual(await home.json("worker", "list"), []);
  const second = Array.from({ length: 20 }, (_, index) => `echo b${index} >> ${out}`).join("\n");
  await home.run(["enqueue", "--file", "-"], { stdin: second });
  const status = await home.json<StatusJson>("status");
  assert.equal(status.jobs.pending, 20);
  assert.equal(status.workers.length, 0);
  await home.ok("worker", "start", "--count", "2");
  await waitForCompleted(home, 40);
  const ran = (await Deno.readTextFile(out)).trim().split("\n");
  assert.equal(ran.length, 40);
  assert.equal(new Set(ran).size, 40);
});

Deno.test("higher priority runs first, then earlier run_at, then enqueue order", async () => {
  await using home = await TestHome.create();
  const out = `${home.path}/order`;
  for (
    const [id, priority] of [["low", "1"], ["high", "10"], ["mid", "5"], ["mid2", "5"]] as const
  ) {
    await home.enqueue("--id", id, "--priority", priority, `echo ${id} >> ${out}`);
  }
  await home.enqueue("--id", "neg", "--priority", "-5", `echo neg >> ${out}`);
  await home.ok("worker", "start");
  await waitForCompleted(home, 5);
  assert.deepEqual((await Deno.readTextFile(out)).trim().split("\n"), [
    "high",
    "mid",
    "mid2",
    "low",
    "neg",
  ]);
});

Deno.test("a delayed or scheduled job is not claimed before its time", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const delayed = await home.enqueue("--delay", "1500ms", "true");
  const runAt = new Date(Date.now() + 1200).toISOString();
  const scheduled = await home.enqueue("--run-at", runAt, "true");
  const now = await home.enqueue("true");
  await waitForState(home, now, "completed");
  for (const id of [delayed, scheduled]) {
    const job = await waitForState(home, id, "completed");
    assert.ok(Date.parse(job.started_at!) >= Date.parse(job.run_at), JSON.stringify(job));
  }
  assert.equal((await home.job(scheduled)).run_at, runAt);
});

Deno.test("a job running over its timeout is killed and fails with 'timed out'", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--timeout", "300ms", "--max-retries", "0", "sleep 30");
  await home.ok("worker", "start");
  const job = await waitForState(home, id, "dead");
  assert.equal(job.last_error, "timed out after 300ms");
  assert.equal(job.timeout, 0.3);
  assert.ok(Date.parse(job.finished_at!) - Date.parse(job.started_at!) < 10_000);
});

Deno.test("a timeout over setTimeout's ~24.8-day limit lets the job run to its end", async () => {
  await using home = await TestHome.create({ job_timeout: "30d" });
  // Either timeout once fired after 1 ms: the job was killed as "timed out after 30d".
  const own = await home.enqueue("--timeout", "30d", "--max-retries", "0", "sleep 1; echo own");
  const configured = await home.enqueue("--max-retries", "0", "sleep 1; echo configured");
  await home.ok("worker", "start", "--concurrency", "2");
  for (const id of [own, configured]) {
    const job = await waitFor(`job ${id} to end`, async () => {
      const job = await home.job(id);
      return (job.state === "completed" || job.state === "dead") && job;
    });
    assert.equal(job.state, "completed", job.last_error ?? "");
  }
  assert.match(await home.ok("logs", own), /own/);
});

Deno.test("config reaches a running worker without a restart", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  await home.ok("config", "set", "job_timeout", "200ms");
  // Workers re-read settings at most a second old; a job enqueued after that sees the new one.
  const id = await waitFor(
    "the new timeout to apply",
    async () => {
      const id = await home.enqueue("--max-retries", "0", "sleep 2");
      const job = await waitFor("the job to end", async () => {
        const job = await home.job(id);
        return (job.state === "dead" || job.state === "completed") && job;
      });
      return job.last_error === "timed out after 200ms" && id;
    },
    30_000,
    0,
  );
  assert.ok(id);
});

Deno.test("worker stop waits for the running job to finish", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("sleep 1; echo finished");
  await home.ok("worker", "start");
  await waitForState(home, id, "processing");
  const stop = await home.run(["worker", "stop"]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /^Stopped 1 worker: pid \d+\n$/);
  const job = await home.job(id);
  assert.equal(job.state, "completed");
  assert.match(await home.ok("logs", id), /finished/);
  assert.deepEqual(await home.json("worker", "list"), []);
});

Deno.test("worker stop --timeout reports workers that did not stop", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("sleep 10");
  await home.ok("worker", "start");
  await waitForState(home, id, "processing");
  const stop = await home.run(["worker", "stop", "--timeout", "300ms"]);
  assert.equal(stop.code, 1);
  assert.match(stop.stderr, /^queuectl: Still running after --timeout: pid \d+ \(try --now\)\n$/);
});

Deno.test("worker stop --timeout 0 reports only the workers running a job", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("sleep 10");
  await home.ok("worker", "start", "--count", "2");
  await waitForState(home, id, "processing");
  const stop = await home.run(["worker", "stop", "--timeout", "0", "--json"]);
  assert.equal(stop.code, 1, stop.stderr);
  const result = JSON.parse(stop.stdout) as { stopped: number[]; remaining: number[] };
  assert.equal(result.stopped.length, 1);
  assert.equal(result.remaining.length, 1);
  await home.ok("worker", "stop", "--now");
});

Deno.test("worker stop --timeout 0 with only idle workers exits 0", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--count", "2");
  const stop = await home.run(["worker", "stop", "--timeout", "0"]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /^Stopped 2 workers: pid \d+, \d+\n$/);
  assert.deepEqual(await home.json("worker", "list"), []);
});

Deno.test("worker stop again after --timeout gave up still waits for the job", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("while [ ! -e release ]; do sleep 0.05; done; echo finished");
  await home.ok("worker", "start");
  await waitForState(home, id, "processing");
  // Each plain stop once sent SIGTERM; to a stopping worker a second signal means --now.
  for (let round = 0; round < 2; round++) {
    const stop = await home.run(["worker", "stop", "--timeout", "300ms"]);
    assert.equal(stop.code, 1, stop.stderr);
    assert.equal((await home.job(id)).state, "processing");
  }
  await Deno.writeTextFile(`${home.path}/release`, "");
  const stop = await home.run(["worker", "stop"]);
  assert.equal(stop.code, 0, stop.stderr);
  const job = await home.job(id);
  assert.equal(job.state, "completed");
  assert.equal(job.attempts, 1);
  assert.doesNotMatch(await home.ok("logs", id), /--now/);
});

Deno.test("a worker that saw a graceful stop at its heartbeat stays graceful on SIGTERM", async () => {
  // Heartbeats every ~330 ms, so that the request is seen soon.
  await using home = await TestHome.create({ lease_seconds: "1" });
  const id = await home.enqueue("while [ ! -e release ]; do sleep 0.05; done; echo finished");
  const [pid] = await home.json<number[]>("worker", "start");
  await waitForState(home, id, "processing");
  // A stop request without a signal, then the signal, as when the heartbeat comes between the
  // two steps of one `worker stop`.
  const store = new SqliteStore(homeLayout(home.path).database);
  try {
    await store.requestStop((await store.listWorkers()).map((worker) => worker.id), "graceful");
  } finally {
    store.close();
  }
  const log = `${home.path}/workers/worker-${pid}.log`;
  await waitFor("the worker to see the stop request", async () => {
    return (await Deno.readTextFile(log)).includes("stopping: waiting for 1 running job(s)");
  });
  Deno.kill(pid!, "SIGTERM");
  await Deno.writeTextFile(`${home.path}/release`, "");
  const stop = await home.run(["worker", "stop"]);
  assert.equal(stop.code, 0, stop.stderr);
  const job = await home.job(id);
  assert.equal(job.state, "completed");
  assert.doesNotMatch(await Deno.readTextFile(log), /stopping now/);
});

Deno.test("worker list and status show running workers and their current job", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("sleep 10");
  const pids = await home.json<number[]>("worker", "start", "--count", "2");
  await waitForState(home, id, "processing");
  const workers = await home.json<{ pid: number; current_jobs: string[] }[]>("worker", "list");
  assert.deepEqual(workers.map((worker) => worker.pid).sort(), [...pids].sort());
  assert.deepEqual(workers.flatMap((worker) => worker.current_jobs), [id]);
  const status = await home.json<StatusJson>("status");
  assert.equal(status.jobs.processing, 1);
  assert.equal(status.workers.length, 2);
  assert.match(
    await home.ok("worker", "list"),
    /PID\s+STARTED\s+HEARTBEAT\s+QUEUES\s+BUSY\s+STATUS\s+JOBS/,
  );
});

Deno.test("worker list shows a stopping worker that still runs a job as stopping", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("while [ ! -e release ]; do sleep 0.05; done");
  const [pid] = await home.json<number[]>("worker", "start", "--concurrency", "3");
  await waitForState(home, id, "processing");
  Deno.kill(pid!, "SIGTERM");
  await waitFor("the worker to record its stop", async () => {
    const [listed] = await home.json<{ stopping: boolean }[]>("worker", "list");
    return listed?.stopping;
  });
  const row = (await home.ok("worker", "list")).split("\n")[1]!;
  assert.match(row, new RegExp(`^${pid} .* 1/3 +stopping +${id}$`));
  await Deno.writeTextFile(`${home.path}/release`, "");
});

Deno.test("a worker started from inside a job does not carry the job's markers", {
  ignore: Deno.build.os !== "linux",
}, async () => {
  await using home = await TestHome.create({}, {
    env: { QUEUECTL_JOB_ID: "outer-job", QUEUECTL_ATTEMPT: "1", MARKER_KEPT: "yes" },
  });
  const [pid] = await home.json<number[]>("worker", "start");
  const environment = new TextDecoder().decode(await Deno.readFile(`/proc/${pid}/environ`))
    .split("\0");
  assert.ok(environment.includes("MARKER_KEPT=yes"), "the caller's environment is kept");
  assert.deepEqual(environment.filter((entry) => entry.startsWith("QUEUECTL_JOB_ID=")), []);
  assert.deepEqual(environment.filter((entry) => entry.startsWith("QUEUECTL_ATTEMPT=")), []);
});

Deno.test("a worker that cannot listen for wake-ups polls often and says so", async () => {
  await using home = await TestHome.create();
  // A data directory whose socket path exceeds the 108 bytes a Unix socket address holds.
  const deep = { QUEUECTL_HOME: `${home.path}/${"d".repeat(110)}` };
  const run = async (...args: string[]) => {
    const result = await home.run(args, { env: deep });
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  await run("config", "set", "poll_interval_ms", "60000");
  await run("worker", "start");
  try {
    await run("enqueue", "--id", "polled", "true");
    await waitFor("the job, through the short poll", async () => {
      const show = JSON.parse(await run("show", "polled", "--json")) as JobJson;
      return show.state === "completed";
    }, 15_000);
    const logs = [...Deno.readDirSync(`${deep.QUEUECTL_HOME}/workers`)]
      .filter((entry) => entry.name.endsWith(".log"))
      .map((entry) => Deno.readTextFileSync(`${deep.QUEUECTL_HOME}/workers/${entry.name}`));
    assert.match(logs.join(""), /cannot listen on .* for wake-ups; polling every 500 ms/);
  } finally {
    await run("worker", "stop", "--now");
  }
});

Deno.test("a retry wakes an idle worker when the worker that failed it is busy", async () => {
  // A one-minute poll and a 100 s heartbeat: only the wake-up can start the retry in time.
  await using home = await TestHome.create({
    poll_interval_ms: "60000",
    lease_seconds: "300",
    backoff_unit: "1s",
  });
  const gate = (name: string) => `${home.path}/${name}`;
  const waitForGate = (name: string) => `while [ ! -f ${gate(name)} ]; do sleep 0.05; done`;
  await home.ok("worker", "start", "--queue", "a,b");
  await home.enqueue(
    "--id",
    "flaky",
    "--queue",
    "a",
    "--max-retries",
    "1",
    `${waitForGate("fail")}; [ -f ${gate("failed-once")} ] || { touch ${
      gate("failed-once")
    }; exit 1; }`,
  );
  await waitForState(home, "flaky", "processing");
  // The second worker serves only queue a: it cannot take the long job of queue b.
  await home.ok("worker", "start", "--queue", "a");
  await home.enqueue("--id", "long", "--queue", "b", waitForGate("end"));
  try {
    await Deno.writeTextFile(gate("fail"), "");
    // The first worker records the failure and claims "long" in the same transaction.
    await waitForState(home, "long", "processing");
    await waitForState(home, "flaky", "completed", 15_000);
  } finally {
    await Deno.writeTextFile(gate("end"), "");
  }
});

Deno.test("worker start --queue serves each queue once, as worker list shows", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--queue", "a,a,b,a");
  const [worker] = await home.json<{ queues: string[] }[]>("worker", "list");
  assert.deepEqual(worker?.queues, ["a", "b"]);
  await home.ok("worker", "stop");
});
