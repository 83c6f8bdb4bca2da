/**
 * Each module a process loads from the source costs its start ~0.3 ms (docs/performance.md): a
 * module only an uncommon path needs is imported when that path runs, through a computed URL
 * (src/cli/command_module.ts says why). These tests read the static graph Deno loads before
 * the program starts: the imports that are neither type-only nor dynamic, from main.ts and a
 * command's module.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

interface ModuleInfo {
  readonly specifier: string;
  readonly dependencies?: readonly { readonly code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The repository paths of the modules loaded before `entry` runs. */
async function staticGraph(entry: string): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--no-config", "--json", entry],
    cwd: ROOT,
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, `deno info ${entry}`);
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: ModuleInfo[];
  };
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const seen = new Set<string>();
  const pending = [...info.roots];
  for (let specifier = pending.pop(); specifier !== undefined; specifier = pending.pop()) {
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.code && !dependency.isDynamic) pending.push(dependency.code.specifier);
    }
  }
  return new Set([...seen].map((specifier) => specifier.replace(ROOT.href, "")));
}

/** What a command loads before it runs: main.ts's graph and its own module's. */
async function commandGraph(command: string): Promise<Set<string>> {
  const [main, own] = await Promise.all([
    staticGraph("main.ts"),
    staticGraph(`src/cli/commands/${command}.ts`),
  ]);
  return new Set([...main, ...own]);
}

Deno.test("every command starts without the quoting of the refusal of options before it", async () => {
  assert.ok(!(await staticGraph("main.ts")).has("src/core/shell_quote.ts"));
});

Deno.test("enqueue without --id starts without the removal of a stale log of a reused id", async () => {
  const graph = await commandGraph("enqueue");
  assert.ok(graph.has("src/cli/job_options.ts"), "the graph is the one enqueue loads");
  assert.ok(!graph.has("src/worker/stale_job_logs.ts"));
});

Deno.test("enqueue --id and a short --file start without libc's unlink of stale logs", async () => {
  const graph = await staticGraph("src/cli/enqueue_file.ts");
  assert.ok(graph.has("src/worker/stale_job_logs.ts"), "the graph is the one --file loads");
  assert.ok(!graph.has("src/worker/libc_unlink.ts"));
});
