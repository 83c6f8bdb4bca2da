/**
 * `deno task bundle [--outfile <path>]`: bundles main.ts, the command modules it imports
 * lazily and every npm dependency into one ESM file (default `dist/queuectl.js`) that runs
 * offline with `deno run -A dist/queuectl.js`. Only `node:` built-ins stay imports.
 *
 * esbuild resolves npm packages through `node_modules/`, which `deno install` fills
 * (`"nodeModulesDir": "auto"` in deno.json), so a fresh clone bundles offline after one
 * `deno install`.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { typeFlag } from "type-flag";
import denoConfig from "../deno.json" with { type: "json" };
import { formatSize, runScript, say, ScriptError } from "./_script.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const DEFAULT_BUNDLE = `${REPO_ROOT}dist/queuectl.js`;

/** Writes the bundle to `outfile` and returns its size in bytes. */
export async function bundle(outfile: string): Promise<number> {
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      absWorkingDir: REPO_ROOT,
      entryPoints: ["main.ts"],
      outfile,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "esnext",
      mainFields: ["module", "main"],
      conditions: ["deno", "node"],
      external: ["node:*"],
      // Without comments and blank space a process starts ~3 ms sooner (docs/performance.md).
      // Names stay, so that a stack trace of a bug still reads.
      minifyWhitespace: true,
      minifySyntax: true,
      banner: {
        js:
          `// queuectl ${denoConfig.version}, bundled by scripts/bundle.ts: deno run -A queuectl.js`,
      },
      logLevel: "silent",
      plugins: [literalCommandImports, literalLazyImports],
    });
    for (const warning of result.warnings) say(`warning: ${warning.text}`);
  } catch (error) {
    throw new ScriptError(describeBuildFailure(error));
  } finally {
    await esbuild.stop();
  }
  return (await Deno.stat(outfile)).size;
}

const COMMAND_MODULE = /[\\/]src[\\/]cli[\\/]command_module\.ts$/;

/**
 * The source imports each command's module through a computed specifier, which esbuild cannot
 * follow (src/cli/command_module.ts says why); in the bundle, every command module is named by
 * a literal import instead, so all of them are in the one file.
 */
const literalCommandImports: import("esbuild").Plugin = {
  name: "literal-command-imports",
  setup(build) {
    build.onLoad({ filter: COMMAND_MODULE }, async (args) => {
      const commands = new URL("commands/", pathToFileURL(args.path));
      const files: string[] = [];
      for await (const entry of Deno.readDir(commands)) {
        if (entry.isFile && entry.name.endsWith(".ts")) files.push(entry.name);
      }
      const cases = files.sort().map((file) =>
        `    case ${JSON.stringify(file)}: return (await import("./commands/${file}")).default;`
      );
      return {
        loader: "ts",
        resolveDir: dirname(args.path),
        contents: [
          `import type { CommandDefinition } from "./command.ts";`,
          `export async function importCommand(name: string): Promise<CommandDefinition> {`,
          `  switch (\`\${name.replace(" ", "_")}.ts\`) {`,
          ...cases,
          `  }`,
          `  throw new Error(\`No module for the command '\${name}'\`);`,
          `}`,
        ].join("\n"),
      };
    });
  },
};

/** `import(new URL("<relative path>", import.meta.url).href)`, the source's lazy import. */
const LAZY_IMPORT = /\bimport\(\s*new URL\(\s*("[^"]+")\s*,\s*import\.meta\.url\s*\)\.href\s*\)/g;

/**
 * Modules a command needs only sometimes (`enqueue --file`, help) are imported through a URL
 * the source computes, so that Deno loads them only when used (command_module.ts says why). In
 * the bundle that import becomes a literal one again, so esbuild includes the module.
 */
const literalLazyImports: import("esbuild").Plugin = {
  name: "literal-lazy-imports",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await Deno.readTextFile(args.path);
      if (!LAZY_IMPORT.test(source)) return undefined;
      return { loader: "ts", contents: source.replace(LAZY_IMPORT, "import($1)") };
    });
  },
};

function describeBuildFailure(error: unknown): string {
  const first = (error as { errors?: { text: string; location: { file: string } | null }[] })
    .errors?.[0];
  if (!first) return `Cannot bundle: ${error instanceof Error ? error.message : String(error)}`;
  const where = first.location ? ` (in ${first.location.file})` : "";
  const hint = first.text.startsWith("Could not resolve")
    ? ": run 'deno install' first, it fills node_modules/"
    : "";
  return `Cannot bundle: ${first.text}${where}${hint}`;
}

if (import.meta.main) {
  await runScript("bundle", async () => {
    const { flags, _: extra, unknownFlags } = typeFlag({ outfile: String }, Deno.args);
    const unexpected = [...Object.keys(unknownFlags).map((flag) => `--${flag}`), ...extra];
    if (unexpected.length > 0) {
      throw new ScriptError(
        `Unexpected argument "${unexpected[0]}": usage: deno task bundle [--outfile <path>]`,
        2,
      );
    }
    const outfile = flags.outfile === undefined ? DEFAULT_BUNDLE : resolve(flags.outfile);
    const size = await bundle(outfile);
    say(`Bundled ${outfile} (${formatSize(size)})`);
  });
}
