import type { WorkerRecord } from "../store/store.ts";
import { wakeSocketPath } from "./wake_socket_path.ts";

/**
 * Removes the wake-up socket a lost worker left (a worker killed with SIGKILL cannot remove its
 * own), when it is still that worker's: the path the worker makes in this data directory's
 * `workers/` for its pid and host (a row naming any other path is left alone, never followed), a socket
 * and not a link, made before the worker's last heartbeat, and registered by no remaining worker.
 * A newer worker with the same pid makes its own socket under the same name, after that
 * heartbeat, perhaps not yet registered: the time tells the two apart. Whatever the worker's
 * host: one sharing the home (a network filesystem, a container's bind-mounted home) left its
 * socket here too, and only its row's removal says it is lost. Its heartbeat is by its own clock,
 * the socket's time by this filesystem's: a lost worker's heartbeat is a whole lease old, the
 * margin against their difference.
 */
export async function removeLostWakeSocket(
  lost: WorkerRecord,
  remaining: readonly WorkerRecord[],
  workersDirectory: string,
): Promise<void> {
  const path = wakeSocketPath(workersDirectory, lost.pid, lost.host);
  if (lost.wakeSocket !== path) return;
  if (remaining.some((worker) => worker.wakeSocket === path)) return;
  try {
    const info = await Deno.lstat(path);
    const madeAt = info.mtime?.getTime();
    if (!info.isSocket || madeAt === undefined || madeAt > lost.heartbeatAt) return;
    await Deno.remove(path);
  } catch {
    // Gone already, or out of reach: a stale socket costs a failed poke, never a wrong answer.
  }
}
