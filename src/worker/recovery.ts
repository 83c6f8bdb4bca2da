import { decideAttemptOutcome } from "../core/attempt_outcome.ts";
import type { BackoffPolicy } from "../core/backoff.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { LostAttempt, Store } from "../store/store.ts";
import { appendToLog } from "./job_log.ts";
import {
  groupExists,
  mayBeAttemptGroup,
  signalGroup,
  unrecordedAttemptGroups,
} from "./process_group.ts";
import { leaseRunsOnThisHost } from "./lease_clock.ts";
import { type LivenessContext, pruneLostWorkers } from "./live_workers.ts";

export interface RecoveryContext extends LivenessContext {
  readonly backoff: BackoffPolicy;
  readonly layout: HomeLayout;
  /** This host's CLOCK_MONOTONIC in ms (lease_clock.ts), or null where unknown. */
  readonly monotonicNow: number | null;
}

/**
 * Recovers every job whose lease expired: kills what is left of its attempt's process group
 * when that ran on this host, then counts the attempt as failed ("worker lost (pid N)") with
 * the usual retry and DLQ rules. Returns a log line per recovered job. An attempt of a live
 * worker on this host whose lease runs still by the host's monotonic clock is left alone: only
 * the wall clock jumped (a suspend, a clock step), and its worker renews the lease at its next
 * heartbeat.
 */
export async function recoverLostAttempts(
  store: Store,
  context: RecoveryContext,
): Promise<string[]> {
  await pruneLostWorkers(store, context, context.layout.workers);
  const lines: string[] = [];
  for (const lost of await store.findLostAttempts(context.now)) {
    if (
      lost.workerHost === context.host &&
      leaseRunsOnThisHost(lost.leaseExpiresAtMonotonic, context.monotonicNow)
    ) continue;
    if (lost.workerHost === context.host) {
      if (lost.pgid !== null) killOrphanedGroup(lost.pgid, lost.pgidStart);
      else killUnrecordedGroups(lost);
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

/** Kills the process groups of a lost attempt whose worker never recorded one. */
function killUnrecordedGroups(lost: LostAttempt): void {
  for (const pgid of unrecordedAttemptGroups(lost.jobId, lost.attempt)) {
    signalGroup(pgid, "SIGKILL");
  }
}

/** Kills a lost attempt's process group, so it cannot run beside its retry. */
function killOrphanedGroup(pgid: number, startTime: string | null): void {
  if (mayBeAttemptGroup(pgid, startTime) && groupExists(pgid)) signalGroup(pgid, "SIGKILL");
}
