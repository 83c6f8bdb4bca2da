/**
 * Checks over the ledger's runs against what README's "Guarantees" and the queue commands
 * promise: one attempt process of a job at a time, attempts as recorded, dependencies completed
 * before a dependent starts, queue limits and pauses respected. Times are bounded loosely
 * (CLAIM_SLACK_MS) so that a loaded machine's delays are never reported as violations.
 */
import type { History, Window } from "./history.ts";
import { lastSeenRunning, type Run } from "./ledger.ts";

/** The longest time allowed between a claim and its attempt's first ledger line. */
const CLAIM_SLACK_MS = 3000;

export interface FinalJob {
  readonly id: string;
  readonly state: string;
  readonly attempts: number;
  readonly max_retries: number;
  readonly queue: string;
  readonly after: readonly string[];
}

export type Report = (rule: string, detail: string) => void;

function describe(run: Run): string {
  return `${run.id} attempt ${run.attempt} (pid ${run.pid}, ${run.start}..${
    run.end ?? (run.term === null ? "killed" : `term ${run.term}`)
  })`;
}

function byJob(runs: readonly Run[]): Map<string, Run[]> {
  const map = new Map<string, Run[]>();
  for (const run of runs) map.set(run.id, [...map.get(run.id) ?? [], run]);
  return map;
}

/** No two attempt processes of one job overlap: a lost attempt is killed before its retry. */
export function checkOneRunAtATime(runs: readonly Run[], report: Report): void {
  for (const jobRuns of byJob(runs).values()) {
    jobRuns.forEach((run, index) => {
      for (const later of jobRuns.slice(index + 1)) {
        if (later.start < lastSeenRunning(run)) {
          report("one-run-at-a-time", `${describe(later)} started while ${describe(run)} ran`);
        }
      }
    });
  }
}

/**
 * Whether the run may have been given back uncounted by a `worker stop --now` made while it ran
 * or soon after: also one that exited, when its worker had not yet recorded its end (a timeout
 * that fired late, or a stalled worker).
 */
function gaveBack(run: Run, giveBacks: readonly Window[]): boolean {
  return giveBacks.some((window) =>
    window.start <= lastSeenRunning(run) + CLAIM_SLACK_MS && window.end >= run.start
  );
}

/** The runs since the job's last `dlq retry`, which reset its attempts. */
function currentRuns(history: History, id: string, runs: readonly Run[]): Run[] {
  const since = Math.max(0, ...(history.revivals.get(id) ?? []).map((window) => window.start));
  return runs.filter((run) => run.start > since);
}

/**
 * Attempts as recorded: at most max_retries + 1; no attempt number run twice unless given back
 * (`worker stop --now`); none above the job's count; a completed job's last attempt succeeded.
 */
export function checkAttempts(
  history: History,
  runs: readonly Run[],
  finalJobs: ReadonlyMap<string, FinalJob>,
  report: Report,
): void {
  const runsByJob = byJob(runs);
  for (const job of finalJobs.values()) {
    if (job.attempts > job.max_retries + 1) {
      report(
        "attempt-limit",
        `${job.id}: ${job.attempts} attempts, max_retries ${job.max_retries}`,
      );
    }
    const current = currentRuns(history, job.id, runsByJob.get(job.id) ?? []);
    const counted = current.filter((run) => !gaveBack(run, history.giveBacks));
    for (const run of counted) {
      if (run.attempt > job.attempts) {
        report("attempts-recorded", `${describe(run)} ran; the job records ${job.attempts}`);
      }
      const again = current.find((other) =>
        other !== run && other.attempt === run.attempt && other.start > run.start
      );
      if (again) report("attempt-once", `${describe(run)} ran again as ${describe(again)}`);
    }
    if (
      job.state === "completed" &&
      !current.some((run) => run.code === "0" && run.attempt === job.attempts)
    ) {
      report(
        "completed-run",
        `${job.id} completed at attempt ${job.attempts}: no such run succeeded`,
      );
    }
  }
}

