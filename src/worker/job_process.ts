import { givenEnvironment } from "./given_environment.ts";
import { appendAttemptHeader } from "./job_log.ts";
import { type Libc, loadLibc } from "./libc.ts";
import { processStartTime } from "./process_info.ts";
import { spawnInNewSession, waitForExit } from "./session_spawn.ts";
import { decodeWaitStatus, type ExitStatus } from "./wait_status.ts";
import { isShortageErrno, isShortageError } from "./resource_shortage.ts";

export interface JobProcessSpec {
  readonly command: string;
  readonly cwd: string;
  readonly logPath: string;
  /**
   * The line written to the log before the command's output, given whether a newline was
   * added before it (the log ended without one).
   */
  readonly header: (newlineAdded: boolean) => string;
  /** Added to the worker's environment. */
  readonly env: Readonly<Record<string, string>>;
}

export interface JobProcess {
  /** Also the process group id on POSIX. */
  readonly pid: number;
  readonly startTime: string | null;
  readonly status: Promise<ExitStatus>;
}

/**
 * Why a command could not start; `shortage`: for want of the worker's own processes, open files
 * or memory, not for anything about the job (resource_shortage.ts).
 */
export interface StartFailure {
  readonly failure: string;
  readonly shortage: boolean;
}

/**
 * A started command, or why it could not start, and the header line (in the log either way,
 * unless the log cannot be written, which is a reason not to start).
 */
export type JobStart =
  & { readonly header: string }
  & ({ readonly process: JobProcess } | StartFailure);

/**
 * How commands start on this system, best first: glibc's posix_spawn with a new session
 * (through FFI); setsid(1), one exec more per job; Deno's `detached: true`, which forks the
 * whole worker per job; cmd.exe on Windows.
 */
export type JobLauncher =
  | { readonly kind: "posix_spawn"; readonly libc: Libc }
  | { readonly kind: "setsid"; readonly path: string }
  | { readonly kind: "detached" }
  | { readonly kind: "windows" };

let launcher: JobLauncher | undefined;

export function jobLauncher(): JobLauncher {
  launcher ??= findLauncher();
  return launcher;
}

/** For the worker's log: how its jobs start. */
export function describeLauncher(how: JobLauncher): string {
  switch (how.kind) {
    case "posix_spawn":
      return "posix_spawn";
    case "setsid":
      return how.path;
    case "detached":
      return "a detached spawn";
    case "windows":
      return "cmd.exe";
  }
}

function findLauncher(): JobLauncher {
  if (Deno.build.os === "windows") return { kind: "windows" };
  const libc = loadLibc();
  if (libc) return { kind: "posix_spawn", libc };
  const setsid = setsidPath();
  return setsid ? { kind: "setsid", path: setsid } : { kind: "detached" };
}

/**
 * Writes the header to the log, then starts the job's command (`/bin/sh -c`) in its own
 * session and process group with stdin from /dev/null and its output appended to the log.
 */
export function startJobProcess(spec: JobProcessSpec, how = jobLauncher()): JobStart {
  const lineEnd = how.kind === "windows" ? "\r\n" : "\n";
  const { line: header, writeError } = appendAttemptHeader(spec.logPath, spec.header, lineEnd);
  // Not started: its output would be lost without a word (a full disk, a log it cannot open).
  if (writeError !== null) {
    return {
      header,
      failure: `cannot write its log ${spec.logPath}: ${writeError.reason}`,
      shortage: writeError.shortage,
    };
  }
  if (how.kind === "posix_spawn") return { header, ...startWithPosixSpawn(spec, how.libc) };
  try {
    const process = how.kind === "windows"
      ? startWindowsJobProcess(spec)
      : startWithShellRedirect(spec, how.kind === "setsid" ? how.path : null);
    return { header, process };
  } catch (error) {
    // Deno.Command reports a program or directory that is not there by throwing.
    return { header, failure: (error as Error).message, shortage: isShortageError(error) };
  }
}

/**
 * The worker's environment, read once: nothing in the worker changes it, and reading it again
 * for every job cost ~0.15 ms of CPU here.
 */
let workerEnvironment: Readonly<Record<string, string>> | undefined;

/** The job's whole environment: the worker's as it was given (given_environment.ts), and its own. */
function jobEnvironment(spec: JobProcessSpec): Record<string, string> {
  workerEnvironment ??= givenEnvironment();
  return { ...workerEnvironment, ...spec.env };
}

