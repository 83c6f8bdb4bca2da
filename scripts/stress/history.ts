/**
 * What the stress run did, as far as the checks need it: the jobs it enqueued, and the times of
 * the changes that bound what workers may do (queue limits, pauses, dead-letter retries,
 * give-backs). A change is known to have happened within its CLI call's window.
 */
import type { JobKind } from "./job_script.ts";

export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface EnqueuedJob {
  readonly id: string;
  readonly queue: string;
  readonly after: readonly string[];
  readonly kind: JobKind;
  /** Its own --timeout in ms; null when it has none (config job_timeout applies). */
  readonly timeoutMs: number | null;
}

export interface LimitChange extends Window {
  readonly queue: string;
  /** null: no limit. */
  readonly limit: number | null;
}

export interface PauseChange extends Window {
  readonly queue: string;
  readonly paused: boolean;
}

export class History {
  readonly jobs = new Map<string, EnqueuedJob>();
  /** Every id in the order first enqueued, for picking recent ones. */
  readonly ids: string[] = [];
  readonly limitChanges: LimitChange[] = [];
  readonly pauseChanges: PauseChange[] = [];
  /** Per job, the windows of the `dlq retry` calls that moved it back to pending. */
  readonly revivals = new Map<string, Window[]>();
  /** Calls that may give running jobs back uncounted: `worker stop --now`. */
  readonly giveBacks: Window[] = [];
  /** While a worker was stopped (SIGSTOP): its timers, such as a job's timeout, fire late. */
  readonly stallWindows: Window[] = [];
  /** Every job that `cancel` said it cancelled, named or as a dependent. */
  readonly cancelled = new Set<string>();
  /** Every job that `wait` said had completed. */
  readonly completed = new Set<string>();
  readonly operations = new Map<string, number>();
  workerCount = 0;
  kills = 0;

  addJob(job: EnqueuedJob): void {
    if (this.jobs.has(job.id)) return;
    this.jobs.set(job.id, job);
    this.ids.push(job.id);
  }

  recentIds(count: number): string[] {
    return this.ids.slice(-count);
  }

  count(operation: string): void {
    this.operations.set(operation, (this.operations.get(operation) ?? 0) + 1);
  }

  revived(ids: readonly string[], window: Window): void {
    for (const id of ids) this.revivals.set(id, [...this.revivals.get(id) ?? [], window]);
  }
}
