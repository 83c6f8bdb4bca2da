/**
 * How this program starts itself again (workers are this same program with `worker run`):
 * a compiled binary runs itself; under `deno run` (from source or as the bundle) the deno
 * executable runs the same entry file with the same permissions.
 */
export const PERMISSION_FLAGS: readonly string[] = ["-A"];
/**
 * The program imports only its own files and `node:` built-ins, so it needs no deno.json: without
 * `--no-config`, deno looks for one from the entry file's directory up and, in a clone, reads it
 * and its lock file on every start (~2 ms).
 */
export const CONFIG_FLAGS: readonly string[] = ["--no-config"];

export type ProgramForm = "source" | "bundle" | "binary";

export interface RuntimeFacts {
  readonly standalone: boolean;
  readonly execPath: string;
  readonly mainModule: string;
}

export function currentRuntime(): RuntimeFacts {
  return {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
  };
}

/** The executable and arguments that run this program with `args`. */
export function selfCommand(
  args: readonly string[],
  runtime: RuntimeFacts = currentRuntime(),
): { command: string; args: string[] } {
  if (runtime.standalone) return { command: runtime.execPath, args: [...args] };
  return {
    command: runtime.execPath,
    args: ["run", ...PERMISSION_FLAGS, ...CONFIG_FLAGS, runtime.mainModule, ...args],
  };
}

export function programForm(runtime: RuntimeFacts = currentRuntime()): ProgramForm {
  if (runtime.standalone) return "binary";
  return runtime.mainModule.endsWith(".js") ? "bundle" : "source";
}
