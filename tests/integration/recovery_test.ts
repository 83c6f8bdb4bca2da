import assert from "node:assert/strict";
import { homeLayout } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { startJobProcess } from "../../src/worker/job_process.ts";
import { signalGroup } from "../../src/worker/process_group.ts";
import {
  isProcessAlive,
  processGroupsWithEnvironment,
  processStartTime,
} from "../../src/worker/process_info.ts";
import { recoverLostAttempts } from "../../src/worker/recovery.ts";
import { processRuns, waitFor } from "../helpers/cli.ts";
import { newJobFixture } from "../helpers/fixtures.ts";

const LEASE_MS = 1000;
const HOST = "recovery-test-host";

/** The pid of a process that has exited: a worker that is gone. */
async function exitedPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** Job "J", claimed by a worker of this host that is gone: its lease expires at now + LEASE_MS. */
async function claimedByGoneWorker(store: SqliteStore, home: string, now: number) {
  await store.enqueueJob(newJobFixture(now, { id: "J", cwd: home }), now);
  const worker = await store.registerWorker({
    host: HOST,
    pid: await exitedPid(),
    procStart: null,
    queues: null,
    concurrency: 1,
    wakeSocket: null,
    burst: false,
  }, now);
  const job = await store.claimNextJob({ worker, now, leaseMs: LEASE_MS });
  assert.equal(job?.id, "J");
  return { worker, job: job! };
}

Deno.test({
  name: "recovery kills a lost attempt's command whose process group was never recorded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "queuectl-recovery-" });
    const layout = homeLayout(home);
    await Deno.mkdir(layout.logs);
    const store = new SqliteStore(layout.database);
    let orphan: number | null = null;
    try {
      const now = Date.now();
      const { worker, job } = await claimedByGoneWorker(store, home, now);
      // The worker started the command, then died before recording its process group.
      const started = startJobProcess({
        command: "sleep 60",
        cwd: home,
        logPath: `${layout.logs}/J.log`,
        header: () => "=== attempt 1 ===",
        env: { QUEUECTL_JOB_ID: "J", QUEUECTL_ATTEMPT: String(job.attempts) },
      });
      assert.ok("process" in started);
      orphan = started.process.pid;
      // Another attempt of the same job, and another job, are not the lost attempt's.
      assert.deepEqual(
        processGroupsWithEnvironment(["QUEUECTL_JOB_ID=J", "QUEUECTL_ATTEMPT=2"]),
        [],
      );
      assert.deepEqual(
        processGroupsWithEnvironment(["QUEUECTL_JOB_ID=K", "QUEUECTL_ATTEMPT=1"]),
        [],
      );

      const lines = await recoverLostAttempts(store, {
        now: now + 2 * LEASE_MS,
        host: HOST,
        self: worker.id + 1,
        leaseMs: LEASE_MS,
        backoff: { base: 2, unitMs: 1000, maxMs: 60_000 },
        layout,
      });
      assert.equal(lines.length, 1);
      await waitFor("the orphaned command to be killed", () => !processRuns(started.process.pid));
      const status = await started.process.status;
      assert.equal(status.signal, "SIGKILL");
      orphan = null;
      assert.equal((await store.getJob("J"))?.state, "failed");
    } finally {
      if (orphan !== null) {
        signalGroup(orphan, "SIGKILL");
        await waitFor("the orphan to end", () => !processRuns(orphan!));
      }
      store.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "a start time names its boot: one of another boot names no process now",
  ignore: Deno.build.os !== "linux",
  fn: () => {
    const boot = Deno.readTextFileSync("/proc/sys/kernel/random/boot_id").trim();
    const mine = processStartTime(Deno.pid)!;
    const [ticks] = mine.split("@");
    assert.equal(mine, `${ticks}@${boot}`);
    assert.equal(isProcessAlive(Deno.pid, mine), true);
    // Stored before start times named their boot.
    assert.equal(isProcessAlive(Deno.pid, ticks!), true);
    assert.equal(isProcessAlive(Deno.pid, `${ticks}@00000000-0000-0000-0000-000000000000`), false);
  },
});

Deno.test({
  name: "recovery leaves alone a process group of the same id as a lost attempt's of another boot",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "queuectl-recovery-" });
    const layout = homeLayout(home);
    await Deno.mkdir(layout.logs);
    const store = new SqliteStore(layout.database);
    // A group whose leader has exited: what an attempt's leftovers look like, and what an
    // unrelated group with the same id looks like after a reboot.
    const started = startJobProcess({
      command: "sleep 60 & exit 0",
      cwd: home,
      logPath: `${home}/other.log`,
      header: () => "other",
      env: {},
    });
    assert.ok("process" in started);
    const pgid = started.process.pid;
    try {
      await started.process.status;
      const now = Date.now();
      const { worker, job } = await claimedByGoneWorker(store, home, now);
      const ticks = processStartTime(pgid) ?? "0";
      const ref = { jobId: "J", attempt: job.attempts, workerId: worker.id };
      const before = `${ticks.split("@")[0]}@00000000-0000-0000-0000-000000000000`;
      assert.equal(await store.recordAttemptProcess(ref, pgid, before), true);

      await recoverLostAttempts(store, {
        now: now + 2 * LEASE_MS,
        host: HOST,
        self: worker.id + 1,
        leaseMs: LEASE_MS,
        backoff: { base: 2, unitMs: 1000, maxMs: 60_000 },
        layout,
      });
      assert.equal((await store.getJob("J"))?.state, "failed");
      assert.equal(signalGroup(pgid, "SIGCONT"), true, "the group was killed");
    } finally {
      signalGroup(pgid, "SIGKILL");
      store.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});
