import assert from "node:assert/strict";
import {
  type JobLauncher,
  jobLauncher,
  type JobProcess,
  type JobProcessSpec,
  startJobProcess,
} from "../../src/worker/job_process.ts";
import { loadLibc } from "../../src/worker/libc.ts";
import { startTimeInThisBoot } from "../../src/worker/process_info.ts";
import { waitFor } from "../helpers/cli.ts";

const HEADER = "=== attempt 1 of 1 · 2026-11-24T01:45:50.870Z · worker test:1 ===";
const libc = loadLibc();
const setsid = ["/usr/bin/setsid", "/bin/setsid"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/** Every way a job can start on this system: the preferred one and each fallback. */
const LAUNCHERS: { name: string; how: JobLauncher | null }[] = [
  { name: "posix_spawn", how: libc ? { kind: "posix_spawn", libc } : null },
  { name: "setsid(1)", how: setsid ? { kind: "setsid", path: setsid } : null },
  { name: "detached", how: Deno.build.os === "windows" ? null : { kind: "detached" } },
];

async function withLogDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-job-process-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function spec(dir: string, command: string, fields: Partial<JobProcessSpec> = {}): JobProcessSpec {
  return { command, cwd: dir, logPath: `${dir}/job.log`, header: () => HEADER, env: {}, ...fields };
}

function started(dir: string, command: string, how: JobLauncher): JobProcess {
  const start = startJobProcess(spec(dir, command, { env: { JOB_VAR: "from the job" } }), how);
  if ("failure" in start) throw new Error(`expected a start, got: ${start.failure}`);
  return start.process;
}

for (const { name, how } of LAUNCHERS) {
  Deno.test({
    name: `${name}: the command runs in its own session with the header, output and env in the log`,
    ignore: how === null,
    async fn() {
      await withLogDir(async (dir) => {
        const command = 'echo "$JOB_VAR" "${HOME:+worker env}"; echo err >&2; exec sleep 60';
        const job = started(dir, command, how!);
        const log = `${HEADER}\nfrom the job worker env\nerr\n`;
        await waitFor("the output", () => Deno.readTextFileSync(`${dir}/job.log`) === log);
        const stat = Deno.readTextFileSync(`/proc/${job.pid}/stat`);
        const [, , pgrp, session, , , , , , , , , , , , , , , , startTime] = stat
          .slice(stat.lastIndexOf(")") + 2).split(" ");
        assert.deepEqual([Number(pgrp), Number(session)], [job.pid, job.pid]);
        assert.equal(job.startTime, startTimeInThisBoot(startTime!));
        Deno.kill(-job.pid, "SIGTERM");
        const status = await job.status;
        assert.deepEqual([status.code, status.signal], [143, "SIGTERM"]);
      });
    },
  });

  Deno.test({
    name:
      `${name}: the exit code comes back; a missing directory is a start failure after the header`,
    ignore: how === null,
    async fn() {
      await withLogDir(async (dir) => {
        const status = await started(dir, "exit 4", how!).status;
        assert.deepEqual([status.code, status.signal], [4, null]);
        const missing = startJobProcess(spec(dir, "true", { cwd: `${dir}/gone` }), how!);
        assert.match(
          "failure" in missing ? missing.failure : "",
          /^Failed to spawn '\/.*': No such/,
        );
        assert.equal(Deno.readTextFileSync(`${dir}/job.log`), `${HEADER}\n${HEADER}\n`);
      });
    },
  });

  Deno.test({
    name: `${name}: a job killed by a realtime signal reports its number`,
    ignore: how === null,
    async fn() {
      await withLogDir(async (dir) => {
        const status = await started(dir, "kill -35 $$", how!).status;
        assert.deepEqual([status.code, status.signal], [163, "signal 35"]);
      });
    },
  });
}

Deno.test({
  name: "jobLauncher() prefers posix_spawn on Linux with glibc and FFI allowed",
  ignore: libc === null,
  fn() {
    assert.equal(jobLauncher().kind, "posix_spawn");
  },
});
