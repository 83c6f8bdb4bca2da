import assert from "node:assert/strict";
import { loadLibc } from "../../src/worker/libc.ts";
import { processStartTime } from "../../src/worker/process_info.ts";
import {
  type SessionSpawnRequest,
  spawnInNewSession,
  waitForExit,
} from "../../src/worker/session_spawn.ts";
import { processesInGroup, waitFor } from "../helpers/cli.ts";

const libc = loadLibc();
/** The binding exists on Linux with glibc (x86_64, aarch64); elsewhere these tests are moot. */
const ignore = libc === null;

/** A temporary directory with a log file path in it, removed on dispose. */
class TempDir implements AsyncDisposable {
  private constructor(readonly path: string) {}

  static async create(): Promise<TempDir> {
    return new TempDir(await Deno.makeTempDir({ prefix: "queuectl-spawn-" }));
  }

  get log(): string {
    return `${this.path}/job.log`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Deno.remove(this.path, { recursive: true });
  }
}

function shell(dir: TempDir, command: string, fields: Partial<SessionSpawnRequest> = {}) {
  return {
    program: "/bin/sh",
    args: ["sh", "-c", command],
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    cwd: dir.path,
    outputPath: dir.log,
    ...fields,
  };
}

function spawned(request: SessionSpawnRequest): number {
  const result = spawnInNewSession(libc!, request);
  if ("error" in result) throw new Error(`expected a start, got: ${result.error}`);
  return result.pid;
}

/** Fields 3–6 of /proc/<pid>/stat: state, parent, process group, session. */
function statOf(pid: number): { state: string; ppid: number; pgrp: number; session: number } {
  const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const [state, ppid, pgrp, session] = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: state!, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) };
}

Deno.test({
  name: "spawnInNewSession() starts the program as leader of a new session and process group",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    const pid = spawned(shell(dir, "echo ready; exec sleep 60"));
    await waitFor("the job to be ready", () => Deno.readTextFileSync(dir.log) === "ready\n");
    const stat = statOf(pid);
    assert.equal(stat.pgrp, pid);
    assert.equal(stat.session, pid);
    assert.equal(stat.ppid, Deno.pid);
    assert.notEqual(statOf(Deno.pid).session, pid);
    Deno.kill(-pid, "SIGTERM");
    assert.deepEqual(await waitForExit(libc!, pid), { code: 143, signal: "SIGTERM" });
  },
});

Deno.test({
  name: "spawnInNewSession() gives the start time /proc shows for the child, when it knows it",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    let known = 0;
    // Ten spawns, and more while none knew it: on a loaded machine many cross a tick.
    for (let i = 0; i < 10 || (known === 0 && i < 200); i++) {
      const result = spawnInNewSession(libc!, shell(dir, "exec sleep 60"));
      if ("error" in result) throw new Error(result.error);
      // Null only when the spawn crossed a 10 ms tick; /proc is read instead then.
      if (result.startTime !== null) known++;
      const fromProc = processStartTime(result.pid);
      Deno.kill(-result.pid, "SIGKILL");
      await waitForExit(libc!, result.pid);
      if (result.startTime !== null) assert.equal(result.startTime, fromProc);
    }
    assert.ok(known > 0, "no spawn knew its start time");
  },
});

Deno.test({
  name: "killing the process group reaches the job's background children",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    const pid = spawned(shell(dir, "sleep 60 & echo $!; wait"));
    const child = await waitFor("the background pid", () => {
      const text = Deno.readTextFileSync(dir.log).trim();
      return text !== "" && Number(text);
    });
    assert.ok(processesInGroup(pid).includes(child));
    Deno.kill(-pid, "SIGKILL");
    assert.deepEqual(await waitForExit(libc!, pid), { code: 137, signal: "SIGKILL" });
    await waitFor("the group to be gone", () => processesInGroup(pid).length === 0);
  },
});

Deno.test({
  name: "waitForExit() reports exit codes and signals the way Deno.CommandStatus does",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    for (
      const [command, expected] of [
        ["true", { code: 0, signal: null }],
        ["exit 3", { code: 3, signal: null }],
        ["exit 300", { code: 44, signal: null }],
        ["kill -KILL $$", { code: 137, signal: "SIGKILL" }],
        ["kill -SEGV $$", { code: 139, signal: "SIGSEGV" }],
        ["kill -35 $$", { code: 163, signal: "signal 35" }],
      ] as const
    ) {
      assert.deepEqual(await waitForExit(libc!, spawned(shell(dir, command))), expected, command);
    }
  },
});

