/**
 * Idle CPU: 2 workers with nothing to do, over a window, from /proc/<pid>/stat utime+stime
 * (clock ticks, so a 10 s window resolves 1 CPU-ms/s) and, finer, the threads' schedstat.
 */
import { BenchHome, cpuNanos, cpuTicks, progress, sleep, ticksPerSecond } from "./harness.ts";
import type { BenchConfig, Row } from "./report.ts";

export async function benchIdle(config: BenchConfig): Promise<Row[]> {
  const windowMs = config.quick ? 3_000 : 10_000;
  const hz = await ticksPerSecond();
  await using home = await BenchHome.create("idle");
  const pids = await home.startWorkers(2);
  await sleep(1_000);
  const ticksBefore = pids.map(cpuTicks);
  const nanosBefore = pids.map(cpuNanos);
  const start = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - start) / 1000;
  const perWorker = pids.map((pid, i) => ((cpuTicks(pid) - ticksBefore[i]!) * 1000 / hz) / seconds);
  const finePerWorker = pids.map((pid, i) => (cpuNanos(pid) - nanosBefore[i]!) / 1e6 / seconds);
  const worst = Math.max(...perWorker);
  progress(
    `idle: ${perWorker.map((value) => value.toFixed(2)).join(", ")} CPU-ms/s (schedstat ${
      finePerWorker.map((value) => value.toFixed(2)).join(", ")
    })`,
  );
  return [
    {
      scenario: "Idle",
      measure: `CPU of the busiest of 2 idle workers over ${windowMs / 1000} s (stat)`,
      result: `${worst.toFixed(2)} CPU-ms/s`,
      target: "< 1 CPU-ms/s",
      pass: worst < 1,
    },
    {
      scenario: "Idle",
      measure: "same, from the threads' schedstat (ns resolution)",
      result: `${finePerWorker.map((value) => value.toFixed(2)).join(", ")} CPU-ms/s`,
    },
  ];
}
