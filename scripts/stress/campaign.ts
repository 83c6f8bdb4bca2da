/**
 * One stress run: actors draw random operations (with a seed of their own) against one home
 * until the time is up; then the queues are resumed, the workers stopped, a `worker run
 * --burst` drains what is left, and the checks run over the ledger and the final state.
 */
import {
  cancelJobs,
  cancelQueue,
  observe,
  pauseOrResume,
  prune,
  retryDead,
  retryFailed,
  setConfig,
  setLimit,
} from "./admin_operations.ts";
import { Cli } from "./cli.ts";
import {
  enqueueBatch,
  enqueueOne,
  type OperationContext,
  QUEUES,
  runJob,
} from "./enqueue_operations.ts";
import { History } from "./history.ts";
import { jobScript } from "./job_script.ts";
import { parseLedger, type Run } from "./ledger.ts";
import { leftoverProcesses } from "./processes.ts";
import { Random } from "./random.ts";
import {
  checkAttempts,
  checkDependencies,
  checkOneRunAtATime,
  checkPauses,
  checkQueueLimits,
  checkTimeouts,
  type FinalJob,
} from "./run_checks.ts";
import {
  checkAccounted,
  checkCalls,
  checkCounts,
  checkDependents,
  checkEnded,
  checkReportedEnds,
  checkWorkerLogs,
  type Counts,
} from "./state_checks.ts";
import {
  killWorker,
  listWorkers,
  runBurstWorker,
  stallWorker,
  startWorkers,
  stopWorkers,
} from "./worker_operations.ts";

export interface CampaignOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly actors: number;
  /** A key of PROFILES. */
  readonly profile: string;
  readonly progress: (line: string) => void;
}

export interface Violation {
  readonly rule: string;
  readonly detail: string;
}

export interface CampaignResult {
  readonly directory: string;
  readonly history: History;
  readonly cli: Cli;
  readonly runs: readonly Run[];
  readonly violations: readonly Violation[];
  readonly burstCode: number;
}

const OPERATIONS: Record<string, (context: OperationContext) => Promise<void>> = {
  enqueue: enqueueOne,
  batch: enqueueBatch,
  run: runJob,
  start: startWorkers,
  burst: runBurstWorker,
  stop: stopWorkers,
  kill: killWorker,
  stall: stallWorker,
  cancel: cancelJobs,
  cancelQueue,
  retry: retryFailed,
  dlqRetry: retryDead,
  pause: pauseOrResume,
  limit: setLimit,
  prune,
  config: setConfig,
  observe,
};

/**
 * What a run stresses most: `mixed` a bit of everything; `workers` their churn (SIGKILL, stalls,
 * stops, starts); `queues` the queue operations (pauses, limits, cancels, prunes, retries).
 */
export const PROFILES: Record<string, Readonly<Record<string, number>>> = {
  mixed: {},
  workers: { kill: 4, stall: 4, stop: 3, start: 2, burst: 2 },
  queues: { pause: 3, limit: 4, cancel: 3, cancelQueue: 4, prune: 4, retry: 2, dlqRetry: 2 },
};

function weights(history: History, profile: string): Record<string, number> {
  const base: Record<string, number> = {
    enqueue: 30,
    batch: 6,
    run: 1,
    start: history.workerCount === 0 ? 30 : 4,
    burst: 0.7,
    stop: 2,
    kill: 3,
    stall: 1,
    cancel: 4,
    cancelQueue: 0.5,
    retry: 2,
    dlqRetry: 2,
    pause: 3,
    limit: 2,
    prune: 2,
    config: 1.5,
    observe: 8,
  };
  const factors = PROFILES[profile] ?? {};
  return Object.fromEntries(
    Object.entries(base).map(([name, weight]) => [name, weight * (factors[name] ?? 1)]),
  );
}

async function actor(
  context: OperationContext,
  profile: string,
  deadline: number,
): Promise<void> {
  while (Date.now() < deadline) {
    const name = context.random.weighted(weights(context.history, profile));
    context.history.count(name);
    await OPERATIONS[name]!(context);
  }
}

