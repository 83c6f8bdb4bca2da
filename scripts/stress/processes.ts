/** Processes left behind by the stress run: workers of its home, or its jobs' commands. */
import { runsInHome } from "./worker_operations.ts";

function commandLine(pid: number): string | null {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ").trim();
  } catch {
    return null;
  }
}

function isZombie(pid: number): boolean {
  try {
    return / Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`).replace(/^.*\)/, ""));
  } catch {
    return true;
  }
}

/** `pid: command line` of each live process that runs in `home` or names `directory`. */
export function leftoverProcesses(home: string, directory: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || pid === Deno.pid || isZombie(pid)) continue;
    const line = commandLine(pid);
    if (line === null || line === "") continue;
    if (line.includes(directory) || runsInHome(pid, home)) found.push(`${pid}: ${line}`);
  }
  return found;
}
