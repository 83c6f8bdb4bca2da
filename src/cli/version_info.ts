import denoConfig from "../../deno.json" with { type: "json" };
import { sqliteVersion } from "../store/sqlite/sqlite_version.ts";
import { currentRuntime, type ProgramForm, programForm } from "../worker/relaunch.ts";

/** What `queuectl version` reports: this program, the form it runs as, and its runtime. */
export interface VersionInfo {
  readonly version: string;
  readonly form: ProgramForm;
  readonly deno: string;
  readonly sqlite: string;
  readonly target: string;
}

export function versionInfo(): VersionInfo {
  return {
    version: denoConfig.version,
    form: programForm(currentRuntime()),
    deno: Deno.version.deno,
    sqlite: sqliteVersion(),
    target: Deno.build.target,
  };
}

/** `queuectl 0.1.0 (bundle, x86_64-unknown-linux-gnu)` then the Deno and SQLite versions. */
export function renderVersion(info: VersionInfo): string {
  return [
    `queuectl ${info.version} (${info.form}, ${info.target})`,
    `deno ${info.deno}`,
    `sqlite ${info.sqlite}`,
    "",
  ].join("\n");
}
