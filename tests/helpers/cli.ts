/**
 * End-to-end harness: runs the real CLI as a subprocess against a temporary QUEUECTL_HOME.
 * The CLI under test is QUEUECTL_CMD (e.g. "deno run -A dist/queuectl.js" or a compiled
 * binary), by default the source. Its relative file paths are taken from the directory the
 * tests run in, since the CLI itself runs in the temporary home.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type { JobJson } from "../../src/core/job.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function cliCommand(): string[] {
  const configured = Deno.env.get("QUEUECTL_CMD");
  if (!configured || configured.trim() === "") {
    return [Deno.execPath(), "run", "-A", "--no-config", `${REPO_ROOT}main.ts`];
  }
  return configured.trim().split(/\s+/).map((word) =>
    /[\\/]/.test(word) && !word.startsWith("-") ? resolve(word) : word
  );
}

/**
 * `command` with its program as an absolute path, found on this process's PATH: for running it
 * in an environment with another PATH, or none (QUEUECTL_CMD may name `deno` bare).
 */
export function withProgramPath(command: readonly string[]): string[] {
  const [program, ...args] = command;
  if (program === undefined || /[\\/]/.test(program)) return [...command];
  for (const directory of (Deno.env.get("PATH") ?? "").split(":")) {
    const candidate = `${directory}/${program}`;
    try {
      if (Deno.statSync(candidate).isFile) return [candidate, ...args];
    } catch {
      // Not in this directory.
    }
  }
  return [...command];
}

/** The form the CLI under test runs as, by its command: a .ts entry, a .js bundle, or a binary. */
export function cliForm(command: readonly string[] = cliCommand()): "source" | "bundle" | "binary" {
  const last = command.at(-1) ?? "";
  if (last.endsWith(".ts")) return "source";
  return last.endsWith(".js") ? "bundle" : "binary";
}

export interface HomeOptions {
  /** The CLI to run instead of cliCommand(). */
  readonly command?: readonly string[];
  /** Extra environment for every run (and so for the workers it starts). */
  readonly env?: Record<string, string>;
  /** The uid (and gid) to give the home to before the first run, for a command run as that user. */
  readonly owner?: number;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

const decoder = new TextDecoder();

/** A finished subprocess's exit code and decoded output. */
export function decodeOutput(output: Deno.CommandOutput): CliResult {
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A temporary data directory; disposing it stops its workers and kills their jobs. */
export class TestHome implements AsyncDisposable {
  readonly path: string;
  readonly command: readonly string[];
  readonly #extraEnv: Record<string, string>;

  private constructor(path: string, options: HomeOptions) {
    this.path = path;
    this.command = options.command ?? cliCommand();
    this.#extraEnv = options.env ?? {};
  }

  static async create(
    config: Record<string, string> = {},
    options: HomeOptions = {},
  ): Promise<TestHome> {
    const path = await Deno.makeTempDir({ prefix: "queuectl-test-" });
    if (options.owner !== undefined) await Deno.chown(path, options.owner, options.owner);
    const home = new TestHome(path, options);
    for (const [key, value] of Object.entries({ poll_interval_ms: "50", ...config })) {
      await home.ok("config", "set", key, value);
    }
    return home;
  }

  get env(): Record<string, string> {
    return {
      QUEUECTL_HOME: this.path,
      NO_COLOR: "1",
      TZ: "UTC",
      RUST_BACKTRACE: "0",
      ...this.#extraEnv,
    };
  }

  /** Starts the CLI in this home with stdout and stderr on pipes, for a test to read as they come. */
  spawn(args: readonly string[]): Deno.ChildProcess {
    const [command, ...prefix] = this.command;
    return new Deno.Command(command!, {
      args: [...prefix, ...args],
      cwd: this.path,
      env: this.env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  }

  async run(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
    const [command, ...prefix] = this.command;
    const child = new Deno.Command(command!, {
      args: [...prefix, ...args],
      cwd: options.cwd ?? this.path,
      env: { ...this.env, ...options.env },
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    }
    return decodeOutput(await child.output());
  }

  /** Runs and requires exit 0; returns stdout. */
  async ok(...args: string[]): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0) {
      throw new Error(
        `queuectl ${
          args.join(" ")
        } exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    }
    return result.stdout;
  }

  /** Runs with --json appended and parses stdout. */
  async json<T = unknown>(...args: string[]): Promise<T> {
    return JSON.parse(await this.ok(...args, "--json")) as T;
  }

  async job(id: string): Promise<JobJson> {
    return await this.json<JobJson>("show", id);
  }

  async enqueue(...args: string[]): Promise<string> {
    return (await this.ok("enqueue", "--quiet", ...args)).trim();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const workers = await this.run(["worker", "list", "--json"]);
    const pids: number[] = workers.code === 0
      ? (JSON.parse(workers.stdout) as { pid: number }[]).map((worker) => worker.pid)
      : [];
    if (pids.length > 0) await this.run(["worker", "stop", "--now", "--timeout", "10s"]);
    for (const pid of pids) killQuietly(pid);
    await Deno.remove(this.path, { recursive: true }).catch(() => {});
  }
}

export type { JobJson } from "../../src/core/job.ts";

function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/**
 * Polls `probe` until it returns a value other than null, undefined or false, or fails after
 * `timeoutMs` naming what was awaited. Tests never sleep for a fixed time.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    last = value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what} (last: ${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Reads stderr until what it read is `done`, failing (the child killed) after 20 s rather than
 * hanging when the note never comes.
 */
export async function readStderr(
  child: Deno.ChildProcess,
  reader: ReadableStreamDefaultReader<string>,
  done: (seen: string) => boolean,
): Promise<string> {
  let seen = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    while (!done(seen)) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`stderr ended before the note: ${JSON.stringify(seen)}`);
      seen += chunk.value;
    }
    return seen;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a file or directory exists; any other failure to look is thrown. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Whether a process still runs (not a zombie), from /proc. */
export function processRuns(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Pids of live processes in a process group, from /proc. */
export function processesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(entry.name));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** Waits until a job reaches `state`; returns it. */
export async function waitForState(
  home: TestHome,
  id: string,
  state: string,
  timeoutMs = 20_000,
): Promise<JobJson> {
  return await waitFor(`job ${id} to be ${state}`, async () => {
    const job = await home.job(id);
    return job.state === state && job;
  }, timeoutMs);
}
