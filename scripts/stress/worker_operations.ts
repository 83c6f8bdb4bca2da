/** The stress run's worker operations: start, stop (gracefully or now), and SIGKILL. */
import { type OperationContext, QUEUES } from "./enqueue_operations.ts";

const MAX_WORKERS = 6;

interface WorkerJson {
  readonly pid: number;
  readonly burst: boolean;
}

/**
 * The background workers `worker list` shows for this home (not the burst workers, which the
 * actors run in the foreground); also keeps their count for the weights.
 */
export async function listWorkers(context: OperationContext): Promise<number[]> {
  const workers = await context.cli.json<WorkerJson[]>("worker", "list");
  if (workers === null) return [];
  const background = workers.filter((worker) => !worker.burst);
  context.history.workerCount = background.length;
  return background.map((worker) => worker.pid);
}

export async function startWorkers(context: OperationContext): Promise<void> {
  const { random } = context;
  if ((await listWorkers(context)).length >= MAX_WORKERS) return;
  const args = ["worker", "start", "--json", "--count", String(random.int(1, 2))];
  if (random.chance(0.25)) {
    args.push("--queue", random.sample(QUEUES, random.int(1, 2)).join(","));
  }
  if (random.chance(0.4)) args.push("--concurrency", String(random.int(2, 3)));
  await context.cli.run(args);
}

export async function stopWorkers(context: OperationContext): Promise<void> {
  const now = context.random.chance(0.3);
  const start = Date.now();
  await context.cli.run(["worker", "stop", ...(now ? ["--now"] : []), "--timeout", "3s"]);
  if (now) context.history.giveBacks.push({ start, end: Date.now() });
}

/** A foreground burst worker, for some queues, stopped by SIGTERM if it has not drained soon. */
export async function runBurstWorker(context: OperationContext): Promise<void> {
  const { cli, random } = context;
  const queues = random.chance(0.5) ? ["--queue", random.sample(QUEUES, 2).join(",")] : [];
  await cli.run([
    "worker",
    "run",
    "--burst",
    ...queues,
    "--concurrency",
    String(random.int(1, 3)),
    "--log-file",
    `${cli.home}/workers/burst-{pid}.log`,
  ], { terminateAfterMs: random.int(2000, 20_000) });
}

/**
 * Sends `signal` to one of this home's background workers, checked to be one by its
 * environment; its pid, or null when there was none to signal.
 */
async function signalAWorker(
  context: OperationContext,
  signal: Deno.Signal,
): Promise<number | null> {
  const pids = await listWorkers(context);
  if (pids.length === 0) return null;
  const pid = context.random.pick(pids);
  if (!runsInHome(pid, context.cli.home)) return null;
  try {
    Deno.kill(pid, signal);
    return pid;
  } catch {
    // It exited meanwhile.
    return null;
  }
}

/**
 * Stops one of this home's workers (SIGSTOP) for a few seconds, up to longer than its lease, as
 * a stalled worker: others may recover its jobs, and its late results must be fenced off. Never
 * past SQLite's busy timeout (5 s), which a worker stopped inside a transaction would make the
 * other processes wait out.
 */
export async function stallWorker(context: OperationContext): Promise<void> {
  const pid = await signalAWorker(context, "SIGSTOP");
  if (pid === null) return;
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, context.random.int(1000, 3500)));
  try {
    Deno.kill(pid, "SIGCONT");
  } catch {
    // SIGKILLed meanwhile.
  }
  context.history.stallWindows.push({ start, end: Date.now() });
}

export async function killWorker(context: OperationContext): Promise<void> {
  if (await signalAWorker(context, "SIGKILL") !== null) context.history.kills++;
}

/** Whether process `pid` has QUEUECTL_HOME set to `home`. */
export function runsInHome(pid: number, home: string): boolean {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/environ`).split("\0")
      .includes(`QUEUECTL_HOME=${home}`);
  } catch {
    return false;
  }
}
