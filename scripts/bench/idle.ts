/**
 * Idle CPU: 2 workers with nothing to do, over a window, from the threads' schedstat in /proc
 * (nanoseconds: the target row) and from /proc/<pid>/stat utime+stime (clock ticks: a 10 s
 * window resolves only 1 CPU-ms/s, so a worker at 0.5 shows 0 or 1). With the default poll
 * interval (the target), then as information with other fallback polls.
 */
import {
  BenchHome,
  cpuTicks,
  progress,
  sleep,
  threadNanos,
  threadNanosSince,
  ticksPerSecond,
} from "./harness.ts";
import type { BenchConfig, Row } from "./report.ts";

interface IdleCpu {
  /** Mean CPU-ms per second per worker, from utime + stime. */
  readonly stat: number;
  /** The same from the threads' schedstat, per worker. */
  readonly fine: number[];
}

export async function benchIdle(config: BenchConfig): Promise<Row[]> {
  const windowMs = config.quick ? 3_000 : 10_000;
  const seconds = windowMs / 1000;
  const base = await idleCpu(null, windowMs);
  const worst = Math.max(...base.fine);
  const rows: Row[] = [
    {
      scenario: "Idle",
      measure: `CPU of each of 2 idle workers over ${seconds} s (schedstat, default poll)`,
      result: `${base.fine.map((value) => value.toFixed(2)).join(", ")} CPU-ms/s`,
      target: "< 1 CPU-ms/s",
      pass: worst < 1,
    },
    {
      scenario: "Idle",
      measure: "same, mean of the 2, from utime + stime (10 ms ticks)",
      result: `${base.stat.toFixed(2)} CPU-ms/s`,
    },
  ];
  for (const pollMs of [1_000, 2_000, 10_000]) {
    const slower = await idleCpu(pollMs, windowMs);
    rows.push({
      scenario: "Idle",
      measure: `same with config poll_interval_ms ${pollMs} (stat; schedstat)`,
      result: `${slower.stat.toFixed(2)} CPU-ms/s; ${
        slower.fine.map((value) => value.toFixed(2)).join(", ")
      }`,
    });
  }
  return rows;
}

async function idleCpu(pollMs: number | null, windowMs: number): Promise<IdleCpu> {
  const hz = await ticksPerSecond();
  await using home = await BenchHome.create("idle");
  if (pollMs !== null) await home.cli(["config", "set", "poll_interval_ms", String(pollMs)]);
  const pids = await home.startWorkers(2);
  await sleep(1_000);
  const ticksBefore = pids.map(cpuTicks);
  const threadsBefore = pids.map(threadNanos);
  const start = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - start) / 1000;
  const perWorker = pids.map((pid, i) => (cpuTicks(pid) - ticksBefore[i]!) * 1000 / hz / seconds);
  const fine = pids.map((pid, i) =>
    threadNanosSince(threadsBefore[i]!, threadNanos(pid)) / 1e6 / seconds
  );
  const stat = perWorker.reduce((sum, value) => sum + value, 0) / perWorker.length;
  progress(
    `idle (poll ${pollMs ?? "default"}): ${stat.toFixed(2)} CPU-ms/s per worker (schedstat ${
      fine.map((value) => value.toFixed(2)).join(", ")
    })`,
  );
  return { stat, fine };
}
