import { UsageError } from "./errors.ts";

/**
 * Where queuectl keeps its files, given the environment, the OS and the current directory: a
 * relative QUEUECTL_HOME is made absolute against it, since workers run in the home itself and
 * would read it again from there. `cwd` is called only then. Without HOME (cron's or a system
 * unit's bare environment, `env -i`), the user's home from the account database, as a login
 * shell would set HOME (`accountHome`, called only then).
 */
export function resolveHome(
  env: (name: string) => string | undefined,
  os: string,
  cwd: () => string,
  accountHome: () => string | null,
): string {
  const explicit = env("QUEUECTL_HOME");
  if (explicit !== undefined && explicit !== "") return absolutePath(explicit, os, cwd);
  if (os === "windows") {
    const localAppData = env("LOCALAPPDATA");
    if (localAppData) return `${localAppData}\\queuectl`;
  }
  const home = env("HOME") || env("USERPROFILE") || (os === "windows" ? null : accountHome());
  if (!home) {
    throw new UsageError("Cannot find a home directory: set QUEUECTL_HOME to a directory");
  }
  return `${home}/.queuectl`;
}

/** The home directory of user `uid` in the text of /etc/passwd, or null if it has none there. */
export function homeInPasswd(passwd: string, uid: number): string | null {
  for (const line of passwd.split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 7 && fields[2] === String(uid) && fields[5]) return fields[5];
  }
  return null;
}

function absolutePath(path: string, os: string, cwd: () => string): string {
  if (os === "windows") {
    // Only a path with neither a drive (C:) nor a leading separator is taken as relative.
    return /^(?:[A-Za-z]:|[\\/])/.test(path) ? path : `${cwd()}\\${path}`;
  }
  return path.startsWith("/") ? path : `${cwd()}/${path}`;
}

export interface HomeLayout {
  readonly home: string;
  readonly database: string;
  readonly logs: string;
  readonly workers: string;
}

/** The directory of the workers' sockets and logs, in the home. */
export const WORKERS_DIRECTORY = "workers";

export function homeLayout(home: string): HomeLayout {
  return {
    home,
    database: `${home}/queue.db`,
    logs: `${home}/logs`,
    workers: `${home}/${WORKERS_DIRECTORY}`,
  };
}

export function jobLogPath(layout: HomeLayout, jobId: string): string {
  return `${layout.logs}/${jobId}.log`;
}