/** The longest kill_grace the run sets, and the stubborn jobs' cleanup fits in it. */
const MAX_KILL_GRACE_MS = 3000;

/**
 * No attempt of a job with its own --timeout runs much past it: SIGTERM at the timeout, SIGKILL
 * after kill_grace. A stalled worker's timer fires late, so a run beside a stall is a suspect.
 */
export function checkTimeouts(history: History, runs: readonly Run[], report: Report): void {
  for (const run of runs) {
    const timeout = history.jobs.get(run.id)?.timeoutMs ?? null;
    if (timeout === null) continue;
    const ran = lastSeenRunning(run) - run.start;
    if (ran <= timeout + MAX_KILL_GRACE_MS + CLAIM_SLACK_MS) continue;
    const stalled = history.stallWindows.some((window) =>
      window.start < lastSeenRunning(run) && window.end > run.start
    );
    report(
      stalled ? "timeout (beside a stall)" : "timeout",
      `${describe(run)} ran ${ran} ms; its timeout is ${timeout} ms`,
    );
  }
}

/** A dependent starts only after each of its dependencies ran to exit 0. */
export function checkDependencies(history: History, runs: readonly Run[], report: Report): void {
  const succeeded = new Map<string, number>();
  for (const run of runs) {
    if (run.code === "0" && run.end !== null) {
      succeeded.set(run.id, Math.min(run.end, succeeded.get(run.id) ?? Infinity));
    }
  }
  for (const run of runs) {
    for (const dependency of history.jobs.get(run.id)?.after ?? []) {
      const at = succeeded.get(dependency);
      if (at === undefined || at > run.start) {
        report(
          "dependencies-first",
          `${describe(run)} started; its dependency ${dependency} ${
            at === undefined ? "never succeeded" : `succeeded at ${at}`
          }`,
        );
      }
    }
  }
}

/**
 * The highest limit the queue may have had for a claim made within [from, to]: that of each
 * change made then, and of the last made before, or of any made at once with that one (their
 * order is not known).
 */
function highestLimit(history: History, queue: string, from: number, to: number): number {
  const changes = history.limitChanges.filter((change) => change.queue === queue);
  const settled = changes.filter((change) => change.end <= from)
    .sort((a, b) => a.end - b.end).at(-1);
  const candidates = changes.filter((change) =>
    change.start <= to &&
    (change.end > from || (settled !== undefined && change.end > settled.start))
  );
  const limits = settled === undefined
    ? [null, ...candidates.map((c) => c.limit)]
    : candidates.map((change) => change.limit);
  return Math.max(...limits.map((limit) => limit ?? Infinity));
}

/** At no start do more of a queue's attempt processes run than its limit allowed. */
export function checkQueueLimits(history: History, runs: readonly Run[], report: Report): void {
  for (const run of runs) {
    const limit = highestLimit(history, run.queue, run.start - CLAIM_SLACK_MS, run.start);
    if (limit === Infinity) continue;
    const beside = runs.filter((other) =>
      other !== run && other.queue === run.queue && other.start <= run.start &&
      lastSeenRunning(other) > run.start
    );
    if (beside.length + 1 > limit) {
      report(
        "queue-limit",
        `${describe(run)} started in ${run.queue} (limit ${limit}) beside ${
          beside.map(describe).join(", ")
        }`,
      );
    }
  }
}

/** No attempt starts in a queue that was paused for the whole time its claim could have taken. */
export function checkPauses(history: History, runs: readonly Run[], report: Report): void {
  for (const pause of history.pauseChanges.filter((change) => change.paused)) {
    const resumedAt = Math.min(
      ...history.pauseChanges.filter((change) =>
        change.queue === pause.queue && !change.paused && change.end > pause.start
      ).map((change) => change.start),
    );
    for (const run of runs) {
      if (
        run.queue === pause.queue && run.start - CLAIM_SLACK_MS > pause.end &&
        run.start < resumedAt
      ) {
        report("pause", `${describe(run)} started in ${run.queue}, paused at ${pause.end}`);
      }
    }
  }
}
