import type { CancelledJob } from "../store/store.ts";
import { mayBeAttemptGroup, terminateGroup, unrecordedAttemptGroups } from "./process_group.ts";
import { hostName } from "./process_info.ts";

/**
 * Kills the process groups of cancelled jobs that were running on this host (TERM, then KILL
 * after the grace); returns those whose recorded group is gone now (killed, or no longer theirs). A recorded group is left alone if it is now another process's; an attempt
 * with none recorded (its worker lost between starting the command and recording it, or about
 * to record it) is found as recovery finds it, by the markers in its command's environment. The
 * worker's own record of the attempt is fenced off by the cancellation; a worker on another
 * host kills its command at its next heartbeat.
 */
export async function killCancelledAttempts(
  cancelled: readonly CancelledJob[],
  graceMs: number,
): Promise<CancelledJob[]> {
  const host = hostName();
  const here = cancelled.filter((job) => job.attempt !== null && job.workerHost === host);
  const groups = here.flatMap((job) => {
    if (job.pgid === null) return unrecordedAttemptGroups(job.id, job.attempt!);
    return mayBeAttemptGroup(job.pgid, job.pgidStart) ? [job.pgid] : [];
  });
  await Promise.all(groups.map((pgid) => terminateGroup(pgid, graceMs)));
  // Not one whose worker had not recorded its group: it may be about to start the command.
  return here.filter((job) => job.pgid !== null);
}
