import { configFromStored } from "../core/config.ts";
import { OperationalError } from "../core/errors.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import { type HomeLayout, WORKERS_DIRECTORY } from "../core/paths.ts";
import type { ExistingDataStore, StopRequest, Store } from "../store/store.ts";
import { readLogTail } from "./job_process.ts";
import { monotonicNowMs } from "./lease_clock.ts";
import { hostName, isProcessAlive } from "./process_info.ts";
import { listLiveWorkers } from "./live_workers.ts";
import { recoverLostAttempts } from "./recovery.ts";
import { selfCommand } from "./relaunch.ts";
import { otherHostSockets, pokeForHeartbeat, wakeWorkers } from "./wake_socket.ts";

const REGISTER_DEADLINE_MS = 15_000;
const POLL_MS = 25;
/** How long an idle worker may take to exit after a stop request before it counts as remaining. */
const IDLE_EXIT_MS = 2_000;

export interface StartOptions {
  readonly count: number;
  readonly queues: readonly string[] | null;
  readonly concurrency: number;
}

/**
 * Starts workers as detached copies of this program (`worker run`), each in its own session
 * with its own log file, and returns once each has registered, so that a `status` right after
 * sees them. Recovers jobs of lost workers first.
 */
export async function startWorkers(
  store: Store,
  layout: HomeLayout,
  options: StartOptions,
  now: () => number,
): Promise<number[]> {
  const config = configFromStored(await store.readConfigValues());
  const recovered = await recoverLostAttempts(store, {
    now: now(),
    host: hostName(),
    self: null,
    leaseMs: config.leaseSeconds * 1000,
    backoff: { base: config.backoffBase, unitMs: config.backoffUnitMs, maxMs: config.backoffMaxMs },
    layout,
    monotonicNow: monotonicNowMs(),
  });
  // As when a worker recovers them: a slot freed in a limited queue, or a retry's time, is news
  // to the workers already running (the new ones may serve other queues).
  if (recovered.length > 0) await wakeWorkers(store).catch(() => {});
  // Relative to the worker's directory, the home: `{pid}` in the home's own path is no
  // placeholder, and a home moved while the worker runs still gets its last lines.
  const args = ["worker", "run", "--log-file", `${WORKERS_DIRECTORY}/worker-{pid}.log`];
  if (options.queues) args.push("--queue", options.queues.join(","));
  if (options.concurrency !== 1) args.push("--concurrency", String(options.concurrency));
  const { command, args: fullArgs } = selfCommand(args);
  const children: { pid: number; exited: Promise<Deno.CommandStatus> }[] = [];
  for (let index = 0; index < options.count; index++) {
    const child = new Deno.Command(command, {
      args: fullArgs,
      env: workerEnvironment(layout.home),
      clearEnv: true,
      // Not the caller's directory, which the worker would otherwise keep busy.
      cwd: layout.home,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
    children.push({ pid: child.pid, exited: child.status });
  }
  await waitForRegistration(store, layout, children);
  return children.map((child) => child.pid);
}

/**
 * The caller's environment without a job's markers: a worker started from inside a job would
 * otherwise carry that job's QUEUECTL_JOB_ID and QUEUECTL_ATTEMPT, and the recovery or cancel
 * of that job, which finds unrecorded commands by those markers, would kill the worker too.
 */
function workerEnvironment(home: string): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.QUEUECTL_JOB_ID;
  delete env.QUEUECTL_ATTEMPT;
  return { ...env, QUEUECTL_HOME: home };
}

async function waitForRegistration(
  store: Store,
  layout: HomeLayout,
  children: readonly { pid: number; exited: Promise<Deno.CommandStatus> }[],
): Promise<void> {
  const exited = new Set<number>();
  for (const child of children) child.exited.then(() => exited.add(child.pid));
  const deadline = performance.now() + REGISTER_DEADLINE_MS;
  for (;;) {
    const registered = new Set((await store.listWorkers()).map((worker) => worker.pid));
    const waiting = children.filter((child) => !registered.has(child.pid));
    if (waiting.length === 0) return;
    const failed = waiting.find((child) => exited.has(child.pid));
    if (failed) throw exitedAtOnce(failed.pid, layout.workers);
    if (performance.now() > deadline) {
      throw new OperationalError(
        `Workers ${waiting.map((child) => child.pid).join(", ")} did not start within ${
          REGISTER_DEADLINE_MS / 1000
        }s: see their logs in ${layout.workers}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A worker that exited before it registered, with the last line of its log. */
function exitedAtOnce(pid: number, directory: string): OperationalError {
  const log = `${directory}/worker-${pid}.log`;
  const reason = readLogTail(log, 500).trim().split("\n").at(-1);
  if (reason) return new OperationalError(`Worker ${pid} exited at once: ${reason} (see ${log})`);
  // A worker that cannot create its log has nowhere to say so (its stderr is /dev/null).
  try {
    Deno.openSync(log, { append: true, create: true }).close();
  } catch (error) {
    return new OperationalError(
      `Worker ${pid} exited at once: cannot write its log ${log}: ${
        osErrorReason(error)
      }: give this user write access to ${directory}, or set QUEUECTL_HOME to another directory`,
    );
  }
  return new OperationalError(`Worker ${pid} exited at once: no output (see ${log})`);
}

export interface StopResult {
  readonly stopped: number[];
  readonly remaining: number[];
}

/**
 * Asks every running worker to stop (a request in the database, which works without signals,
 * plus SIGTERM where there are signals) and waits until they have exited or `timeoutMs` passed
 * (idle workers, which exit at once, are waited for a moment even with a timeout of 0).
 * A graceful stop signals only the workers it asked first: to a worker already stopping, a
 * second signal means "now" (a double Ctrl-C), so a second `worker stop` would kill its jobs.
 */
export async function stopWorkers(
  store: ExistingDataStore,
  request: Exclude<StopRequest, "none">,
  timeoutMs: number | null,
  now: () => number,
  workersDirectory: string,
): Promise<StopResult> {
  const workers = await listLiveWorkers(store, now(), workersDirectory);
  const asked = new Set(await store.requestStop(workers.map((worker) => worker.id), request));
  const host = hostName();
  // Those that no signal reaches: a socket in a shared data directory may still reach them.
  await pokeForHeartbeat(otherHostSockets(workers, host));
  for (const worker of workers) {
    if (worker.host !== host || Deno.build.os === "windows") continue;
    if (request === "graceful" && !asked.has(worker.id)) continue;
    if (isProcessAlive(worker.pid, worker.procStart) === false) continue;
    try {
      Deno.kill(worker.pid, "SIGTERM");
    } catch {
      // Exited meanwhile.
    }
  }
  const signalledAt = performance.now();
  const deadline = timeoutMs === null ? Infinity : signalledAt + timeoutMs;
  for (;;) {
    const rows = new Map((await store.listWorkers()).map((worker) => [worker.id, worker]));
    const remaining = workers.filter((worker) =>
      rows.has(worker.id) &&
      (worker.host !== host || isProcessAlive(worker.pid, worker.procStart) !== false)
    );
    const current = performance.now();
    // `--timeout` is how long to wait for running jobs. A worker that runs none exits as soon as
    // it sees the request, which takes it a moment: waiting for that even past the deadline
    // keeps `--timeout 0` ("do not wait for jobs") from reporting idle workers as still running.
    const worthWaitingFor = remaining.filter((worker) =>
      current < deadline ||
      (rows.get(worker.id)!.currentJobs.length === 0 && current < signalledAt + IDLE_EXIT_MS)
    );
    if (worthWaitingFor.length === 0) {
      return {
        stopped: workers.filter((worker) => !remaining.includes(worker)).map((w) => w.pid),
        remaining: remaining.map((worker) => worker.pid),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 2));
  }
}
