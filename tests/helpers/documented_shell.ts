/**
 * Runs shell text that the docs show, as a user would: with `queuectl` on PATH meaning the CLI
 * under test, in a temporary directory, against a test home.
 */
import { cliCommand, type CliResult, decodeOutput, type TestHome } from "./cli.ts";

/** Writes `<dir>/bin/queuectl`, a script that runs the CLI under test; returns the bin dir. */
async function installQueuectl(dir: string): Promise<string> {
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  const quoted = cliCommand().map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
  await Deno.writeTextFile(`${bin}/queuectl`, `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  return bin;
}

/**
 * Runs `bash <args>` in a new temporary directory, after `prepare` has put its files there;
 * the directory is removed afterwards.
 */
export async function runDocumentedBash(
  home: TestHome,
  args: readonly string[],
  prepare: (dir: string) => Promise<void> = async () => {},
): Promise<CliResult> {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-doc-" });
  try {
    const bin = await installQueuectl(dir);
    await prepare(dir);
    const output = await new Deno.Command("bash", {
      args: [...args],
      cwd: dir,
      env: { ...home.env, PATH: `${bin}:${Deno.env.get("PATH")}` },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return decodeOutput(output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
