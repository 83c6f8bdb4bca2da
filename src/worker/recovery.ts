import { decideAttemptOutcome } from "../core/attempt_outcome.ts";
import type { BackoffPolicy } from "../core/backoff.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { Store, WorkerRecord } from "../store/store.ts";
import { appendToLog } from "./job_process.ts";
import { groupExists, signalGroup } from "./process_group.ts";
import { isProcessAlive } from "./process_info.ts";

export interface RecoveryContext {
  readonly now: number;
  readonly host: string;
  /** The recovering worker's own id (never judged lost), or null outside a worker. */
  readonly self: number | null;
  readonly leaseMs: number;
  readonly backoff: BackoffPolicy;
  readonly layout: HomeLayout;
}

/**
 * Whether a worker is gone. On its own host a worker is dead when its pid no longer runs with
 * the start time it registered (so a reused pid cannot pass for it); on another host, or where
 * the OS cannot tell, when it has sent no heartbeat for a whole lease.
 */
export function isWorkerLost(
  worker: WorkerRecord,
  host: string,
  now: number,
  leaseMs: number,
): boolean {
  if (worker.host === host) {
    const alive = isProcessAlive(worker.pid, worker.procStart);
    if (alive !== null) return !alive;
  }
  return now - worker.heartbeatAt > leaseMs;
}

/** Removes the rows of lost workers (expiring their jobs' leases); returns the live ones. */
export async function pruneLostWorkers(
  store: Store,
  context: Pick<RecoveryContext, "now" | "host" | "self" | "leaseMs">,
): Promise<WorkerRecord[]> {
  const workers = await store.listWorkers();
  const lost = workers.filter((worker) =>
    worker.id !== context.self && isWorkerLost(worker, context.host, context.now, context.leaseMs)
  );
  await store.removeWorkers(lost.map((worker) => worker.id), context.now);
  return workers.filter((worker) => !lost.includes(worker));
}

/**
 * Recovers every job whose lease expired: kills what is left of its attempt's process group
 * when that ran on this host, then counts the attempt as failed ("worker lost (pid N)") with
 * the usual retry and DLQ rules. Returns a log line per recovered job.
 */
export async function recoverLostAttempts(
  store: Store,
  context: RecoveryContext,
): Promise<string[]> {
  await pruneLostWorkers(store, context);
  const lines: string[] = [];
  for (const lost of await store.findLostAttempts(context.now)) {
    if (lost.workerHost === context.host && lost.pgid !== null) {
      killOrphanedGroup(lost.pgid, lost.pgidStart);
    }
    const outcome = decideAttemptOutcome(
      lost.job,
      { kind: "worker_lost", workerPid: lost.workerPid },
      context.backoff,
      context.now,
    );
    if (await store.recoverLostAttempt(lost, outcome, context.now)) {
      appendToLog(
        jobLogPath(context.layout, lost.jobId),
        `queuectl: attempt ${lost.attempt} lost with its worker (pid ${lost.workerPid}); ${outcome.state}`,
      );
      lines.push(`recovered job ${lost.jobId} attempt ${lost.attempt}: ${outcome.state}`);
    }
  }
  return lines;
}

/**
 * Kills a lost attempt's process group, so it cannot run beside its retry. The group's leader
 * must still be the process recorded (same start time) or gone: a live process with that pid
 * and another start time leads an unrelated group.
 */
function killOrphanedGroup(pgid: number, startTime: string | null): void {
  const leaderAlive = isProcessAlive(pgid, startTime);
  const reused = leaderAlive === false && isProcessAlive(pgid, null) === true;
  if (reused || !groupExists(pgid)) return;
  signalGroup(pgid, "SIGKILL");
}
