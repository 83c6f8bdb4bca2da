import assert from "node:assert/strict";
import type { CancelledJob } from "../../src/store/store.ts";
import { killCancelledAttempts } from "../../src/worker/cancel_attempts.ts";
import { startJobProcess } from "../../src/worker/job_process.ts";
import { groupExists, signalGroup } from "../../src/worker/process_group.ts";
import { hostName, processStartTime } from "../../src/worker/process_info.ts";
import { pathExists, processRuns, waitFor } from "../helpers/cli.ts";

/**
 * A command in its own process group, as a job's is, that notes a SIGTERM in `got-term` and
 * lives on until killed.
 */
async function sleepingGroup(dir: string) {
  const started = startJobProcess({
    command: "trap 'echo > got-term' TERM; while :; do sleep 0.02; done",
    cwd: dir,
    logPath: `${dir}/sleep.log`,
    header: () => "sleep",
    env: {},
  });
  assert.ok("process" in started);
  await waitFor("the group's start", () => processStartTime(started.process.pid));
  return started.process;
}

function cancelledRunning(pgid: number, pgidStart: string | null): CancelledJob {
  return {
    id: "J",
    previousState: "processing",
    dependentOf: null,
    attempt: 1,
    pgid,
    pgidStart,
    workerHost: hostName(),
    workerId: 1,
  };
}

Deno.test({
  name: "cancel kills a running job's process group, the one recorded with its start time",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "queuectl-cancel-" });
    const group = await sleepingGroup(dir);
    try {
      await killCancelledAttempts([cancelledRunning(group.pid, processStartTime(group.pid))], 500);
      assert.equal((await group.status).signal, "SIGKILL");
      assert.ok(await pathExists(`${dir}/got-term`));
    } finally {
      signalGroup(group.pid, "SIGKILL");
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "cancel leaves alone a process that took the recorded group's id since",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "queuectl-cancel-" });
    const group = await sleepingGroup(dir);
    try {
      const [ticks, boot] = processStartTime(group.pid)!.split("@");
      const earlier = [String(Number(ticks) - 1), boot].filter(Boolean).join("@");
      const otherBoot = `${ticks}@00000000-0000-0000-0000-000000000000`;
      // With a grace longer than the command takes to note a SIGTERM, had one been sent.
      await killCancelledAttempts(
        [cancelledRunning(group.pid, earlier), cancelledRunning(group.pid, otherBoot)],
        500,
      );
      assert.equal(await pathExists(`${dir}/got-term`), false);
      assert.ok(processRuns(group.pid) && groupExists(group.pid));
    } finally {
      signalGroup(group.pid, "SIGKILL");
      await group.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});
