import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { TestHome } from "../helpers/cli.ts";
import { workerCommandLine } from "../helpers/worker_parent.ts";

const REPO_ROOT = new URL("../../", import.meta.url);

async function buildBundle(outfile: string): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle", "--outfile", outfile],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `deno task bundle failed: ${stderr}`);
}

/** Every module specifier the file still imports, static or dynamic. */
function importedSpecifiers(code: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  return [...code.matchAll(pattern)].map((match) => match[1]!);
}

const POSIX = Deno.build.os !== "windows";

Deno.test("deno task bundle writes one file that runs offline as the bundle", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-bundle-" });
  try {
    const bundle = `${dir}/queuectl.js`;
    await buildBundle(bundle);

    await t.step("one file that imports only node: built-ins", async () => {
      assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["queuectl.js"]);
      const foreign = importedSpecifiers(await Deno.readTextFile(bundle))
        .filter((specifier) => !specifier.startsWith("node:"));
      assert.deepEqual(foreign, []);
      // The source's lazy imports (a computed URL) must be literal ones in the bundle.
      assert.doesNotMatch(await Deno.readTextFile(bundle), /\bimport\(\s*new URL\(/);
    });

    await t.step("carries no comments, but the names of the source", async () => {
      const code = await Deno.readTextFile(bundle);
      // The banner is the one comment left: the source's doc comments cost each process ~3 ms.
      assert.deepEqual(code.split("\n").filter((line) => /^\s*(\/\/|\/\*)/.test(line)), [
        code.split("\n")[0],
      ]);
      assert.doesNotMatch(code, /\/\*\*/);
      assert.match(code, /\bfunction parseCommandArgs\(/);
    });

    // Offline: an empty DENO_DIR, --cached-only, and no deno.json or node_modules around.
    await using home = await TestHome.create({}, {
      command: [Deno.execPath(), "run", "-A", "--cached-only", bundle],
      env: { DENO_DIR: `${dir}/deno_dir` },
    });

    await t.step("reports itself as the bundle", async () => {
      const version = await home.json<{ form: string }>("version");
      assert.equal(version.form, "bundle");
    });

    await t.step(
      "runs what the source imports lazily: help, enqueue --file and --id, a refusal",
      async () => {
        assert.match(await home.ok("--help"), /Usage: queuectl <command>/);
        assert.equal(
          (await home.run(["--json", "status"])).stderr,
          "queuectl: Options go after the command, as in: queuectl status --json\n",
        );
        await home.run(["enqueue", "--file", "-"], { stdin: "echo one\necho two\n" });
        const jobs = await home.json<{ command: string }[]>("list");
        assert.deepEqual(jobs.map((job) => job.command).sort(), ["echo one", "echo two"]);
        // A job given an id: what removes a log left under it is imported then.
        assert.equal(await home.enqueue("--id", "named", "echo three"), "named");
      },
    );

    await t.step({
      name: POSIX ? "runs a job on a worker that is the bundle" : "worker check skipped: no ps",
      ignore: !POSIX,
      async fn() {
        const worker = await workerCommandLine(home);
        const paths = [bundle, await Deno.realPath(bundle)]; // macOS: /var is /private/var
        assert.ok(
          paths.some((path) =>
            worker.includes(` run -A --no-config ${pathToFileURL(path).href} worker run `)
          ),
          `the worker is not the bundle: ${worker}`,
        );
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
