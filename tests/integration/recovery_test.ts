import assert from "node:assert/strict";
import { homeLayout } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { startJobProcess } from "../../src/worker/job_process.ts";
import { leaseFrom, monotonicNowMs } from "../../src/worker/lease_clock.ts";
import { signalGroup } from "../../src/worker/process_group.ts";
import {
  isProcessAlive,
  processGroupsWithEnvironment,
  processStartTime,
} from "../../src/worker/process_info.ts";
import { recoverLostAttempts } from "../../src/worker/recovery.ts";
import { wakeSocketPath } from "../../src/worker/wake_socket_path.ts";
import { pathExists, processRuns, waitFor } from "../helpers/cli.ts";
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
  const job = await store.claimNextJob({ worker, now, lease: leaseFrom(now, null, LEASE_MS) });
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
        monotonicNow: monotonicNowMs(),
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
        monotonicNow: monotonicNowMs(),
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

/** Job "J", claimed at `now` with both leases by a worker of `host` with process `pid`. */
async function claimedWithLeases(
  store: SqliteStore,
  home: string,
  { now, host, pid }: { now: number; host: string; pid: number },
): Promise<void> {
  await store.enqueueJob(newJobFixture(now, { id: "J", cwd: home }), now);
  const worker = await store.registerWorker({
    host,
    pid,
    procStart: processStartTime(pid),
    queues: null,
    concurrency: 1,
    wakeSocket: null,
    burst: false,
  }, now);
  const lease = leaseFrom(now, MONOTONIC_AT_CLAIM, LEASE_MS);
  assert.equal((await store.claimNextJob({ worker, now, lease }))?.id, "J");
}

/** What recoverLostAttempts recovers, asked as another worker of HOST at these two clocks. */
function recoverAt(store: SqliteStore, home: string, now: number, monotonicNow: number | null) {
  return recoverLostAttempts(store, {
    now,
    host: HOST,
    self: null,
    leaseMs: LEASE_MS,
    backoff: { base: 2, unitMs: 1000, maxMs: 60_000 },
    layout: homeLayout(home),
    monotonicNow,
  });
}

/** A test of recovery in a temporary home, at the time `now`. */
function recoveryTest(
  name: string,
  fn: (store: SqliteStore, home: string, now: number) => Promise<void>,
): void {
  Deno.test({
    name,
    // The host's monotonic clock is read through glibc (lease_clock.ts).
    ignore: Deno.build.os !== "linux",
    fn: async () => {
      const home = await Deno.makeTempDir({ prefix: "queuectl-recovery-" });
      await Deno.mkdir(homeLayout(home).logs);
      const store = new SqliteStore(homeLayout(home).database);
      try {
        await fn(store, home, Date.now());
      } finally {
        store.close();
        await Deno.remove(home, { recursive: true });
      }
    },
  });
}

const AN_HOUR = 3_600_000;
const MONOTONIC_AT_CLAIM = 5_000_000;
const RECOVERED = ["recovered job J attempt 1: failed"];

recoveryTest(
  "a live worker's attempt whose lease ran out by the wall clock only (a suspend, a clock step) is not recovered",
  async (store, home, now) => {
    await claimedWithLeases(store, home, { now, host: HOST, pid: Deno.pid });
    const woken = now + AN_HOUR;
    assert.deepEqual(await recoverAt(store, home, woken, MONOTONIC_AT_CLAIM + LEASE_MS - 1), []);
    assert.equal((await store.getJob("J"))?.state, "processing");
    // Where the monotonic clock cannot be read, the wall clock alone decides, as before.
    assert.deepEqual(await recoverAt(store, home, woken, null), RECOVERED);
  },
);

recoveryTest(
  "a live worker's attempt whose lease ran out by the monotonic clock too (a stall) is recovered",
  async (store, home, now) => {
    await claimedWithLeases(store, home, { now, host: HOST, pid: Deno.pid });
    // Not before the wall clock says so either.
    const stalled = MONOTONIC_AT_CLAIM + 2 * LEASE_MS;
    assert.deepEqual(await recoverAt(store, home, now + LEASE_MS - 1, stalled), []);
    assert.deepEqual(await recoverAt(store, home, now + LEASE_MS, stalled), RECOVERED);
  },
);

recoveryTest(
  "another host's attempt is recovered by the wall clock: its monotonic clock is not ours",
  async (store, home, now) => {
    await claimedWithLeases(store, home, { now, host: "another-host", pid: Deno.pid });
    assert.deepEqual(await recoverAt(store, home, now + LEASE_MS, MONOTONIC_AT_CLAIM), RECOVERED);
  },
);

recoveryTest(
  "a dead worker's attempt is recovered at once, whatever its lease by the monotonic clock",
  async (store, home, now) => {
    await claimedWithLeases(store, home, { now, host: HOST, pid: await exitedPid() });
    // Its row removed, nothing shows the monotonic lease to be of this boot: the wall decides.
    assert.deepEqual(await recoverAt(store, home, now + 1, MONOTONIC_AT_CLAIM + 1), RECOVERED);
  },
);

recoveryTest(
  "another host's worker lost by its heartbeat leaves no wake-up socket once its row is removed",
  async (store, home, now) => {
    // A home shared over a network filesystem: the socket the other host's worker made here.
    const workers = homeLayout(home).workers;
    await Deno.mkdir(workers);
    const socket = wakeSocketPath(workers, 4242, "another-host");
    // Open throughout: closing a listener removes its socket, as a worker's clean exit does.
    const listener = Deno.listen({ transport: "unix", path: socket });
    try {
      await store.registerWorker({
        host: "another-host",
        pid: 4242,
        procStart: null,
        queues: null,
        concurrency: 1,
        wakeSocket: socket,
        burst: false,
      }, now);
      await recoverAt(store, home, now + LEASE_MS, null);
      assert.equal(await pathExists(socket), true, "not lost yet");
      await recoverAt(store, home, now + LEASE_MS + 1, null);
      assert.deepEqual(await store.listWorkers(), []);
      assert.equal(await pathExists(socket), false);
    } finally {
      listener.close();
    }
  },
);
