/**
 * The C library functions that start jobs in a new session without an extra exec
 * (session_spawn.ts), through Deno's FFI. Only glibc on Linux x86_64 and aarch64, where the
 * constants below are verified; everywhere else, and without FFI permission, there is no
 * binding and jobs start the older way (job_process.ts).
 */
const SYMBOLS = {
  posix_spawn: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  posix_spawn_file_actions_init: { parameters: ["buffer"], result: "i32" },
  posix_spawn_file_actions_destroy: { parameters: ["buffer"], result: "i32" },
  posix_spawn_file_actions_addopen: {
    parameters: ["buffer", "i32", "buffer", "i32", "u32"],
    result: "i32",
  },
  posix_spawn_file_actions_adddup2: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  // glibc 2.29 and later; the binding fails to load (and jobs fall back) on an older one.
  posix_spawn_file_actions_addchdir_np: { parameters: ["buffer", "buffer"], result: "i32" },
  posix_spawnattr_init: { parameters: ["buffer"], result: "i32" },
  posix_spawnattr_setflags: { parameters: ["buffer", "i16"], result: "i32" },
  posix_spawnattr_setsigmask: { parameters: ["buffer", "buffer"], result: "i32" },
  posix_spawnattr_setsigdefault: { parameters: ["buffer", "buffer"], result: "i32" },
  sigemptyset: { parameters: ["buffer"], result: "i32" },
  sigaddset: { parameters: ["buffer", "i32"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  // Blocks until the child exits, so it runs on Deno's blocking thread pool.
  waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32", nonblocking: true },
  // With WNOHANG, which returns at once: on this thread, between two steps of the event loop.
  waitpid_nohang: { name: "waitpid", parameters: ["i32", "buffer", "i32"], result: "i32" },
  // Present in glibc only: loading fails on musl and other C libraries.
  gnu_get_libc_version: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/**
 * Values from glibc's headers, the same on x86_64 and aarch64 Linux (asm-generic fcntl.h,
 * bits/signum-generic.h, spawn.h; POSIX_SPAWN_SETSID since glibc 2.26).
 */
export const LIBC = {
  O_RDONLY: 0,
  O_WRONLY: 0o1,
  O_CREAT: 0o100,
  O_APPEND: 0o2000,
  POSIX_SPAWN_SETSIGDEF: 0x04,
  POSIX_SPAWN_SETSIGMASK: 0x08,
  POSIX_SPAWN_SETSID: 0x80,
  SIGPIPE: 13,
  WNOHANG: 1,
  /** linux/time.h: one clock for the whole host, stopped while it is suspended. */
  CLOCK_MONOTONIC: 1,
  /** linux/time.h; the clock /proc/<pid>/stat counts a process's start time in. */
  CLOCK_BOOTTIME: 7,
  /** The clock ticks of /proc/<pid>/stat times (sysconf(_SC_CLK_TCK)): 100 on every Linux ABI. */
  USER_HZ: 100,
  /** sizeof: posix_spawnattr_t 336, posix_spawn_file_actions_t 80, sigset_t 128 (x86_64). */
  ATTR_BYTES: 512,
  FILE_ACTIONS_BYTES: 256,
  SIGSET_BYTES: 256,
} as const;

const VERIFIED_ARCHES: readonly string[] = ["x86_64", "aarch64"];

/** Kept referenced for the life of the process: the symbols point into the loaded library. */
let library: Deno.DynamicLibrary<typeof SYMBOLS> | null | undefined;

/** The binding, loaded once; null where it cannot or may not be used. */
export function loadLibc(): Libc | null {
  // Once, also when there is none: a failed dlopen costs a job start its time again otherwise.
  if (library === undefined) library = openLibc();
  return library?.symbols ?? null;
}

function openLibc(): Deno.DynamicLibrary<typeof SYMBOLS> | null {
  if (Deno.build.os !== "linux" || !VERIFIED_ARCHES.includes(Deno.build.arch)) return null;
  // Without a grant, dlopen would prompt on a terminal or throw: fall back quietly instead.
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
  try {
    return Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return null;
  }
}
