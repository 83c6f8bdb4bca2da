/**
 * Startup: one `enqueue` and one `status` process against `deno run` of an empty script, each
 * spawned N times in interleaved rounds (after one discarded warm-up round); medians.
 */
import { BenchHome, CLI, DENO, median, mustRun, progress, REPO_ROOT } from "./harness.ts";
import { type BenchConfig, ms, ratio, type Row } from "./report.ts";

export async function benchStartup(config: BenchConfig): Promise<Row[]> {
  const rounds = config.quick ? 5 : 20;
  await using home = await BenchHome.create("startup");
  const empty = `${home.path}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  // The same empty script, but resolved inside the repository (deno.json, lock file, imports).
  const emptyInRepo = `${REPO_ROOT}scripts/bench/_empty.ts`;
  await home.cli(["enqueue", "true"]);
  // What SQLite alone costs a process (node:sqlite, open, one read or one synced commit): the
  // part of the 1.25× budget that no queuectl code can give back. Run from the home like `empty`.
  const floor = `${home.path}/sqlite_floor.ts`;
  await Deno.copyFile(`${REPO_ROOT}scripts/bench/_sqlite_floor.ts`, floor);
  const floorDatabase = `${home.path}/floor.db`;

  const cases: Record<string, () => Promise<number>> = {
    empty: async () => (await mustRun([DENO, "run", "-A", empty], { cwd: home.path })).ms,
    emptyInRepo: async () =>
      (await mustRun([DENO, "run", "-A", emptyInRepo], { cwd: REPO_ROOT })).ms,
    sqliteRead: async () =>
      (await mustRun([DENO, "run", "-A", floor, "read", floorDatabase], { cwd: home.path })).ms,
    sqliteWrite: async () =>
      (await mustRun([DENO, "run", "-A", floor, "write", floorDatabase], { cwd: home.path })).ms,
    enqueue: async () => (await home.cli(["enqueue", "true"])).ms,
    status: async () => (await home.cli(["status"])).ms,
  };
  // The bundled form too (built afresh from this source), when the source is what is measured.
  const bundle = Deno.env.get("QUEUECTL_CMD") ? null : await buildBundle(home.path);
  if (bundle) {
    const bundled = [DENO, "run", "-A", bundle];
    cases.bundleEnqueue = async () =>
      (await mustRun([...bundled, "enqueue", "true"], { cwd: home.path, env: home.env })).ms;
    cases.bundleStatus = async () =>
      (await mustRun([...bundled, "status"], { cwd: home.path, env: home.env })).ms;
  }
  const times: Record<string, number[]> = {};
  for (let round = 0; round <= rounds; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const elapsed = await run();
      if (round > 0) (times[name] ??= []).push(elapsed);
    }
  }
  const empties = median(times.empty!);
  progress(
    `startup: empty ${ms(empties)}, enqueue ${ms(median(times.enqueue!))}, status ${
      ms(median(times.status!))
    }`,
  );
  const rows: Row[] = [];
  const form = Deno.env.get("QUEUECTL_CMD") ? `\`${CLI.join(" ")}\`` : "source";
  for (const name of ["enqueue", "status"]) {
    const value = median(times[name]!);
    rows.push({
      scenario: "Startup",
      measure: `one \`${
        name === "enqueue" ? "enqueue true" : "status"
      }\` process, ${form} (${rounds} runs)`,
      result: ms(value),
      baseline: `empty deno run: ${ms(empties)}`,
      ratio: ratio(value / empties),
      target: "≤ 1.25× empty",
      pass: value / empties <= 1.25,
    });
  }
  if (bundle) {
    for (const [name, label] of [["bundleEnqueue", "enqueue true"], ["bundleStatus", "status"]]) {
      const value = median(times[name!]!);
      rows.push({
        scenario: "Startup",
        measure: `one \`${label}\` process, dist/queuectl.js bundle`,
        result: ms(value),
        baseline: `empty deno run: ${ms(empties)}`,
        ratio: ratio(value / empties),
        target: "≤ 1.25× empty",
        pass: value / empties <= 1.25,
      });
    }
  }
  for (
    const [name, label] of [
      ["sqliteRead", "reads one row (the least `status` does)"],
      ["sqliteWrite", "commits one row (the least `enqueue` does)"],
    ]
  ) {
    rows.push({
      scenario: "Startup",
      measure: `a script that loads node:sqlite, opens the database and ${label}`,
      result: ms(median(times[name!]!)),
      baseline: `empty deno run: ${ms(empties)}`,
      ratio: ratio(median(times[name!]!) / empties),
    });
  }
  rows.push({
    scenario: "Startup",
    measure: "empty script run inside the repo (deno.json, lock)",
    result: ms(median(times.emptyInRepo!)),
    baseline: `empty deno run: ${ms(empties)}`,
    ratio: ratio(median(times.emptyInRepo!) / empties),
  });
  return rows;
}

/** `deno task bundle`'s build, into `dir`; null (with a note) when it cannot run here. */
async function buildBundle(dir: string): Promise<string | null> {
  const outfile = `${dir}/queuectl.js`;
  try {
    const { bundle } = await import("../bundle.ts");
    await bundle(outfile);
    return outfile;
  } catch (error) {
    progress(`startup: cannot build the bundle, skipping it: ${(error as Error).message}`);
    return null;
  }
}
