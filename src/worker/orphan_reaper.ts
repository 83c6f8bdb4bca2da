import { LIBC, type Libc } from "./libc.ts";
import { readProcessStat } from "./process_info.ts";

// A worker that is a container's first process (`worker run` as its entrypoint, without an init
// such as `docker run --init`) is the parent of every process orphaned in the container: the
// background processes a job's shell left behind (`server & exit 0`) become its children when
// the shell exits. Nothing reaped them, so each one that ended stayed a zombie, holding its pid
// for as long as the container ran, until the container could start no process.

const status = new Int32Array(new ArrayBuffer(4));

/**
 * Reaps the ended processes orphaned to this worker when it is its PID namespace's first
 * process, leaving alone `ownChildren` (the commands it started and waits for itself). Returns
 * how many it reaped.
 */
export function reapOrphanedZombies(libc: Libc, ownChildren: ReadonlySet<number>): number {
  if (Deno.pid !== 1) return 0;
  let reaped = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || pid === 1 || ownChildren.has(pid)) continue;
    const stat = readProcessStat(pid);
    if (stat?.ppid !== 1 || stat.state !== "Z") continue;
    if (libc.waitpid_nohang(pid, new Uint8Array(status.buffer), LIBC.WNOHANG) === pid) reaped++;
  }
  return reaped;
}
