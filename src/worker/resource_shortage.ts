/**
 * Whether an error that kept a command from starting is the worker's own shortage of processes,
 * open files or memory (EAGAIN from fork under `ulimit -u`, EMFILE under `ulimit -n`, ENFILE,
 * ENOMEM), not anything about the job: counted against the job, it burned every attempt of every
 * job while it lasted. Linux errno values, as posix_spawn returns them; Deno's error codes, as
 * its file and process APIs throw them.
 */
const SHORTAGE_ERRNOS: ReadonlySet<number> = new Set([11, 12, 23, 24]);
const SHORTAGE_CODES: ReadonlySet<string> = new Set(["EAGAIN", "ENOMEM", "ENFILE", "EMFILE"]);

export function isShortageErrno(errno: number): boolean {
  return Deno.build.os === "linux" && SHORTAGE_ERRNOS.has(errno);
}

export function isShortageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && SHORTAGE_CODES.has(code);
}
