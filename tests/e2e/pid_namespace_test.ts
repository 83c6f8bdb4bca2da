import assert from "node:assert/strict";
import { pathExists, TestHome, waitFor, waitForState } from "../helpers/cli.ts";
import { readProcessStat } from "../../src/worker/process_info.ts";

/**
 * Whether this test can make a PID namespace: root on Linux with util-linux's unshare, as in a
 * container runtime. Elsewhere (an unprivileged CI user) the test is skipped.
 */
function canUnsharePids(): boolean {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  try {
    return new Deno.Command("unshare", {
      args: ["--pid", "--fork", "--mount-proc", "true"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/**
 * `worker run` as the first process of a new PID namespace, as a container's entrypoint is: the
 * same machine name and data directory, and pids of its own. Stopped (by `worker stop`) and
 * waited for when `test` ends.
 */
async function withWorkerInPidNamespace(
  home: TestHome,
  test: (container: Deno.ChildProcess) => Promise<void>,
): Promise<void> {
  const [command, ...args] = home.command;
  const container = new Deno.Command("unshare", {
    args: ["--pid", "--fork", "--mount-proc", command!, ...args, "worker", "run"],
    cwd: home.path,
    env: home.env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await test(container);
  } finally {
    await home.run(["worker", "stop", "--timeout", "10s"]);
    await waitFor("the worker in the namespace to exit", async () => {
      const status = await Promise.race([
        container.status,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
      ]);
      return status !== null;
    }, 15_000).catch(() => container.kill("SIGKILL"));
    await container.status;
  }
}

/** The processes whose parent is `pid`, seen from here, with their states. */
function childrenOf(pid: number): { pid: number; state: string }[] {
  const children: { pid: number; state: string }[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    const child = Number(entry.name);
    const stat = Number.isInteger(child) ? readProcessStat(child) : null;
    if (stat?.ppid === pid) children.push({ pid: child, state: stat.state });
  }
  return children;
}

Deno.test({
  name:
    "a worker in another PID namespace of this machine (a container) is not judged by this namespace's pids",
  ignore: !canUnsharePids(),
  fn: async () => {
    // A heartbeat every 100 s: within the test, no lease is renewed and no stop request is seen
    // by a heartbeat.
    await using home = await TestHome.create({ lease_seconds: "300" });
    const release = `${home.path}/release`;
    const id = await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done; echo done`);
    await withWorkerInPidNamespace(home, async (container) => {
      await waitForState(home, id, "processing");
      // Judged by this namespace's pid 1, the worker was dead: its row went, and its job with it.
      const workers = await home.json<{ pid: number; host: string }[]>("worker", "list");
      assert.equal(workers.length, 1);
      assert.equal(workers[0]!.pid, 1);
      assert.match(workers[0]!.host, /\/pidns-\d+$/);
      // A worker starting here recovers lost jobs first: this one is not lost.
      await home.ok("worker", "start");
      const during = await home.job(id);
      assert.deepEqual([during.state, during.attempts], ["processing", 1]);
      await Deno.writeTextFile(release, "");
      const done = await waitForState(home, id, "completed");
      assert.equal(done.attempts, 1);
      assert.match(await home.ok("logs", id), /^done$/m);
      // No signal reaches it from here: `worker stop` pokes its socket in the shared directory.
      const stop = await home.ok("worker", "stop", "--timeout", "20s");
      assert.match(stop, /^Stopped 2 workers: pid /);
      assert.ok((await container.status).success);
    });
  },
});

Deno.test({
  name: "a worker that is its PID namespace's first process reaps what its jobs left behind",
  ignore: !canUnsharePids(),
  fn: async () => {
    // Heartbeats each second: each reaps what ended since.
    await using home = await TestHome.create({ lease_seconds: "3" });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push(await home.enqueue(`sleep 0.2 & echo started ${index}`));
    }
    await withWorkerInPidNamespace(home, async (container) => {
      for (const id of ids) await waitForState(home, id, "completed");
      assert.equal((await home.json<{ pid: number }[]>("worker", "list"))[0]?.pid, 1);
      // The worker's pid out here: unshare's child. Orphaned, each `sleep` became its child.
      const worker = await waitFor("the worker's process", () => childrenOf(container.pid)[0]);
      // Ended after 0.2 s, and reaped: no process left, not even a zombie.
      await waitFor(
        "the orphaned processes to end and be reaped",
        () => childrenOf(worker.pid).length === 0,
        10_000,
      );
    });
  },
});

Deno.test({
  name: "cancel of a job running in another PID namespace has its worker kill it at once",
  ignore: !canUnsharePids(),
  fn: async () => {
    // A heartbeat every 100 s: within the test, the worker learns of the cancel only if asked.
    await using home = await TestHome.create({ lease_seconds: "300", kill_grace: "10s" });
    const terminated = `${home.path}/terminated`;
    const id = await home.enqueue(
      `trap 'touch ${terminated}; exit 0' TERM; while true; do sleep 0.05; done`,
    );
    await withWorkerInPidNamespace(home, async () => {
      await waitForState(home, id, "processing");
      await home.ok("cancel", id);
      await waitFor("the command to get its SIGTERM", () => pathExists(terminated), 10_000);
      assert.equal((await home.job(id)).state, "cancelled");
    });
  },
});

Deno.test({
  name: "workers that are each their PID namespace's first process all hear an enqueue's wake-up",
  ignore: !canUnsharePids(),
  fn: async () => {
    // Polled once a minute: within the test, only a wake-up starts a job.
    await using home = await TestHome.create({ lease_seconds: "300", poll_interval_ms: "60000" });
    const release = `${home.path}/release`;
    const registered = (count: number) =>
      waitFor(`${count} workers to be registered`, async () => {
        return (await home.json<unknown[]>("worker", "list")).length === count;
      });
    await withWorkerInPidNamespace(home, async () => {
      await registered(1);
      await withWorkerInPidNamespace(home, async () => {
        await registered(2);
        // Both are pid 1: with one socket name, the second to start removed the first's socket
        // to listen on its own, and the first heard nothing but its poll from then on.
        const ids = [
          await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done`),
          await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done`),
        ];
        for (const id of ids) await waitForState(home, id, "processing");
        await Deno.writeTextFile(release, "");
        for (const id of ids) await waitForState(home, id, "completed");
      });
    });
  },
});
