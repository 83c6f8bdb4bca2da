/**
 * `deno task build [--target <triple>]... [--outdir <dir>]`: bundles the program (see
 * bundle.ts), `deno compile`s that one file for each target (default: all five) into
 * `<outdir>/queuectl-<target>[.exe]` (default `dist/`), and writes `<outdir>/SHA256SUMS` for
 * the files it built.
 *
 * Compiling the bundle rather than main.ts embeds one small file instead of all of
 * `node_modules/` (esbuild's 11 MB native binary included), and needs no `--include` for the
 * lazily imported command modules: the binary runs exactly the code the bundle tests run.
 *
 * Every target's compile base must be obtainable (compile_base.ts) before anything is built;
 * otherwise the build stops with one line saying why and how to proceed. The host binary is run
 * once, so a wrong `DENORT_BIN` (such as the deno binary itself, which yields a plain deno)
 * never leaves behind a file that is not queuectl.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { typeFlag } from "type-flag";
import denoConfig from "../deno.json" with { type: "json" };
import { formatSize, runScript, say, ScriptError } from "./_script.ts";
import { bundle } from "./bundle.ts";
import { compileBase, HOST_TARGET, TARGETS } from "./compile_base.ts";
import { sha256sums } from "./sha256sums.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const USAGE = "usage: deno task build [--target <triple>]... [--outdir <dir>]";

export function binaryName(target: string): string {
  return `queuectl-${target}${target.includes("windows") ? ".exe" : ""}`;
}

function cannotBuild(target: string, reason: string): string {
  const withDenort = `DENORT_BIN=/path/to/denort deno task build --target ${HOST_TARGET}`;
  if (target === HOST_TARGET) {
    return `Cannot build ${target}: ${reason}; set DENORT_BIN to the denort ${Deno.version.deno} ` +
      `binary for this machine: ${withDenort}`;
  }
  return `Cannot build ${target}: ${reason}; build it where dl.deno.land is reachable, ` +
    `or build only this machine's target: ${withDenort}`;
}

async function compile(target: string, bundlePath: string, output: string): Promise<void> {
  const env = Deno.env.toObject();
  // deno compile would put DENORT_BIN (this machine's runtime) into every target's binary.
  if (target !== HOST_TARGET) delete env.DENORT_BIN;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["compile", "-A", "--no-config", "--target", target, "--output", output, bundlePath],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const lines = new TextDecoder().decode(result.stderr).trim().split("\n");
    const last = (lines.at(-1) ?? "").trim().replace(/^(error: |\d+: )/, "");
    throw new ScriptError(`deno compile failed for ${target}: ${last}`);
  }
}

/** Runs the host binary once; removes it unless it reports itself as this queuectl. */
async function verifyHostBinary(path: string): Promise<void> {
  const result = await new Deno.Command(path, {
    args: ["--version"],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const said = new TextDecoder().decode(result.stdout).split("\n")[0] ?? "";
  if (result.success && said.startsWith(`queuectl ${denoConfig.version} (binary,`)) return;
  await Deno.remove(path);
  const denortBin = Deno.env.get("DENORT_BIN");
  throw new ScriptError(
    `${path} does not run as queuectl (--version printed "${said}"), so it was removed` +
      (denortBin
        ? `: DENORT_BIN="${denortBin}" must be the denort ${Deno.version.deno} binary, not deno`
        : ""),
  );
}

async function main(): Promise<void> {
  const { flags, _: extra, unknownFlags } = typeFlag(
    { target: [String], outdir: String },
    Deno.args,
  );
  const unexpected = [...Object.keys(unknownFlags).map((flag) => `--${flag}`), ...extra];
  if (unexpected.length > 0) {
    throw new ScriptError(`Unexpected argument "${unexpected[0]}": ${USAGE}`, 2);
  }
  const unknown = flags.target.find((target) => !TARGETS.includes(target));
  if (unknown !== undefined) {
    throw new ScriptError(`Unknown target "${unknown}": one of ${TARGETS.join(", ")}`, 2);
  }
  const targets = flags.target.length > 0 ? [...new Set(flags.target)] : TARGETS;
  for (const target of targets) {
    const base = await compileBase(target, (name) => Deno.env.get(name));
    if (!base.available) throw new ScriptError(cannotBuild(target, base.reason));
  }
  const outdir = resolve(flags.outdir ?? `${REPO_ROOT}dist`);
  await Deno.mkdir(outdir, { recursive: true });
  const bundlePath = `${outdir}/queuectl.js`;
  say(`Bundled ${bundlePath} (${formatSize(await bundle(bundlePath))})`);
  const built = [bundlePath];
  for (const target of targets) {
    const output = `${outdir}/${binaryName(target)}`;
    await compile(target, bundlePath, output);
    if (target === HOST_TARGET) await verifyHostBinary(output);
    say(`Built ${output} (${formatSize((await Deno.stat(output)).size)})`);
    built.push(output);
  }
  await Deno.writeTextFile(`${outdir}/SHA256SUMS`, await sha256sums(built));
  say(`Wrote ${outdir}/SHA256SUMS`);
}

if (import.meta.main) await runScript("build", main);
