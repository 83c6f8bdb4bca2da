/**
 * What the build scripts share: one-line errors with an exit status (2 usage, 1 operational)
 * and plain output. Anything else thrown is a bug and crashes with its stack.
 */
const encoder = new TextEncoder();

export class ScriptError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = "ScriptError";
  }
}

export function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

/** Runs a script's main function and exits; a ScriptError becomes `<name>: <message>`. */
export async function runScript(name: string, main: () => Promise<void>): Promise<never> {
  try {
    await main();
    Deno.exit(0);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    Deno.stderr.writeSync(encoder.encode(`${name}: ${error.message}\n`));
    Deno.exit(error.exitCode);
  }
}

/** A file's size for humans: "110 KB", "98.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
