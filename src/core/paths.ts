import { UsageError } from "./errors.ts";

/** Where queuectl keeps its files, given the environment and the OS. */
export function resolveHome(env: (name: string) => string | undefined, os: string): string {
  const explicit = env("QUEUECTL_HOME");
  if (explicit !== undefined && explicit !== "") return explicit;
  if (os === "windows") {
    const localAppData = env("LOCALAPPDATA");
    if (localAppData) return `${localAppData}\\queuectl`;
  }
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) {
    throw new UsageError("Cannot find a home directory: set QUEUECTL_HOME to a directory");
  }
  return `${home}/.queuectl`;
}

export interface HomeLayout {
  readonly home: string;
  readonly database: string;
  readonly logs: string;
  readonly workers: string;
}

export function homeLayout(home: string): HomeLayout {
  return {
    home,
    database: `${home}/queue.db`,
    logs: `${home}/logs`,
    workers: `${home}/workers`,
  };
}

export function jobLogPath(layout: HomeLayout, jobId: string): string {
  return `${layout.logs}/${jobId}.log`;
}
