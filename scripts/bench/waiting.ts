/**
 * Waiting commands: `queuectl wait` while its job runs, one worker. How much CPU the waiting
 * process uses (its process CPU clock over a window while the job sleeps), and how soon it
 * reports the job's end: from the job's `finished_at` (taken by the worker on the same clock)
 * to the moment the waiting process's line arrives on its stdout.
 */
import { BenchHome, CLI, median, progress, sleep } from "./harness.ts";
import { processCpuNanos } from "./process_cpu.ts";
import { type BenchConfig, ms, type Row } from "./report.ts";

export async function benchWaiting(config: BenchConfig): Promise<Row[]> {
  const rounds = config.quick ? 5 : 20;
  const windowMs = config.quick ? 1_000 : 3_000;
  await using home = await BenchHome.create("waiting");
  await home.startWorkers(1);

  const sleeper = await enqueue(home, `sleep ${(windowMs + 2_000) / 1000}`);
  const waiting = spawnWait(home, sleeper);
  await sleep(1_000);
  const before = processCpuNanos(waiting.child.pid);
  await sleep(windowMs);
  const after = processCpuNanos(waiting.child.pid);
  await waiting.line;
  await waiting.child.status;
  const cpuPerSecond = before === null || after === null
    ? null
    : (after - before) / 1e6 / (windowMs / 1000);
  progress(`waiting: wait's CPU ${cpuPerSecond?.toFixed(2) ?? "unknown"} CPU-ms/s`);

  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Long enough for the waiting process to have started and settled before the job ends.
    const id = await enqueue(home, "sleep 0.4");
    const { child, line } = spawnWait(home, id);
    const seenAt = await line;
    await child.status;
    latencies.push(seenAt - home.scalar("SELECT finished_at FROM jobs WHERE id = ?", id));
  }
  latencies.sort((a, b) => a - b);
  progress(`waiting: job end → wait's line p50 ${ms(median(latencies))}`);
  const drained = config.quick ? 500 : 2_000;
  const busyCpuPerSecond = await waitCpuBesideDrain(drained);
  progress(
    `waiting: wait's CPU beside a drain ${busyCpuPerSecond?.toFixed(1) ?? "unknown"} CPU-ms/s`,
  );
  return [
    {
      scenario: "Waiting",
      measure: `CPU of a \`queuectl wait\` while its job runs (${windowMs / 1000} s window)`,
      result: cpuPerSecond === null
        ? "unknown (no process CPU clock)"
        : `${cpuPerSecond.toFixed(2)} CPU-ms/s`,
    },
    {
      scenario: "Waiting",
      measure: `job end (finished_at) → \`wait\` prints it: p50, max (${rounds} jobs)`,
      result: `${ms(median(latencies))}, ${ms(latencies.at(-1)!)}`,
    },
    {
      scenario: "Waiting",
      measure:
        `CPU of a \`queuectl wait\` on a job of another queue while 2 workers drain ${drained} \`true\` jobs`,
      result: busyCpuPerSecond === null
        ? "unknown (no process CPU clock)"
        : `${busyCpuPerSecond.toFixed(1)} CPU-ms/s`,
    },
  ];
}

/**
 * The CPU a waiting command spends while the queue is busy: every commit of the drain writes the
 * write-ahead log it watches, ~700 times a second. Its job is in a queue no worker serves.
 */
async function waitCpuBesideDrain(jobs: number): Promise<number | null> {
  await using home = await BenchHome.create("waiting-busy");
  const held = (await home.cli(["enqueue", "-q", "--queue", "held", "true"], { capture: true }))
    .stdout.trim();
  const file = `${home.path}/jobs.txt`;
  await Deno.writeTextFile(file, "true\n".repeat(jobs));
  await home.cli(["enqueue", "--file", file], { capture: true });
  const waiting = spawnWait(home, held);
  waiting.line.catch(() => {});
  let ended = false;
  waiting.child.status.then(() => ended = true);
  await sleep(1_000);
  const before = processCpuNanos(waiting.child.pid);
  const startedAt = performance.now();
  await home.startWorkers(2, ["--queue", "default"]);
  await home.waitUntil(
    "the drain",
    () => home.scalar("SELECT count(*) AS n FROM jobs WHERE state = 'completed'") >= jobs,
    300_000,
    50,
  );
  const after = processCpuNanos(waiting.child.pid);
  const seconds = (performance.now() - startedAt) / 1000;
  if (ended) throw new Error("queuectl wait ended before the drain");
  waiting.child.kill("SIGTERM");
  await waiting.child.status;
  return before === null || after === null ? null : (after - before) / 1e6 / seconds;
}

async function enqueue(home: BenchHome, command: string): Promise<string> {
  return (await home.cli(["enqueue", "-q", command], { capture: true })).stdout.trim();
}

/** A `queuectl wait` on one job, and when (Date.now()) its first line arrived. */
function spawnWait(
  home: BenchHome,
  id: string,
): { child: Deno.ChildProcess; line: Promise<number> } {
  const [program, ...args] = CLI;
  const child = new Deno.Command(program!, {
    args: [...args, "wait", id],
    cwd: home.path,
    env: { ...home.env, NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const line = (async () => {
    for await (const chunk of child.stdout) {
      if (chunk.includes(10)) {
        return Date.now();
      }
    }
    throw new Error(`queuectl wait ${id} printed no line`);
  })();
  return { child, line };
}
