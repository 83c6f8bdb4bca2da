/**
 * CPU time of a whole process, in nanoseconds, from Linux's per-process CPU clock
 * (`clock_gettime` on the clock id the kernel derives from the pid). Unlike summing
 * /proc/<pid>/task/x/schedstat it keeps the time of threads that ended (Deno's blocking-pool
 * threads exit after 10 s idle), and unlike /proc/<pid>/stat it is not in 10 ms ticks.
 */
const CPUCLOCK_SCHED = 2;

interface ClockLibrary {
  readonly symbols: {
    clock_gettime(clock: number, timespec: Uint8Array<ArrayBuffer>): number;
  };
}

let library: ClockLibrary | null | undefined;

function openLibrary(): ClockLibrary | null {
  if (library !== undefined) return library;
  try {
    library = Deno.dlopen("libc.so.6", {
      clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
    }) as ClockLibrary;
  } catch {
    library = null;
  }
  return library;
}

/** The process's CPU time in ns, or null where the clock is unavailable (not Linux glibc). */
export function processCpuNanos(pid: number): number | null {
  const libc = Deno.build.os === "linux" ? openLibrary() : null;
  if (!libc) return null;
  const timespec = new Uint8Array(16);
  // The kernel's encoding of a process CPU clock: MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED).
  const clock = (~pid << 3) | CPUCLOCK_SCHED;
  if (libc.symbols.clock_gettime(clock, timespec) !== 0) return null;
  const view = new DataView(timespec.buffer);
  return Number(view.getBigInt64(0, true)) * 1e9 + Number(view.getBigInt64(8, true));
}
