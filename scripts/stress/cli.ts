/**
 * Runs the real CLI in the stress home and keeps a record of every call: its arguments, exit
 * status, output and when it ran, for the checks at the end.
 */
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A call that takes longer than this (unless it allows itself more) is killed, as hung. */
const CALL_TIMEOUT_MS = 120_000;

export interface CallRecord {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly hung: boolean;
}

export interface RunOptions {
  readonly stdin?: string;
  /** Sends SIGTERM after this long, as a supervisor stopping a foreground worker would. */
  readonly terminateAfterMs?: number;
  /** When the call counts as hung, if not after CALL_TIMEOUT_MS. */
  readonly hungAfterMs?: number;
}

export class Cli {
  readonly home: string;
  /** Where the CLI runs, and so where its jobs run: the home's parent. */
  readonly directory: string;
  readonly calls: CallRecord[] = [];

  constructor(directory: string) {
    this.directory = directory;
    this.home = `${directory}/home`;
  }

  get env(): Record<string, string> {
    return { QUEUECTL_HOME: this.home, NO_COLOR: "1", TZ: "UTC", RUST_BACKTRACE: "0" };
  }

  /** The command line that runs the CLI with these arguments. */
  command(args: readonly string[]): string[] {
    return [Deno.execPath(), "run", "-A", "--no-config", MAIN, ...args];
  }

  async run(args: readonly string[], options: RunOptions = {}): Promise<CallRecord> {
    const { stdin, terminateAfterMs, hungAfterMs = CALL_TIMEOUT_MS } = options;
    const [program, ...rest] = this.command(args);
    const startedAt = Date.now();
    const child = new Deno.Command(program!, {
      args: rest,
      cwd: this.directory,
      env: this.env,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, hungAfterMs);
    const terminator = terminateAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGTERM"), terminateAfterMs);
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(encoder.encode(stdin));
      await writer.close();
    }
    const output = await child.output();
    clearTimeout(timer);
    clearTimeout(terminator);
    const record: CallRecord = {
      args,
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      startedAt,
      endedAt: Date.now(),
      hung,
    };
    this.calls.push(record);
    return record;
  }

  /** Runs with --json; the parsed output when the call exits 0, else null. */
  async json<T>(...args: string[]): Promise<T | null> {
    const call = await this.run([...args, "--json"]);
    return call.code === 0 ? JSON.parse(call.stdout) as T : null;
  }
}
