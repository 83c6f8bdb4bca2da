/**
 * Process facts read from /proc (Linux). An exited process may linger as a zombie, and pids are
 * reused, so "alive" means: a /proc entry, not in state Z, with the start time recorded for it.
 * Elsewhere these facts are unknown (null) and callers fall back on heartbeats.
 */
export interface ProcessStat {
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly startTime: string;
}

export function readProcessStat(pid: number): ProcessStat | null {
  const stat = readStat(pid);
  return typeof stat === "string" ? null : stat;
}

/**
 * A process's facts, or "gone" (no such process), or "unreadable": the file could not be read
 * for want of this process's own resources (too many open files, ...), which says nothing of
 * the process read about.
 */
function readStat(pid: number): ProcessStat | "gone" | "unreadable" {
  if (Deno.build.os !== "linux") return "unreadable";
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "gone" : "unreadable";
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    state: fields[0] ?? "",
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: fields[19] ?? "",
  };
}

/** The process's start time, to store beside its pid; null where it cannot be known. */
export function processStartTime(pid: number): string | null {
  const ticks = readProcessStat(pid)?.startTime;
  return ticks === undefined ? null : startTimeInThisBoot(ticks);
}

/**
 * A start time as stored: /proc's ticks since boot, and the boot they count from ("<ticks>@<boot
 * id>"). After a reboot the same pid can start at the same tick as a process of the boot
 * before, whose group must then not be taken for that process's.
 */
export function startTimeInThisBoot(ticks: string): string {
  const boot = currentBootId();
  return boot === null ? ticks : `${ticks}@${boot}`;
}

/** Whether a stored start time counts from an earlier boot: its process is gone. */
export function isFromAnotherBoot(startTime: string | null): boolean {
  const boot = startTime?.split("@")[1];
  return boot !== undefined && boot !== currentBootId();
}

let bootId: string | null | undefined;

function currentBootId(): string | null {
  if (bootId !== undefined) return bootId;
  try {
    bootId = Deno.readTextFileSync("/proc/sys/kernel/random/boot_id").trim() || null;
  } catch {
    bootId = null;
  }
  return bootId;
}

/**
 * Whether the process that had `pid` and started at `startTime` still runs: true, false, or
 * null when this OS cannot tell. A start time stored before boot ids were (bare ticks) is
 * compared as ticks alone.
 */
export function isProcessAlive(pid: number, startTime: string | null): boolean | null {
  if (Deno.build.os !== "linux") return null;
  if (isFromAnotherBoot(startTime)) return false;
  const stat = readStat(pid);
  // Judged dead for this process's own shortage, a live worker lost its row and its jobs.
  if (stat === "unreadable") return null;
  if (stat === "gone" || stat.state === "Z") return false;
  return startTime === null || stat.startTime === startTime.split("@")[0];
}

/**
 * The process groups of live processes whose environment holds every one of `variables` (such
 * as "QUEUECTL_JOB_ID=k3x9m2qa7z"), this process's own group excepted. A process's first
 * environment stays readable in /proc whatever it does with its variables later. Linux only;
 * other users' processes cannot be read and are skipped.
 */
export function processGroupsWithEnvironment(variables: readonly string[]): number[] {
  if (Deno.build.os !== "linux") return [];
  const own = readProcessStat(Deno.pid)?.pgid;
  const groups = new Set<number>();
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid)) continue;
    let environment: string;
    try {
      environment = `\0${Deno.readTextFileSync(`/proc/${pid}/environ`)}`;
    } catch {
      continue;
    }
    if (!variables.every((variable) => environment.includes(`\0${variable}\0`))) continue;
    const stat = readProcessStat(pid);
    if (stat !== null && stat.state !== "Z" && stat.pgid !== own) groups.add(stat.pgid);
  }
  return [...groups];
}

/**
 * What "this host" means to liveness checks, recovery and `cancel`: the machine's name, and the
 * PID namespace when it is not the machine's own. Pids mean something only within their
 * namespace, and a container may share the host's name (`--network host`) and a bind-mounted
 * QUEUECTL_HOME: judged by pids of another namespace, a live worker was found dead, its row
 * removed and its running job given to another worker. Across namespaces, heartbeats and
 * leases by the wall clock decide, as across machines.
 */
export function hostName(): string {
  host ??= hostIdentity(machineName(), pidNamespace());
  return host;
}

let host: string | undefined;

/** The kernel's PID namespace link of the first (the machine's own) namespace (PROC_PID_INIT_INO). */
const INITIAL_PID_NAMESPACE = "pid:[4026531836]";

/** A machine name, and a PID namespace link (`pid:[<inode>]`) if known. */
export function hostIdentity(machine: string, namespace: string | null): string {
  const inode = namespace?.match(/^pid:\[(\d+)\]$/)?.[1];
  if (namespace === INITIAL_PID_NAMESPACE || inode === undefined) return machine;
  return `${machine}/pidns-${inode}`;
}

function machineName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

function pidNamespace(): string | null {
  if (Deno.build.os !== "linux") return null;
  try {
    return Deno.readLinkSync("/proc/self/ns/pid");
  } catch {
    return null;
  }
}
