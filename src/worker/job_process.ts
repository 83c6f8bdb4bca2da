import { processStartTime } from "./process_info.ts";

export interface JobProcessSpec {
  readonly command: string;
  readonly cwd: string;
  readonly logPath: string;
  /** A line written to the log before the command's output. */
  readonly header: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface JobProcess {
  /** Also the process group id on POSIX. */
  readonly pid: number;
  readonly startTime: string | null;
  readonly status: Promise<Deno.CommandStatus>;
}

/**
 * POSIX: the shell itself opens the log and appends the header, so the worker neither opens
 * the file nor copies output, and a job whose worker dies keeps logging. `eval "shift 3; …"`
 * clears the positional parameters before the command runs, and reports the command's syntax
 * errors into the log like any other output.
 */
const POSIX_WRAPPER = `exec >>"$1" 2>&1 || exit 125; printf '%s\\n' "$3"; eval "shift 3; $2"`;

/** Starts a job's command in its own session and process group; throws if it cannot start. */
export function startJobProcess(spec: JobProcessSpec): JobProcess {
  if (Deno.build.os === "windows") return startWindowsJobProcess(spec);
  const shellArgs = ["-c", POSIX_WRAPPER, "sh", spec.logPath, spec.command, spec.header];
  const setsid = setsidPath();
  const child = new Deno.Command(setsid ?? "/bin/sh", {
    args: setsid ? ["/bin/sh", ...shellArgs] : shellArgs,
    cwd: spec.cwd,
    env: { ...spec.env },
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: setsid === null,
  }).spawn();
  return { pid: child.pid, startTime: processStartTime(child.pid), status: child.status };
}

const SETSID_PATHS = ["/usr/bin/setsid", "/bin/setsid"];
let setsid: string | null | undefined;

/**
 * The setsid(1) program (util-linux, busybox), or null. With `detached: true` Deno has to fork()
 * the whole worker to run its setsid() hook, since posix_spawn cannot take one: measured at
 * ~4–9 ms of blocked event loop and ~4 ms of CPU per job here, against ~1 ms for a plain spawn
 * of setsid, which then makes the same setsid() call and execs the shell with the same pid.
 */
function setsidPath(): string | null {
  if (setsid === undefined) {
    setsid = SETSID_PATHS.find((path) => {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    }) ?? null;
  }
  return setsid;
}

/** Windows: cmd.exe runs the command; the worker appends its output to the log. */
function startWindowsJobProcess(spec: JobProcessSpec): JobProcess {
  const log = Deno.openSync(spec.logPath, { append: true, create: true });
  log.writeSync(new TextEncoder().encode(`${spec.header}\r\n`));
  const child = new Deno.Command("cmd.exe", {
    args: ["/d", "/s", "/c", spec.command],
    cwd: spec.cwd,
    env: { ...spec.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    windowsRawArguments: false,
  }).spawn();
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

export function appendToLog(path: string, line: string): void {
  try {
    Deno.writeTextFileSync(path, `${line}\n`, { append: true });
  } catch {
    // The log is a convenience; the job's record holds the outcome.
  }
}
