/**
 * `enqueue --file` of NDJSON jobs into a fresh home: jobs per second (the whole process, startup
 * included) and peak RSS, at a small and a large size to see whether memory stays flat.
 */
import { BenchHome, CLI, median, peakMemory, progress } from "./harness.ts";
import { type BenchConfig, count, mib, type Row } from "./report.ts";

export async function benchEnqueueFile(config: BenchConfig): Promise<Row[]> {
  const [small, large] = config.quick ? [2_000, 10_000] : [20_000, 100_000];
  const results = new Map<number, { rates: number[]; peaks: number[] }>();
  for (let run = 1; run <= config.runs; run++) {
    for (const size of [small, large]) {
      const { ms, peakKiB } = await enqueueFile(size);
      const entry = results.get(size) ?? { rates: [], peaks: [] };
      entry.rates.push(size / (ms / 1000));
      entry.peaks.push(peakKiB);
      results.set(size, entry);
      progress(
        `enqueue --file run ${run}/${config.runs}: ${count(size)} jobs in ${
          ms.toFixed(0)
        } ms, peak ${mib(peakKiB)}`,
      );
    }
  }
  const rate = median(results.get(large)!.rates);
  const peakLarge = median(results.get(large)!.peaks);
  const peakSmall = median(results.get(small)!.peaks);
  const growth = peakLarge / peakSmall;
  return [
    {
      scenario: "enqueue --file",
      measure: `${count(large)} NDJSON jobs, one process`,
      result: `${count(rate)} jobs/s`,
      baseline: `${count(small)} jobs: ${count(median(results.get(small)!.rates))} jobs/s`,
      target: "≥ 100,000 jobs/s",
      pass: rate >= 100_000,
    },
    {
      scenario: "enqueue --file",
      measure: `peak RSS, ${count(large)} jobs`,
      result: mib(peakLarge),
      baseline: `${count(small)} jobs: ${mib(peakSmall)}`,
      ratio: `${growth.toFixed(2)}×`,
      target: "flat (≤ 1.20×)",
      pass: growth <= 1.2,
    },
  ];
}

async function enqueueFile(size: number): Promise<{ ms: number; peakKiB: number }> {
  await using home = await BenchHome.create("enqueue-file");
  const file = `${home.path}/jobs.ndjson`;
  const lines: string[] = [];
  for (let i = 0; i < size; i++) lines.push(`{"command":"echo job ${i}","priority":${i % 3}}\n`);
  await Deno.writeTextFile(file, lines.join(""));
  const result = await peakMemory([...CLI, "enqueue", "--file", file, "--json"], {
    cwd: home.path,
    env: home.env,
  });
  // One id per job: the ids' output is part of what must stay flat.
  const { ids } = JSON.parse(result.stdout) as { ids: string[] };
  const enqueued = ids.length;
  if (enqueued !== size) throw new Error(`enqueue --file stored ${enqueued} of ${size} jobs`);
  return result;
}
