import type { CancelledJob } from "../store/store.ts";
import { mayBeAttemptGroup, terminateGroup } from "./process_group.ts";
import { hostName } from "./process_info.ts";

/**
 * Kills the process groups of cancelled jobs that were running on this host (TERM, then KILL
 * after the grace), unless the recorded group is now another process's. The worker's own record of the attempt is fenced off by the cancellation;
 * a worker on another host kills its command at its next heartbeat.
 */
export async function killCancelledAttempts(
  cancelled: readonly CancelledJob[],
  graceMs: number,
): Promise<void> {
  const host = hostName();
  await Promise.all(
    cancelled
      .filter((job) =>
        job.pgid !== null && job.workerHost === host && mayBeAttemptGroup(job.pgid, job.pgidStart)
      )
      .map((job) => terminateGroup(job.pgid!, graceMs)),
  );
}
