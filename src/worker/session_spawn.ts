/**
 * Starts a program in a new session with glibc's posix_spawn (POSIX_SPAWN_SETSID), and waits
 * for it with waitpid. This gives a job the same session and process group as setsid(1)
 * without exec'ing setsid first (~3 ms of CPU per job here), and without Deno's
 * `detached: true`, which forks the whole worker (docs/performance.md).
 */
import { cString, cStringArray } from "./c_strings.ts";
import { LIBC, type Libc } from "./libc.ts";
import { readProcessStat, startTimeInThisBoot } from "./process_info.ts";
import { decodeWaitStatus, type ExitStatus } from "./wait_status.ts";

export interface SessionSpawnRequest {
  /** An absolute path: posix_spawn searches no PATH. */
  readonly program: string;
  /** argv, from argv[0]. */
  readonly args: readonly string[];
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** stdout and stderr are appended here (created if missing); stdin is /dev/null. */
  readonly outputPath: string;
}

export type SpawnResult =
  | {
    readonly pid: number;
    /**
     * The start time /proc/<pid>/stat gives the process (field 22), or null when it was not
     * known without reading that file: reading it during the child's exec blocked the worker's
     * event loop ~0.3 ms per job here.
     */
    readonly startTime: string | null;
  }
  | {
    readonly error: string;
    /** The errno posix_spawn (or a step it took in the child) failed with; null: none. */
    readonly errno: number | null;
  };

const DEV_NULL = cString("/dev/null")!;
const OUTPUT_FLAGS = LIBC.O_WRONLY | LIBC.O_APPEND | LIBC.O_CREAT;
/** As the shell's `>>` creates a file: rw for all, less the umask. */
const OUTPUT_MODE = 0o666;

/**
 * The pid of the started process, which leads its own session and process group, or why it
 * could not start (no such program or directory, the output file cannot be opened, ...).
 */
export function spawnInNewSession(libc: Libc, request: SessionSpawnRequest): SpawnResult {
  const program = cString(request.program);
  const argv = cStringArray(request.args);
  const envp = cStringArray(Object.entries(request.env).map(([name, value]) => `${name}=${value}`));
  const cwd = cString(request.cwd);
  const output = cString(request.outputPath);
  if (!program || !argv || !envp || !cwd || !output) {
    return { error: "the command, its environment or a path contains a NUL byte", errno: null };
  }
  const actions = new Uint8Array(new ArrayBuffer(LIBC.FILE_ACTIONS_BYTES));
  const initError = libc.posix_spawn_file_actions_init(actions);
  if (initError !== 0) return { error: describeErrno(libc, initError), errno: initError };
  try {
    // The output file opens before the chdir, so a relative path means the worker's directory.
    const actionSteps = [
      () => libc.posix_spawn_file_actions_addopen(actions, 0, DEV_NULL, LIBC.O_RDONLY, 0),
      () => libc.posix_spawn_file_actions_addopen(actions, 1, output, OUTPUT_FLAGS, OUTPUT_MODE),
      () => libc.posix_spawn_file_actions_adddup2(actions, 1, 2),
      () => libc.posix_spawn_file_actions_addchdir_np(actions, cwd),
    ];
    let actionError = 0;
    for (const step of actionSteps) actionError ||= step();
    if (actionError !== 0) return { error: describeErrno(libc, actionError), errno: actionError };
    const pid = new Int32Array(new ArrayBuffer(4));
    const tickBefore = bootTick(libc);
    const spawnError = libc.posix_spawn(pid, program, actions, sessionAttributes(libc), argv, envp);
    const tickAfter = bootTick(libc);
    if (spawnError !== 0) {
      return {
        error: `Failed to spawn '${request.program}': ${describeErrno(libc, spawnError)}`,
        errno: spawnError,
      };
    }
    const startTime = tickBefore !== null && tickBefore === tickAfter
      ? startTimeInThisBoot(String(tickBefore))
      : null;
    return { pid: pid[0]!, startTime };
  } finally {
    libc.posix_spawn_file_actions_destroy(actions);
  }
}

const timespec = new BigInt64Array(new ArrayBuffer(16));

/**
 * The boot-time clock in /proc's ticks. The kernel stamps a new process with this clock when
 * it forks, and /proc/<pid>/stat shows that stamp as floor(ns / (10^9 / USER_HZ)): a child
 * forked between two readings that fall in the same tick started in that tick.
 */
function bootTick(libc: Libc): bigint | null {
  if (libc.clock_gettime(LIBC.CLOCK_BOOTTIME, new Uint8Array(timespec.buffer)) !== 0) return null;
  const nanosPerTick = BigInt(1e9 / LIBC.USER_HZ);
  return (timespec[0]! * 1_000_000_000n + timespec[1]!) / nanosPerTick;
}

/** The process could not be waited for: something else in this process reaped it. */
export class LostChildError extends Error {
  override name = "LostChildError";
  constructor(readonly pid: number) {
    super(`process ${pid} was reaped elsewhere; its exit status is unknown`);
  }
}

/** Resolves when the process (a child started above) exits; it is reaped then. */
export async function waitForExit(libc: Libc, pid: number): Promise<ExitStatus> {
  // Filled in on another thread: the closure keeps the buffer alive until the call returns.
  const status = new Int32Array(new ArrayBuffer(4));
  while (await libc.waitpid(pid, status, 0) !== pid) {
    // -1: errno is that thread's and out of reach. EINTR (a signal handler without
    // SA_RESTART ran there) leaves our child in place: wait again. ECHILD means it is gone.
    if (readProcessStat(pid)?.ppid !== Deno.pid) throw new LostChildError(pid);
  }
  return decodeWaitStatus(status[0]!);
}

/**
 * New session, default SIGPIPE and an empty signal mask: Deno ignores SIGPIPE and the
 * child would inherit that (`yes | head` would not end `yes`); Deno.Command resets it too.
 * The same for every job, so made once.
 */
let attributes: Uint8Array | undefined;

function sessionAttributes(libc: Libc): Uint8Array {
  if (attributes) return attributes;
  const attr = new Uint8Array(new ArrayBuffer(LIBC.ATTR_BYTES));
  const empty = new Uint8Array(new ArrayBuffer(LIBC.SIGSET_BYTES));
  const pipe = new Uint8Array(new ArrayBuffer(LIBC.SIGSET_BYTES));
  libc.posix_spawnattr_init(attr);
  libc.sigemptyset(empty);
  libc.sigemptyset(pipe);
  libc.sigaddset(pipe, LIBC.SIGPIPE);
  libc.posix_spawnattr_setsigmask(attr, empty);
  libc.posix_spawnattr_setsigdefault(attr, pipe);
  libc.posix_spawnattr_setflags(
    attr,
    LIBC.POSIX_SPAWN_SETSID | LIBC.POSIX_SPAWN_SETSIGDEF | LIBC.POSIX_SPAWN_SETSIGMASK,
  );
  attributes = attr;
  return attr;
}

/** Like Rust's (and so Deno's) `No such file or directory (os error 2)`. */
function describeErrno(libc: Libc, errno: number): string {
  const text = libc.strerror(errno);
  return `${text ? Deno.UnsafePointerView.getCString(text) : "error"} (os error ${errno})`;
}
