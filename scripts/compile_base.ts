/**
 * Whether `deno compile` can get its base (the `denort` runtime) for a target. Deno 2.9.6 takes
 * `DENORT_BIN` when set, whatever the target, so it only stands for this machine's target;
 * otherwise it uses `<DENO_DIR>/dl/release/v<version>/denort-<target>.zip`, downloading it
 * from dl.deno.land when missing.
 */
export const HOST_TARGET: string = Deno.build.target;

export const TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

export type CompileBase =
  | { readonly available: true; readonly source: string }
  | { readonly available: false; readonly reason: string };

const PROBE_TIMEOUT_MS = 10_000;

export async function compileBase(
  target: string,
  env: (name: string) => string | undefined,
): Promise<CompileBase> {
  const denortBin = env("DENORT_BIN");
  if (denortBin && target === HOST_TARGET) {
    return await exists(denortBin)
      ? { available: true, source: `DENORT_BIN=${denortBin}` }
      : { available: false, reason: `DENORT_BIN="${denortBin}" does not exist` };
  }
  const suffix = `release/v${Deno.version.deno}/denort-${target}.zip`;
  const cached = `${await denoDir()}/dl/${suffix}`;
  if (await exists(cached)) return { available: true, source: cached };
  const url = `https://dl.deno.land/${suffix}`;
  try {
    const response = await fetch(url, {
      method: "HEAD",
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (response.status === 404) return { available: false, reason: `${url} does not exist` };
    return { available: true, source: url };
  } catch (error) {
    return { available: false, reason: `${url} cannot be downloaded (${networkCause(error)})` };
  }
}

async function denoDir(): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return (JSON.parse(new TextDecoder().decode(output.stdout)) as { denoDir: string }).denoDir;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** "Name or service not known" out of fetch's nested "error sending request ...: dns error: ...". */
function networkCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.split(": ").at(-1) ?? message;
}