Deno.test({
  name: "the child runs in the given directory with exactly the given environment",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    const env = { GREETING: "hello, 'world' é", EMPTY: "" };
    const pid = spawned(shell(dir, "pwd; /usr/bin/env | sort", { env }));
    assert.deepEqual(await waitForExit(libc!, pid), { code: 0, signal: null });
    const cwd = Deno.realPathSync(dir.path);
    // The shell adds PWD (dash does so for every shell started without it).
    assert.equal(
      Deno.readTextFileSync(dir.log),
      `${cwd}\nEMPTY=\nGREETING=hello, 'world' é\nPWD=${cwd}\n`,
    );
  },
});

Deno.test({
  name: "stdin is /dev/null; stdout and stderr are appended to the output file",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    Deno.writeTextFileSync(dir.log, "before\n");
    const command = "readlink /proc/$$/fd/0; cat; echo out; echo err >&2";
    const pid = spawned(shell(dir, command));
    assert.deepEqual(await waitForExit(libc!, pid), { code: 0, signal: null });
    assert.equal(Deno.readTextFileSync(dir.log), "before\n/dev/null\nout\nerr\n");
  },
});

Deno.test({
  name: "the child gets SIGPIPE back at its default and no signal blocked, as with Deno.Command",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    // grep reads its own masks, which exec kept: the shell's own mask while it waits for a child
    // is all blocked for a moment (dash blocks every signal around its wait).
    const pid = spawned(shell(dir, "exec grep -E '^Sig(Ign|Blk)' /proc/self/status"));
    assert.deepEqual(await waitForExit(libc!, pid), { code: 0, signal: null });
    const masks = Object.fromEntries(
      Deno.readTextFileSync(dir.log).trim().split("\n").map((line) => line.split(/:\s+/)),
    );
    const SIGPIPE_BIT = 1n << 12n;
    assert.equal(BigInt(`0x${masks.SigIgn}`) & SIGPIPE_BIT, 0n);
    assert.equal(BigInt(`0x${masks.SigBlk}`), 0n);
    // `yes` dies of SIGPIPE rather than failing on EPIPE.
    const pipe = spawned(shell(dir, "yes | head -c 2 >/dev/null; kill -0 $$"));
    assert.deepEqual(await waitForExit(libc!, pipe), { code: 0, signal: null });
  },
});

Deno.test({
  name: "the child inherits no more open files than a Deno.Command child",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    // ls itself, with nothing else started: a shell pipeline would show its pipes' fds.
    const list = "exec ls /proc/self/fd";
    const pid = spawned(shell(dir, list));
    assert.deepEqual(await waitForExit(libc!, pid), { code: 0, signal: null });
    const viaDeno = await new Deno.Command("/bin/sh", {
      args: ["-c", list],
      stdin: "null",
      stdout: "piped",
    }).output();
    assert.equal(Deno.readTextFileSync(dir.log), new TextDecoder().decode(viaDeno.stdout));
  },
});

Deno.test({
  name: "Deno's own reaping of its children never takes our child's exit status",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    const pids = [7, 8, 9].map((code) => spawned(shell(dir, `exit ${code}`)));
    // Our children exit while Deno waits for (and reaps) its own.
    await Promise.all(
      Array.from(
        { length: 6 },
        () => new Deno.Command("/bin/sh", { args: ["-c", "exit 1"] }).output(),
      ),
    );
    await waitFor(
      "our children to be zombies",
      () => pids.every((pid) => statOf(pid).state === "Z"),
    );
    const statuses = await Promise.all(pids.map((pid) => waitForExit(libc!, pid)));
    assert.deepEqual(statuses.map((status) => status.code), [7, 8, 9]);
  },
});

Deno.test({
  name: "spawnInNewSession() reports what cannot start as an error value",
  ignore,
  async fn() {
    await using dir = await TempDir.create();
    const missingDir = spawnInNewSession(libc!, shell(dir, "true", { cwd: `${dir.path}/gone` }));
    assert.deepEqual(missingDir, {
      error: "Failed to spawn '/bin/sh': No such file or directory (os error 2)",
      errno: 2,
    });
    const missingProgram = spawnInNewSession(
      libc!,
      shell(dir, "true", { program: `${dir.path}/no-shell` }),
    );
    assert.match("error" in missingProgram ? missingProgram.error : "", /os error 2\)$/);
    const unwritableLog = spawnInNewSession(
      libc!,
      shell(dir, "true", { outputPath: `${dir.path}/gone/job.log` }),
    );
    assert.ok("error" in unwritableLog);
    const nul = spawnInNewSession(libc!, shell(dir, "echo a\0b"));
    assert.deepEqual(nul, {
      error: "the command, its environment or a path contains a NUL byte",
      errno: null,
    });
  },
});
