import { isFromAnotherBoot, isProcessAlive, processGroupsWithEnvironment } from "./process_info.ts";

/**
 * Signals to a job's process group. Each job's command is started in a new session, so its
 * pid is also its process group id, and `kill(-pgid)` reaches every process it started (unless
 * one called setsid itself).
 */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  if (Deno.build.os === "windows") return false;
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone already.
    return false;
  }
}

/** Whether any process of the group remains (SIGCONT is harmless to running processes). */
export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, "SIGCONT");
}

/**
 * SIGTERM to the group, then SIGKILL once `graceMs` has passed with any member still there.
 * Resolves when the group is gone (or after the SIGKILL).
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, "SIGTERM")) return;
  // The monotonic clock: a step of the wall clock must neither cut the grace short nor stretch it.
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(25, graceMs)));
    if (!groupExists(pgid)) return;
  }
  signalGroup(pgid, "SIGKILL");
}

/**
 * Whether a recorded process group may still be the attempt's: not one of an earlier boot, and
 * its leader either the process recorded (same start time) or gone, leaving members of its
 * group. A live process with that pid and another start time leads an unrelated group.
 */
export function mayBeAttemptGroup(pgid: number, startTime: string | null): boolean {
  if (isFromAnotherBoot(startTime)) return false;
  return !(isProcessAlive(pgid, startTime) === false && isProcessAlive(pgid, null) === true);
}

/**
 * The process groups of an attempt whose group was never recorded: its worker was lost (or
 * blocked) between starting the command and recording it. They are found by the job id and
 * attempt number their worker put in the command's environment (Linux only; none elsewhere).
 */
export function unrecordedAttemptGroups(jobId: string, attempt: number): number[] {
  return processGroupsWithEnvironment([
    `QUEUECTL_JOB_ID=${jobId}`,
    `QUEUECTL_ATTEMPT=${attempt}`,
  ]);
}
