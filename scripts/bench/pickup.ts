/**
 * Pickup latency: 2 idle workers, one job at a time. The job's command is `date +%s%N`, so the
 * latency is from the enqueue's COMMIT to the moment the command itself runs.
 *
 * The main measurement enqueues in-process through the same store call and wake-up as
 * `queuectl enqueue` (enqueueJob, then wakeWorkers), taking the timestamp right after the
 * commit. A CLI process cannot report when it committed, so the CLI rows bracket it instead:
 * created_at (taken before the CLI opens the database) and the moment the CLI process exited.
 */
import { wakeWorkers } from "../../src/worker/wake_socket.ts";
import type { NewJob } from "../../src/core/job.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { BenchHome, median, percentile, progress, sleep, wallMs } from "./harness.ts";
import { type BenchConfig, ms, type Row } from "./report.ts";

export async function benchPickup(config: BenchConfig): Promise<Row[]> {
  const jobs = config.quick ? 40 : 200;
  const cliJobs = config.quick ? 10 : 40;
  await using home = await BenchHome.create("pickup");
  await home.startWorkers(2);
  const marks = `${home.path}/marks`;
  await Deno.mkdir(marks);
  await sleep(500);

  const latencies: number[] = [];
  const store = new SqliteStore(home.database);
  try {
    for (let i = 0; i < jobs; i++) {
      const mark = `${marks}/${i}`;
      const now = Date.now();
      const job: NewJob = {
        id: null,
        command: `date +%s%N > '${mark}'`,
        cwd: home.path,
        queue: "default",
        maxRetries: 0,
        priority: 0,
        runAt: now,
        timeoutMs: null,
        uniqueKey: null,
        env: {},
        retryOn: null,
        noRetryOn: null,
        after: [],
      };
      const { job: stored } = await store.enqueueJob(job, now);
      const committed = wallMs();
      await wakeWorkers(store);
      await waitCompleted(home, stored.id);
      latencies.push(await commandStartMs(mark) - committed);
      // Let both workers fall back into their idle wait before the next job.
      await sleep(20 + Math.random() * 40);
    }
  } finally {
    store.close();
  }
  progress(`pickup: p50 ${ms(median(latencies))}, max ${ms(Math.max(...latencies))}`);

  const sinceCreated: number[] = [];
  const sinceExit: number[] = [];
  for (let i = 0; i < cliJobs; i++) {
    const mark = `${marks}/cli-${i}`;
    const result = await home.cli(["enqueue", "--json", `date +%s%N > '${mark}'`], {
      capture: true,
    });
    const exited = wallMs();
    const job = JSON.parse(result.stdout) as { id: string; created_at: string };
    await waitCompleted(home, job.id);
    const started = await commandStartMs(mark);
    sinceCreated.push(started - Date.parse(job.created_at));
    sinceExit.push(started - exited);
    await sleep(20 + Math.random() * 40);
  }

  const p50 = median(latencies);
  const p99 = percentile(latencies, 99);
  return [
    {
      scenario: "Pickup",
      measure: `p50, commit → command start (${jobs} jobs, 2 idle workers)`,
      result: ms(p50),
      target: "< 20 ms",
      pass: p50 < 20,
    },
    {
      scenario: "Pickup",
      measure: `p99, commit → command start (${jobs} jobs, 2 idle workers)`,
      result: ms(p99),
      target: "< 100 ms",
      pass: p99 < 100,
    },
    {
      scenario: "Pickup",
      measure: "max, commit → command start",
      result: ms(Math.max(...latencies)),
    },
    {
      scenario: "Pickup",
      measure: `p50 via \`enqueue\` CLI (${cliJobs} jobs): command start − created_at`,
      result: ms(median(sinceCreated)),
    },
    {
      scenario: "Pickup",
      measure: "p50 via `enqueue` CLI: command start − CLI exit",
      result: ms(median(sinceExit)),
    },
  ];
}

async function waitCompleted(home: BenchHome, id: string): Promise<void> {
  await home.waitUntil(
    `job ${id} to complete`,
    () => home.scalar("SELECT count(*) FROM jobs WHERE id = ? AND state = 'completed'", id) === 1,
    10_000,
    10,
  );
}

/** The time `date +%s%N` wrote into the mark file, in epoch milliseconds. */
async function commandStartMs(mark: string): Promise<number> {
  const nanos = BigInt((await Deno.readTextFile(mark)).trim());
  return Number(nanos / 1000n) / 1000;
}