const INITIAL_CONFIG: Record<string, string> = {
  poll_interval_ms: "200",
  lease_seconds: "3",
  backoff_unit: "50ms",
  kill_grace: "1s",
  max_retries: "2",
};

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const directory = await Deno.makeTempDir({ prefix: `queuectl-stress-${options.seed}-` });
  const script = `${directory}/job.sh`;
  const ledger = `${directory}/ledger`;
  await Deno.writeTextFile(script, jobScript(ledger));
  await Deno.writeTextFile(ledger, "");
  const cli = new Cli(directory);
  const history = new History();
  for (const [key, value] of Object.entries(INITIAL_CONFIG)) {
    await cli.run(["config", "set", key, value]);
  }
  const contexts: OperationContext[] = Array.from({ length: options.actors }, (_, index) => ({
    cli,
    history,
    random: new Random(options.seed * 1000 + index),
    script,
    idPrefix: `s${options.seed}a${index}`,
    nextId: 0,
  }));
  await startWorkers(contexts[0]!);
  const deadline = Date.now() + options.durationMs;
  const ticker = setInterval(() => {
    options.progress(
      `stress: ${cli.calls.length} calls, ${history.ids.length} jobs, ${history.kills} kills, ${history.stallWindows.length} stalls`,
    );
  }, 15_000);
  await Promise.all(contexts.map((context) => actor(context, options.profile, deadline)));
  clearInterval(ticker);
  options.progress("stress: time is up; draining");
  const burstCode = await drain(contexts[0]!);
  const violations = await check(directory, cli, history, ledger, burstCode === 0);
  return {
    directory,
    history,
    cli,
    runs: parseLedger(await Deno.readTextFile(ledger)),
    violations,
    burstCode,
  };
}

/** How long the final burst worker may take: a limited queue can hold a long backlog. */
const DRAIN_LIMIT_MS = 15 * 60_000;

/** Resumes every queue, stops the workers, and runs a burst worker until nothing is left. */
async function drain(context: OperationContext): Promise<number> {
  const { cli, history } = context;
  for (const queue of QUEUES) {
    const start = Date.now();
    await cli.run(["queue", "resume", queue]);
    history.pauseChanges.push({ queue, paused: false, start, end: Date.now() });
  }
  if ((await cli.run(["worker", "stop", "--timeout", "20s"])).code !== 0) {
    const start = Date.now();
    await cli.run(["worker", "stop", "--now", "--timeout", "20s"]);
    history.giveBacks.push({ start, end: Date.now() });
  }
  const burst = await cli.run([
    "worker",
    "run",
    "--burst",
    "--concurrency",
    "4",
    "--log-file",
    `${context.cli.home}/workers/burst.log`,
  ], { hungAfterMs: DRAIN_LIMIT_MS });
  await listWorkers(context);
  return burst.code;
}

async function readWorkerLogs(home: string): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  for await (const entry of Deno.readDir(`${home}/workers`)) {
    if (entry.name.endsWith(".log")) {
      logs.set(entry.name, await Deno.readTextFile(`${home}/workers/${entry.name}`));
    }
  }
  return logs;
}

async function check(
  directory: string,
  cli: Cli,
  history: History,
  ledger: string,
  drained: boolean,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const report = (rule: string, detail: string) => violations.push({ rule, detail });
  const jobs = await cli.json<FinalJob[]>("list", "--limit", "1000000") ?? [];
  const status = await cli.json<{ jobs: Counts; total: number }>("status");
  const queues = await cli.json<{ name: string; jobs: Counts }[]>("queue", "list");
  const workers = await cli.json<unknown[]>("worker", "list");
  if (status === null || queues === null) report("cli", "status or queue list failed");
  else checkCounts(jobs, status, queues, report);
  if (workers !== null && workers.length > 0) report("stopped", `${workers.length} workers listed`);
  const finalJobs = new Map(jobs.map((job) => [job.id, job]));
  // Attempt processes of SIGKILLed workers end once recovered; allow them a moment.
  const deadline = Date.now() + 10_000;
  let leftover = leftoverProcesses(cli.home, directory);
  while (leftover.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    leftover = leftoverProcesses(cli.home, directory);
  }
  for (const process of leftover) report("leftover-process", process);
  const runs = parseLedger(await Deno.readTextFile(ledger));
  // A burst worker that failed (also reported as a call) left jobs unfinished: no news there.
  if (drained) checkEnded(jobs, report);
  checkDependents(finalJobs, runs, report);
  const workerLogs = await readWorkerLogs(cli.home);
  checkAccounted(history, finalJobs, runs, workerLogs, report);
  checkReportedEnds(history, finalJobs, report);
  checkOneRunAtATime(runs, report);
  checkAttempts(history, runs, finalJobs, report);
  checkDependencies(history, runs, report);
  checkQueueLimits(history, runs, report);
  checkPauses(history, runs, report);
  checkTimeouts(history, runs, report);
  checkCalls(cli.calls, report);
  checkWorkerLogs(workerLogs, report);
  return violations;
}
