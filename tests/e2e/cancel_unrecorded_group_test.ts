import assert from "node:assert/strict";
import { formatAttemptHeader } from "../../src/core/attempt_log.ts";
import { homeLayout, jobLogPath } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { startJobProcess } from "../../src/worker/job_process.ts";
import { leaseFrom } from "../../src/worker/lease_clock.ts";
import { signalGroup } from "../../src/worker/process_group.ts";
import { hostName } from "../../src/worker/process_info.ts";
import { processRuns, TestHome, waitFor } from "../helpers/cli.ts";

/** The pid of a process that has exited: a worker that is gone. */
async function exitedPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/**
 * Job "J" claimed by a worker of this host that started its command and died before recording
 * the command's process group: processing, no group recorded, its lease not yet expired.
 * Returns the command's process group.
 */
async function startedByGoneWorker(home: TestHome): Promise<number> {
  await home.enqueue("--id", "J", "sleep 60");
  const layout = homeLayout(home.path);
  const store = new SqliteStore(layout.database);
  try {
    const now = Date.now();
    const worker = await store.registerWorker({
      host: hostName(),
      pid: await exitedPid(),
      procStart: null,
      queues: null,
      concurrency: 1,
      wakeSocket: null,
      burst: false,
    }, now);
    const job = await store.claimNextJob({ worker, now, lease: leaseFrom(now, null, 600_000) });
    assert.equal(job?.id, "J");
    const started = startJobProcess({
      command: job!.command,
      cwd: job!.cwd,
      logPath: jobLogPath(layout, "J"),
      header: (newlineAdded) =>
        formatAttemptHeader("J", {
          attempt: 1,
          of: 4,
          startedAt: now,
          worker: "gone",
          newlineAdded,
        }),
      env: { QUEUECTL_JOB_ID: "J", QUEUECTL_ATTEMPT: String(job!.attempts) },
    });
    assert.ok("process" in started);
    return started.process.pid;
  } finally {
    store.close();
  }
}

Deno.test({
  name: "cancel kills a running job's command whose process group its lost worker never recorded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using home = await TestHome.create({ kill_grace: "200ms" });
    const pgid = await startedByGoneWorker(home);
    try {
      assert.equal((await home.job("J")).state, "processing");
      assert.match(await home.ok("cancel", "J"), /Cancelled 1 job: J/);
      await waitFor("the command to be killed", () => !processRuns(pgid));
      assert.equal((await home.job("J")).state, "cancelled");
    } finally {
      signalGroup(pgid, "SIGKILL");
    }
  },
});
