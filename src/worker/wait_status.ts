/** How a job's process ended, in the shape of `Deno.CommandStatus` (which also fits it). */
export interface ExitStatus {
  /** The exit code, or 128 + the signal's number when a signal ended it (as Deno reports). */
  readonly code: number;
  /** The signal's name (`SIGKILL`), or null when the process exited. */
  readonly signal: string | null;
}

/** Linux signal numbers 1–31 (x86_64 and aarch64); realtime ones have no fixed name. */
const SIGNAL_NAMES: readonly string[] = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

/**
 * Decodes the status word `waitpid` (without WUNTRACED) fills in, as Linux lays it out: the
 * terminating signal in the low 7 bits (0 if none), the exit code in the next byte.
 */
export function decodeWaitStatus(status: number): ExitStatus {
  const signal = status & 0x7f;
  if (signal === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: 128 + signal, signal: SIGNAL_NAMES[signal - 1] ?? `signal ${signal}` };
}
