import assert from "node:assert/strict";
import { TestHome, waitFor, waitForState } from "../helpers/cli.ts";

/** prlimit(1), which changes a running process's limits; null where there is none. */
function prlimitPath(): string | null {
  if (Deno.build.os !== "linux") return null;
  return ["/usr/bin/prlimit", "/bin/prlimit"].find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  }) ?? null;
}

const PRLIMIT = prlimitPath();

/**
 * Lets the process open no file more: its soft limit set to the lowest descriptor it has free,
 * which is the one the next open would take. `null` lifts the limit again.
 */
async function limitOpenFiles(pid: number, limit: "at its fds" | null): Promise<void> {
  let soft = 1024;
  if (limit !== null) {
    const open = new Set(
      [...Deno.readDirSync(`/proc/${pid}/fd`)].map((entry) => Number(entry.name)),
    );
    for (soft = 0; open.has(soft); soft++);
  }
  const result = await new Deno.Command(PRLIMIT!, {
    args: ["--pid", String(pid), `--nofile=${soft}:`],
  }).output();
  assert.ok(result.success, new TextDecoder().decode(result.stderr));
}

Deno.test({
  name:
    "a command that cannot start for want of the worker's open files goes back uncounted, and runs once it can",
  ignore: PRLIMIT === null,
  fn: async () => {
    // No poll and no heartbeat within the test: only wake-ups and the shortage's pause act.
    await using home = await TestHome.create({
      max_retries: "0",
      poll_interval_ms: "60000",
      lease_seconds: "300",
    });
    await home.ok("worker", "start");
    const [worker] = await home.json<{ pid: number }[]>("worker", "list");
    const workerLog = `${home.path}/workers/worker-${worker!.pid}.log`;
    await limitOpenFiles(worker!.pid, "at its fds");
    const id = await home.enqueue("echo ran");
    // Not the job's failure: given back to pending (its record changed), its attempt not
    // counted; with max_retries 0 it was dead at the first try.
    const held = await waitFor("the job to be tried and given back", async () => {
      const job = await home.job(id);
      return job.state === "pending" && job.updated_at !== job.created_at && job;
    });
    assert.equal(held.attempts, 0);
    // Said in the worker's log, which it could not open again: before the job went back.
    assert.match(
      await Deno.readTextFile(workerLog),
      /cannot start jobs: .*Too many open files.*; giving them back/,
    );
    await limitOpenFiles(worker!.pid, null);
    const done = await waitForState(home, id, "completed", 40_000);
    assert.equal(done.attempts, 1);
    assert.match(await home.ok("logs", id), /^ran$/m);
    assert.match(await Deno.readTextFile(workerLog), /jobs start again/);
    // Woken as before: the failed accepts left its socket listening.
    const next = await home.enqueue("echo again");
    await waitForState(home, next, "completed", 20_000);
  },
});

Deno.test({
  name: "a worker out of open files does not take the other workers for dead",
  ignore: PRLIMIT === null,
  fn: async () => {
    // Heartbeats each second, each judging which workers are alive.
    await using home = await TestHome.create({ lease_seconds: "3" });
    const release = `${home.path}/release`;
    const id = await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done`);
    await home.ok("worker", "start");
    await waitForState(home, id, "processing");
    await home.ok("worker", "start");
    type Worker = { id: number; pid: number; last_heartbeat_at: string };
    const workers = () => home.json<Worker[]>("worker", "list");
    const [busy, short] = await workers();
    await limitOpenFiles(short!.pid, "at its fds");
    // Two heartbeats of the limited worker: /proc unreadable to it, the other is not lost.
    const beats = new Set<string>();
    await waitFor("two heartbeats of the worker out of open files", async () => {
      const heartbeat = (await workers()).find((worker) => worker.id === short!.id);
      if (heartbeat) beats.add(heartbeat.last_heartbeat_at);
      return beats.size > 2;
    });
    await limitOpenFiles(short!.pid, null);
    assert.deepEqual((await workers()).map((worker) => worker.pid), [busy!.pid, short!.pid]);
    await Deno.writeTextFile(release, "");
    const done = await waitForState(home, id, "completed");
    assert.equal(done.attempts, 1);
  },
});