function startWithPosixSpawn(
  spec: JobProcessSpec,
  libc: Libc,
): { readonly process: JobProcess } | StartFailure {
  const started = spawnInNewSession(libc, {
    program: "/bin/sh",
    args: ["sh", "-c", spec.command],
    env: jobEnvironment(spec),
    cwd: spec.cwd,
    outputPath: spec.logPath,
  });
  if ("error" in started) {
    return {
      failure: started.error,
      shortage: started.errno !== null && isShortageErrno(started.errno),
    };
  }
  const { pid } = started;
  const startTime = started.startTime ?? processStartTime(pid);
  return { process: { pid, startTime, status: waitForExit(libc, pid) } };
}

/**
 * The shell itself opens the log, so the worker neither opens the file nor copies output, and
 * a job whose worker dies keeps logging. `eval "shift 2; …"` clears the positional parameters
 * before the command runs, and reports the command's syntax errors into the log like any
 * other output.
 */
const REDIRECT_WRAPPER = `exec >>"$1" 2>&1 || exit 125; eval "shift 2; $2"`;

/**
 * Through setsid(1) when there is one, which makes the setsid() call and execs the shell with
 * the same pid. Otherwise `detached: true`: Deno then has to fork() the whole worker to run its
 * setsid() hook, since posix_spawn cannot take one: measured at ~4–9 ms of blocked event loop
 * and ~4 ms of CPU per job here, against ~1 ms for a plain spawn of setsid.
 */
function startWithShellRedirect(spec: JobProcessSpec, setsid: string | null): JobProcess {
  const shellArgs = ["-c", REDIRECT_WRAPPER, "sh", spec.logPath, spec.command];
  const child = new Deno.Command(setsid ?? "/bin/sh", {
    args: setsid ? ["/bin/sh", ...shellArgs] : shellArgs,
    cwd: spec.cwd,
    env: jobEnvironment(spec),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: setsid === null,
  }).spawn();
  return {
    pid: child.pid,
    startTime: processStartTime(child.pid),
    status: child.status.catch(statusOfUnnamedSignal),
  };
}

/**
 * Deno rejects the status of a child killed by a signal it has no name for (a realtime signal:
 * "Invalid signal: 35"); the number is all there is to report.
 */
function statusOfUnnamedSignal(error: unknown): ExitStatus {
  const signal = /signal: (\d+)/i.exec(error instanceof Error ? error.message : "")?.[1];
  if (signal === undefined) throw error;
  return decodeWaitStatus(Number(signal));
}

const SETSID_PATHS = ["/usr/bin/setsid", "/bin/setsid"];

/** The setsid(1) program (util-linux, busybox), or null. */
function setsidPath(): string | null {
  return SETSID_PATHS.find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  }) ?? null;
}

/** Windows: cmd.exe runs the command; the worker appends its output to the log. */
function startWindowsJobProcess(spec: JobProcessSpec): JobProcess {
  const log = Deno.openSync(spec.logPath, { append: true, create: true });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("cmd.exe", {
      args: ["/d", "/s", "/c", spec.command],
      cwd: spec.cwd,
      env: jobEnvironment(spec),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      windowsRawArguments: false,
    }).spawn();
  } catch (error) {
    log.close();
    throw error;
  }
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) log.writeSync(chunk);
  };
  const status = Promise.all([copy(child.stdout), copy(child.stderr), child.status])
    .then(([, , status]) => status)
    .finally(() => log.close());
  return { pid: child.pid, startTime: null, status };
}

/** The last bytes of a log file (the output that explains a failure), or "" if unreadable. */
export function readLogTail(path: string, bytes = 2048): string {
  try {
    const file = Deno.openSync(path, { read: true });
    try {
      const size = file.statSync().size;
      const start = Math.max(0, size - bytes);
      file.seekSync(start, Deno.SeekMode.Start);
      const buffer = new Uint8Array(size - start);
      let read = 0;
      while (read < buffer.length) {
        const n = file.readSync(buffer.subarray(read));
        if (n === null) break;
        read += n;
      }
      return new TextDecoder().decode(buffer.subarray(0, read));
    } finally {
      file.close();
    }
  } catch {
    return "";
  }
}
