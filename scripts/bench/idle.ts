/**
 * Idle CPU: 2 workers with nothing to do, from each process's CPU clock (ns, threads that ended
 * included). The target row is a window once the workers have settled: in their first half
 * minute V8 compiles, and its memory reducer runs a few full collections (~15–30 ms of CPU once)
 * after a process goes quiet; a worker then sits idle for hours. The first window after start
 * is shown as well, and the same for other fallback polls.
 */
import { BenchHome, progress, sleep, threadNanos } from "./harness.ts";
import { processCpuNanos } from "./process_cpu.ts";
import type { BenchConfig, Row } from "./report.ts";

interface IdleWorkers {
  readonly pollMs: number | null;
  readonly home: BenchHome;
  readonly pids: readonly number[];
}

/** CPU-ms per second of each worker over one window. */
type WindowCpu = number[];

export async function benchIdle(config: BenchConfig): Promise<Row[]> {
  const windowMs = config.quick ? 3_000 : 10_000;
  const settledAfterMs = config.quick ? 6_000 : 45_000;
  const seconds = windowMs / 1000;
  const groups: IdleWorkers[] = [];
  try {
    // All at once: idle workers barely load the machine, and the settling wait is long.
    for (const pollMs of [null, 1_000, 2_000, 10_000]) {
      const home = await BenchHome.create("idle");
      groups.push({ pollMs, home, pids: [] });
      if (pollMs !== null) {
        await home.cli(["config", "set", "poll_interval_ms", String(pollMs)]);
      }
      groups[groups.length - 1] = { pollMs, home, pids: await home.startWorkers(2) };
    }
    const startedAt = performance.now();
    await sleep(1_000);
    const first = await measureWindow(groups, windowMs);
    await sleep(startedAt + settledAfterMs - performance.now());
    const settled = await measureWindow(groups, windowMs);
    groups.forEach((group, i) =>
      progress(
        `idle (poll ${group.pollMs ?? "default"}): ${format(settled[i]!)} CPU-ms/s settled, ${
          format(first[i]!)
        } in the first window`,
      )
    );
    const worst = Math.max(...settled[0]!);
    const settledFrom = `${settledAfterMs / 1000} s`;
    return [
      {
        scenario: "Idle",
        measure:
          `CPU of each of 2 idle workers, ${seconds} s from ${settledFrom} after start (default poll)`,
        result: `${format(settled[0]!)} CPU-ms/s`,
        target: "< 1 CPU-ms/s",
        pass: worst < 1,
      },
      {
        scenario: "Idle",
        measure: `same, the first ${seconds} s (from 1 s after start)`,
        result: `${format(first[0]!)} CPU-ms/s`,
      },
      ...groups.slice(1).map((group, i) => ({
        scenario: "Idle",
        measure: `same with config poll_interval_ms ${group.pollMs} (settled; first ${seconds} s)`,
        result: `${format(settled[i + 1]!)}; ${format(first[i + 1]!)} CPU-ms/s`,
      })),
    ];
  } finally {
    for (const group of groups) await group.home[Symbol.asyncDispose]();
  }
}

async function measureWindow(
  groups: readonly IdleWorkers[],
  windowMs: number,
): Promise<WindowCpu[]> {
  const before = groups.map((group) => group.pids.map(cpuNanos));
  const start = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - start) / 1000;
  return groups.map((group, g) =>
    group.pids.map((pid, i) => (cpuNanos(pid) - before[g]![i]!) / 1e6 / seconds)
  );
}

/** Process CPU clock; where that is unavailable, the live threads' schedstat. */
function cpuNanos(pid: number): number {
  const process = processCpuNanos(pid);
  if (process !== null) return process;
  let total = 0;
  for (const nanos of threadNanos(pid).values()) total += nanos;
  return total;
}

function format(values: readonly number[]): string {
  return values.map((value) => value.toFixed(2)).join(", ");
}
