/**
 * `deno task bench`: measures queuectl where users feel it and prints one Markdown table, with
 * the baselines measured in the same run and the targets of issue 5.
 *
 *   deno task bench                     full sizes (several minutes)
 *   deno task bench --quick             small sizes, to check the benchmark itself
 *   deno task bench --only drain,idle   some scenarios (startup, pickup, idle, drain,
 *                                       enqueue-file, scale, waiting)
 *   deno task bench --runs 5            repetitions of the costly scenarios (default 3, quick 2)
 *
 * Each scenario runs in its own temporary QUEUECTL_HOME whose workers are stopped even when the
 * scenario fails; nothing is installed (task-spooler is used when `tsp` is on PATH).
 */
import { benchDrain } from "./bench/drain.ts";
import { benchEnqueueFile } from "./bench/enqueue_file.ts";
import { disposeAllHomes, print, progress } from "./bench/harness.ts";
import { benchIdle } from "./bench/idle.ts";
import { benchPickup } from "./bench/pickup.ts";
import { type BenchConfig, renderTable, type Row } from "./bench/report.ts";
import { benchScale } from "./bench/scale.ts";
import { benchStartup } from "./bench/startup.ts";
import { benchWaiting } from "./bench/waiting.ts";

const SCENARIOS: Record<string, (config: BenchConfig) => Promise<Row[]>> = {
  startup: benchStartup,
  pickup: benchPickup,
  idle: benchIdle,
  drain: benchDrain,
  "enqueue-file": benchEnqueueFile,
  scale: benchScale,
  waiting: benchWaiting,
};

function usage(message: string): never {
  progress(`bench: ${message}`);
  progress("usage: deno task bench [--quick] [--only name,...] [--runs n]");
  progress(`scenarios: ${Object.keys(SCENARIOS).join(", ")}`);
  Deno.exit(2);
}

function parseArgs(args: readonly string[]): { config: BenchConfig; only: string[] } {
  let quick = false;
  let runs: number | null = null;
  let only = Object.keys(SCENARIOS);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => inline ?? args[++i] ?? usage(`${flag} needs a value`);
    if (flag === "--quick") quick = true;
    else if (flag === "--only") {
      only = value().split(",").map((name) => name.trim()).filter((name) => name !== "");
      const unknown = only.filter((name) => !(name in SCENARIOS));
      if (unknown.length > 0) usage(`unknown scenario "${unknown[0]}"`);
    } else if (flag === "--runs") {
      runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1) usage("--runs needs a whole number ≥ 1");
    } else usage(`unknown argument "${arg}"`);
  }
  return { config: { quick, runs: runs ?? (quick ? 2 : 3) }, only };
}

async function machineLine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown CPU";
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "? ? ?");
  return `${navigator.hardwareConcurrency} CPUs (${model}), load ${
    load.split(" ").slice(0, 3).join(" ")
  }, deno ${Deno.version.deno}, ${new Date().toISOString()}`;
}

async function main(): Promise<number> {
  const { config, only } = parseArgs(Deno.args);
  const onSignal = () => {
    progress("bench: interrupted; stopping workers");
    disposeAllHomes().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  progress(`bench: ${await machineLine()}${config.quick ? " (quick)" : ""}`);
  const rows: Row[] = [];
  let failures = 0;
  for (const name of only) {
    const started = performance.now();
    progress(`bench: ${name}...`);
    try {
      rows.push(...await SCENARIOS[name]!(config));
    } catch (error) {
      failures++;
      progress(`bench: ${name} failed: ${(error as Error).stack ?? error}`);
      rows.push({ scenario: name, measure: "failed", result: (error as Error).message });
    } finally {
      await disposeAllHomes();
    }
    progress(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  print(`Machine: ${await machineLine()}${config.quick ? " — QUICK sizes" : ""}\n`);
  print(renderTable(rows));
  const missed = rows.filter((row) => row.pass === false).length;
  const passed = rows.filter((row) => row.pass === true).length;
  print(
    `\n${passed} targets met, ${missed} missed${failures ? `, ${failures} scenarios failed` : ""}`,
  );
  return failures > 0 ? 1 : 0;
}

Deno.exit(await main());
