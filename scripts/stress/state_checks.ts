/**
 * Checks of the final state once the workers drained: every job ended, the counts `status` and
 * `queue list` keep (by triggers) equal to the jobs listed, dependents of a failed pipeline
 * cancelled, every enqueued job accounted for, and no CLI call that crashed or hung.
 */
import type { CallRecord } from "./cli.ts";
import type { History } from "./history.ts";
import { FAILURE_CODE } from "./job_script.ts";
import type { Run } from "./ledger.ts";
import type { FinalJob, Report } from "./run_checks.ts";

const TERMINAL = ["completed", "dead", "cancelled"];
const STATES = ["pending", "processing", "completed", "failed", "dead", "cancelled"];

export interface Counts {
  readonly [state: string]: number;
}

function countStates(jobs: readonly FinalJob[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(STATES.map((state) => [state, 0]));
  for (const job of jobs) counts[job.state] = (counts[job.state] ?? 0) + 1;
  return counts;
}

function compareCounts(what: string, kept: Counts, listed: Counts, report: Report): void {
  for (const state of STATES) {
    if ((kept[state] ?? 0) !== (listed[state] ?? 0)) {
      report("counts", `${what}: ${state} ${kept[state]} kept, ${listed[state]} listed`);
    }
  }
}

export function checkCounts(
  jobs: readonly FinalJob[],
  status: { jobs: Counts; total: number },
  queues: readonly { name: string; jobs: Counts }[],
  report: Report,
): void {
  compareCounts("status", status.jobs, countStates(jobs), report);
  if (status.total !== jobs.length) {
    report("counts", `status total ${status.total}, ${jobs.length} jobs listed`);
  }
  const names = new Set([...queues.map((queue) => queue.name), ...jobs.map((job) => job.queue)]);
  for (const name of names) {
    const kept = queues.find((queue) => queue.name === name)?.jobs ?? {};
    compareCounts(`queue ${name}`, kept, countStates(jobs.filter((j) => j.queue === name)), report);
  }
}

export function checkEnded(jobs: readonly FinalJob[], report: Report): void {
  for (const job of jobs) {
    if (!TERMINAL.includes(job.state)) {
      report("drained", `${job.id} is ${job.state} after the burst worker drained the queues`);
    }
  }
}

/** A dependent of a dead or cancelled job is cancelled; a completed one's dependencies completed. */
export function checkDependents(
  finalJobs: ReadonlyMap<string, FinalJob>,
  runs: readonly Run[],
  report: Report,
): void {
  const succeeded = new Set(runs.filter((run) => run.code === "0").map((run) => run.id));
  for (const job of finalJobs.values()) {
    for (const id of job.after) {
      const dependency = finalJobs.get(id);
      const state = dependency?.state ?? (succeeded.has(id) ? "pruned" : "missing");
      if ((state === "dead" || state === "cancelled") && job.state !== "cancelled") {
        report("dependents-cancelled", `${job.id} is ${job.state}; its dependency ${id} ${state}`);
      }
      if (job.state === "completed" && state !== "completed" && state !== "pruned") {
        report("dependents-cancelled", `${job.id} completed; its dependency ${id} is ${state}`);
      }
    }
  }
}

/**
 * Whether a job may have ended: `cancel` named it, an attempt of it ran or was claimed (and so
 * could have completed or ended dead, also when its worker died before starting the command),
 * or one of its dependencies may have ended other than completed.
 */
function mayHaveEnded(
  history: History,
  ran: ReadonlySet<string>,
  id: string,
  seen = new Set<string>(),
): boolean {
  if (history.cancelled.has(id) || ran.has(id)) return true;
  if (seen.has(id)) return false;
  seen.add(id);
  return (history.jobs.get(id)?.after ?? []).some((dependency) =>
    mayHaveEnded(history, ran, dependency, seen)
  );
}

/**
 * What `cancel` and `wait` said stays true: a job cancelled by `cancel` (named, or a dependent
 * of one named) stays cancelled, as only a dependency's death is undone by `dlq retry`; a job
 * `wait` saw completed stays completed. Unless pruned.
 */
export function checkReportedEnds(
  history: History,
  finalJobs: ReadonlyMap<string, FinalJob>,
  report: Report,
): void {
  const reported: [ReadonlySet<string>, string][] = [
    [history.cancelled, "cancelled"],
    [history.completed, "completed"],
  ];
  for (const [ids, state] of reported) {
    for (const id of ids) {
      const job = finalJobs.get(id);
      if (job !== undefined && job.state !== state) {
        report("ends-stay", `${id} was reported ${state}, and is ${job.state}`);
      }
    }
  }
}

/** The ids of the jobs whose attempts a worker's log says ended: `job <id> attempt n: dead`. */
function attemptsLogged(logs: ReadonlyMap<string, string>): Set<string> {
  const ids = new Set<string>();
  for (const text of logs.values()) {
    for (const [, id] of text.matchAll(/ (?:recovered )?job (\S+) attempt \d+: /g)) ids.add(id!);
  }
  return ids;
}

/** Every enqueued job is listed, or was deleted by prune, which takes only ended jobs. */
export function checkAccounted(
  history: History,
  finalJobs: ReadonlyMap<string, FinalJob>,
  runs: readonly Run[],
  workerLogs: ReadonlyMap<string, string>,
  report: Report,
): void {
  const ran = attemptsLogged(workerLogs);
  for (const run of runs) ran.add(run.id);
  for (const id of history.ids) {
    if (finalJobs.has(id) || mayHaveEnded(history, ran, id)) continue;
    report("accounted", `${id} is gone, though it never ran, nor was it cancelled`);
  }
}

const CRASH = /Uncaught|panicked|^\s+at .*:\d+:\d+\)?$|\w+Error: |Cannot read properties/m;

/** A worker's log says this when it stops for an error (its database gone, or a bug). */
const WORKER_FAILED = /worker failed: /;

function allowedCodes(args: readonly string[]): number[] {
  if (args[0] === "wait") return [0, 1, 2, 124];
  // The job's own exit code when it ended dead, 124 when timed out, 143 when stopped by SIGTERM.
  if (args[0] === "run") return [0, 1, 2, FAILURE_CODE, 124, 143];
  // Its 1 means its database was removed or unusable, which the stress run never does.
  if (args[0] === "worker" && args[1] === "run") return [0];
  return [0, 1, 2];
}

export function checkCalls(calls: readonly CallRecord[], report: Report): void {
  for (const call of calls) {
    const line = `queuectl ${call.args.join(" ")}`;
    if (call.hung) report("cli-hung", `${line}: killed after its time limit`);
    if (CRASH.test(call.stderr)) report("cli-crash", `${line}: ${call.stderr.trim()}`);
    if (!call.hung && !allowedCodes(call.args).includes(call.code)) {
      report("cli-exit-code", `${line}: exit ${call.code}: ${call.stderr.trim()}`);
    }
  }
}

/** Lines of the workers' logs that show a crash. */
export function checkWorkerLogs(logs: ReadonlyMap<string, string>, report: Report): void {
  for (const [name, text] of logs) {
    for (const line of text.split("\n")) {
      if (CRASH.test(line) || WORKER_FAILED.test(line)) report("worker-crash", `${name}: ${line}`);
    }
  }
}
