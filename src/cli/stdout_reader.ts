/**
 * Sees stdout's reader go while nothing is written: a command following a silent job
 * (`queuectl logs -f <id> | head -1` on `echo ready; sleep 600`) would otherwise see it only at
 * the job's next output, or never. On Linux, poll(2) reports POLLERR on the writing end of a pipe
 * whose readers have all gone. The call blocks on Deno's blocking thread pool, so waiting costs
 * no CPU and no wake-ups; it cannot be cancelled and ends with the process (main.ts exits with
 * Deno.exit). Only following commands load this module: the library is opened at first use.
 */
const SYMBOLS = {
  ppoll: { parameters: ["buffer", "usize", "pointer", "buffer"], result: "i32", nonblocking: true },
} as const satisfies Deno.ForeignLibraryInterface;

const STDOUT_FD = 1;
/** asm-generic/poll.h: the same on every Linux ABI. */
const POLLERR = 0x008;
/** struct pollfd { int fd; short events; short revents; }: 8 bytes on every Linux ABI. */
const POLLFD_BYTES = 8;
/** revents, as the index of a short. */
const REVENTS_INDEX = 3;
/** glibc's sigset_t, larger than any kernel's: all bits set blocks every signal. */
const SIGSET_BYTES = 128;

/** Kept referenced for the life of the process: the symbols point into the loaded library. */
let library: Deno.DynamicLibrary<typeof SYMBOLS> | null | undefined;

/**
 * Resolves once stdout, a pipe, has no reader left; never settles where that cannot be seen
 * (stdout is a file or a terminal, not Linux, no FFI permission): a write finds it then.
 */
export function stdoutReaderGone(): Promise<void> {
  if (stdoutIsPipe()) library ??= openLibc();
  return library ? waitForPollError(library.symbols) : new Promise(() => {});
}

function stdoutIsPipe(): boolean {
  if (Deno.build.os !== "linux") return false;
  const fdPath = `/proc/self/fd/${STDOUT_FD}`;
  // Without a grant, the calls would prompt on a terminal or throw: keep the old behaviour.
  if (Deno.permissions.querySync({ name: "read", path: fdPath }).state !== "granted") return false;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return false;
  try {
    return Deno.statSync(fdPath).isFifo === true;
  } catch {
    return false;
  }
}

function openLibc(): Deno.DynamicLibrary<typeof SYMBOLS> | null {
  try {
    return Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return null;
  }
}

async function waitForPollError(
  libc: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"],
): Promise<void> {
  const pollfd = new Uint8Array(POLLFD_BYTES);
  // No events asked for: POLLERR is reported whatever is asked.
  new Int32Array(pollfd.buffer)[0] = STDOUT_FD;
  // Every signal blocked while it waits, so that none (`run`'s Ctrl-C) interrupts the wait.
  const blockAll = new Uint8Array(SIGSET_BYTES).fill(0xff);
  const ready = await libc.ppoll(pollfd, 1n, null, blockAll);
  if (ready === 1 && (new Int16Array(pollfd.buffer)[REVENTS_INDEX]! & POLLERR) !== 0) return;
  // Any other answer is an error of the call: a write still finds the reader gone.
  await new Promise(() => {});
}
