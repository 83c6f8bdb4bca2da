/**
 * The benchmark's plumbing: temporary data directories whose workers are always stopped,
 * running the CLI as a subprocess, timing, statistics and /proc readings.
 */
import { DatabaseSync } from "node:sqlite";

export const REPO_ROOT = new URL("../../", import.meta.url).pathname;
export const MAIN = `${REPO_ROOT}main.ts`;
export const DENO = Deno.execPath();
/**
 * How the benchmark runs the CLI: QUEUECTL_CMD when set (as in the end-to-end tests, e.g.
 * "deno run -A dist/queuectl.js" or a compiled binary), otherwise the source under deno run.
 */
export const CLI: readonly string[] = cliCommand();

function cliCommand(): readonly string[] {
  const configured = Deno.env.get("QUEUECTL_CMD")?.trim();
  return configured ? configured.split(/\s+/) : [DENO, "run", "-A", "--no-config", MAIN];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Progress goes to stderr; the table is the only thing on stdout. */
export function progress(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

export function print(text: string): void {
  Deno.stdout.writeSync(encoder.encode(`${text}\n`));
}

/** Wall-clock time in fractional milliseconds since the epoch (comparable with `date +%s%N`). */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Timed {
  readonly code: number;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Keep stdout (otherwise it goes to /dev/null, which is cheaper to time). */
  readonly capture?: boolean;
}

/** Runs a process to completion and times it from spawn to exit. */
export async function timed(command: readonly string[], options: RunOptions = {}): Promise<Timed> {
  const [program, ...args] = command;
  const start = performance.now();
  const child = new Deno.Command(program!, {
    args,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...options.env },
    stdin: "null",
    stdout: options.capture ? "piped" : "null",
    stderr: "piped",
  }).spawn();
  const output = await child.output();
  const ms = performance.now() - start;
  return {
    code: output.code,
    ms,
    stdout: options.capture ? decoder.decode(output.stdout) : "",
    stderr: decoder.decode(output.stderr),
  };
}

/** Like `timed`, but a non-zero exit is an error that shows the process's stderr. */
export async function mustRun(
  command: readonly string[],
  options: RunOptions = {},
): Promise<Timed> {
  const result = await timed(command, options);
  if (result.code !== 0) {
    throw new Error(
      `${command.join(" ")} exited ${result.code}: ${result.stderr.trim().slice(-500)}`,
    );
  }
  return result;
}

const openHomes = new Set<BenchHome>();

/**
 * A temporary QUEUECTL_HOME. Disposing it stops every worker that registered in it or that the
 * benchmark started (SIGTERM, then SIGKILL), then deletes it, whatever happened before.
 */
export class BenchHome implements AsyncDisposable {
  readonly path: string;
  readonly database: string;
  readonly #children = new Set<Deno.ChildProcess>();
  readonly #pids = new Set<number>();
  #db: DatabaseSync | null = null;

  private constructor(path: string) {
    this.path = path;
    this.database = `${path}/queue.db`;
    openHomes.add(this);
  }

  static async create(name: string): Promise<BenchHome> {
    return new BenchHome(await Deno.makeTempDir({ prefix: `queuectl-bench-${name}-` }));
  }

  get env(): Record<string, string> {
    return { QUEUECTL_HOME: this.path };
  }

  /** Runs the CLI in this home and times it; throws on a non-zero exit. */
  cli(args: readonly string[], options: RunOptions = {}): Promise<Timed> {
    return mustRun([...CLI, ...args], {
      cwd: this.path,
      ...options,
      env: { ...this.env, ...options.env },
    });
  }

  /** `worker start --count n`; returns the worker pids (tracked for cleanup). */
  async startWorkers(count: number, extra: readonly string[] = []): Promise<number[]> {
    const result = await this.cli(
      ["worker", "start", "--count", String(count), "--json", ...extra],
      {
        capture: true,
      },
    );
    const pids = JSON.parse(result.stdout) as number[];
    for (const pid of pids) this.#pids.add(pid);
    return pids;
  }

  /** Starts a foreground `worker run` as a child of the benchmark. */
  spawnWorkerRun(extra: readonly string[] = []): Deno.ChildProcess {
    const [program, ...args] = CLI;
    const child = new Deno.Command(program!, {
      args: [...args, "worker", "run", ...extra],
      cwd: this.path,
      env: { ...this.env, NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#children.add(child);
    return child;
  }

  /** A read-only connection for polling progress (queries only; never writes). */
  db(): DatabaseSync {
    this.#db ??= new DatabaseSync(this.database, { readOnly: true, timeout: 5_000 });
    return this.#db;
  }

  /** One number from a read-only query. */
  scalar(sql: string, ...params: (string | number)[]): number {
    const row = this.db().prepare(sql).get(...params) as Record<string, number | null> | undefined;
    const value = row ? Object.values(row)[0] : null;
    return value ?? 0;
  }

  /** Polls until `done()` or the deadline; throws naming what was awaited. */
  async waitUntil(
    what: string,
    done: () => boolean,
    timeoutMs: number,
    everyMs = 25,
  ): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!done()) {
      if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await sleep(everyMs);
    }
  }

  workerPids(): number[] {
    try {
      const rows = this.db().prepare("SELECT pid FROM workers").all() as { pid: number }[];
      return rows.map((row) => row.pid);
    } catch {
      return [];
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    openHomes.delete(this);
    const pids = new Set([...this.#pids, ...this.workerPids()]);
    for (const child of this.#children) pids.add(child.pid);
    this.#db?.close();
    this.#db = null;
    for (const pid of pids) signal(pid, "SIGTERM");
    const deadline = performance.now() + 10_000;
    while ([...pids].some(processRuns) && performance.now() < deadline) await sleep(25);
    for (const pid of pids) if (processRuns(pid)) signal(pid, "SIGKILL");
    await Promise.all([...this.#children].map((child) => child.status.catch(() => null)));
    await Deno.remove(this.path, { recursive: true }).catch(() => {});
  }
}

/** Disposes every home still open (on Ctrl-C, or after a scenario crashed). */
export async function disposeAllHomes(): Promise<void> {
  await Promise.all([...openHomes].map((home) => home[Symbol.asyncDispose]()));
}

function signal(pid: number, name: Deno.Signal): void {
  try {
    Deno.kill(pid, name);
  } catch {
    // Gone already.
  }
}

function statFields(pid: number): string[] | null {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Whether a process still runs (exists and is not a zombie). */
export function processRuns(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== "Z";
}

/** CPU time of each live thread of a process in nanoseconds, from /proc/<pid>/task/x/schedstat. */
export function threadNanos(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`);
      threads.set(task.name, Number(text.split(" ")[0]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return threads;
}

/** Whether a program is on PATH. */
export async function onPath(program: string): Promise<boolean> {
  const result = await timed(["sh", "-c", `command -v ${program}`]).catch(() => null);
  return result?.code === 0;
}

/** Peak resident memory (KiB) and wall time of a process, via /usr/bin/time or /proc polling. */
export async function peakMemory(
  command: readonly string[],
  options: RunOptions = {},
): Promise<{ ms: number; peakKiB: number; stdout: string }> {
  const useTime = await Deno.stat("/usr/bin/time").then(() => true, () => false);
  const report = await Deno.makeTempFile({ prefix: "queuectl-bench-time-" });
  try {
    const full = useTime ? ["/usr/bin/time", "-f", "%M", "-o", report, ...command] : [...command];
    const [program, ...args] = full;
    const start = performance.now();
    const child = new Deno.Command(program!, {
      args,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...options.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let polledKiB = 0;
    const poll = useTime ? undefined : setInterval(() => {
      try {
        const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) polledKiB = Math.max(polledKiB, Number(match[1]));
      } catch {
        // Exited.
      }
    }, 5);
    const output = await child.output();
    const ms = performance.now() - start;
    clearInterval(poll);
    if (output.code !== 0) {
      throw new Error(
        `${command.join(" ")} exited ${output.code}: ${decoder.decode(output.stderr)}`,
      );
    }
    const peakKiB = useTime
      ? Number((await Deno.readTextFile(report)).trim().split("\n").at(-1))
      : polledKiB;
    return { ms, peakKiB, stdout: decoder.decode(output.stdout) };
  } finally {
    await Deno.remove(report).catch(() => {});
  }
}
