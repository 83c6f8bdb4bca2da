/**
 * Scale: a database created by the CLI, then filled directly (one transaction) with N jobs,
 * mostly completed, 1% dead and a few hundred pending. Measures `status` (the whole process,
 * and the store query alone) and the claim rate (in-process, through the store's claim call,
 * with the default synchronous=FULL), against the same with 1,000 stored.
 */
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { BenchHome, DENO, median, mustRun, progress } from "./harness.ts";
import { type BenchConfig, count, ms, ratio, type Row } from "./report.ts";

interface ScaleResult {
  statusMs: number;
  emptyMs: number;
  statusQueryMs: number;
  claimsPerSecond: number;
  cyclesPerSecond: number;
}

export async function benchScale(config: BenchConfig): Promise<Row[]> {
  const [small, large] = config.quick ? [1_000, 100_000] : [1_000, 1_000_000];
  const base = await measureAt(small, config);
  const big = await measureAt(large, config);
  const beyond = big.statusMs - big.emptyMs;
  const claimRatio = big.claimsPerSecond / base.claimsPerSecond;
  return [
    {
      scenario: "Scale",
      measure: `\`status\` with ${count(large)} stored, beyond startup`,
      result: `${ms(beyond)} (${ms(big.statusMs)} − empty run ${ms(big.emptyMs)})`,
      baseline: `${count(small)} stored: ${ms(base.statusMs - base.emptyMs)}`,
      target: "< 150 ms beyond startup",
      pass: beyond < 150,
    },
    {
      scenario: "Scale",
      measure: `status counts query alone, ${count(large)} stored`,
      result: ms(big.statusQueryMs),
      baseline: `${count(small)} stored: ${ms(base.statusQueryMs)}`,
    },
    {
      scenario: "Scale",
      measure: `claim rate, ${count(large)} stored`,
      result: `${count(big.claimsPerSecond)} claims/s`,
      baseline: `${count(small)} stored: ${count(base.claimsPerSecond)}/s`,
      ratio: ratio(claimRatio),
      target: "≥ 0.80× small",
      pass: claimRatio >= 0.8,
    },
    {
      scenario: "Scale",
      measure: `claim + finish cycles, ${count(large)} stored`,
      result: `${count(big.cyclesPerSecond)} jobs/s`,
      baseline: `${count(small)} stored: ${count(base.cyclesPerSecond)}/s`,
      ratio: ratio(big.cyclesPerSecond / base.cyclesPerSecond),
    },
  ];
}

async function measureAt(size: number, config: BenchConfig): Promise<ScaleResult> {
  await using home = await BenchHome.create("scale");
  const pending = Math.min(500, Math.floor(size / 2));
  await home.cli(["status"]);
  const fillStart = performance.now();
  fill(home.database, size, pending);
  progress(`scale: filled ${count(size)} jobs in ${ms(performance.now() - fillStart)}`);

  const empty = `${home.path}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const statusRuns: number[] = [];
  const emptyRuns: number[] = [];
  const rounds = config.quick ? 3 : 10;
  await home.cli(["status"]);
  for (let round = 0; round < rounds; round++) {
    statusRuns.push((await home.cli(["status"])).ms);
    emptyRuns.push((await mustRun([DENO, "run", "-A", empty], { cwd: home.path })).ms);
  }

  const store = new SqliteStore(home.database);
  try {
    const queryRuns: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      await store.statusCounts();
      queryRuns.push(performance.now() - start);
    }
    const claims = await claimAll(store, pending);
    const result = {
      statusMs: median(statusRuns),
      emptyMs: median(emptyRuns),
      statusQueryMs: median(queryRuns),
      ...claims,
    };
    progress(
      `scale ${count(size)}: status ${ms(result.statusMs)} (empty ${ms(result.emptyMs)}), query ${
        ms(result.statusQueryMs)
      }, ${count(result.claimsPerSecond)} claims/s`,
    );
    return result;
  } finally {
    store.close();
  }
}

/** Claims and completes every pending job as one in-process worker; times the claims alone. */
async function claimAll(
  store: SqliteStore,
  pending: number,
): Promise<{ claimsPerSecond: number; cyclesPerSecond: number }> {
  const worker = await store.registerWorker({
    host: "bench",
    pid: Deno.pid,
    procStart: null,
    queues: null,
    concurrency: 1,
    wakeSocket: null,
  }, Date.now());
  try {
    let claiming = 0;
    const start = performance.now();
    for (let claimed = 0;; claimed++) {
      const before = performance.now();
      const job = await store.claimNextJob({ worker, now: Date.now(), leaseMs: 30_000 });
      claiming += performance.now() - before;
      if (!job) {
        if (claimed !== pending) throw new Error(`scale: claimed ${claimed} of ${pending} jobs`);
        break;
      }
      const now = Date.now();
      await store.finishAttempt(
        { jobId: job.id, attempt: job.attempts, workerId: worker.id },
        { state: "completed", runAt: job.runAt, exitCode: 0, lastError: null },
        now,
      );
    }
    const total = performance.now() - start;
    return {
      claimsPerSecond: pending / (claiming / 1000),
      cyclesPerSecond: pending / (total / 1000),
    };
  } finally {
    await store.unregisterWorker(worker.id);
  }
}

/** Inserts `size` jobs directly: the newest `pending` are pending, 1% dead, the rest completed. */
function fill(database: string, size: number, pending: number): void {
  const db = new DatabaseSync(database);
  try {
    const insert = db.prepare(`
      INSERT INTO jobs (id, command, cwd, queue, state, attempts, max_retries, priority, run_at,
        timeout_ms, created_at, updated_at, started_at, finished_at, exit_code, last_error)
      VALUES (?, ?, '/tmp', 'default', ?, ?, 3, 0, ?, NULL, ?, ?, ?, ?, ?, ?)`);
    const now = Date.now();
    const span = 30 * 86_400_000;
    db.exec("BEGIN IMMEDIATE");
    for (let i = 0; i < size; i++) {
      const created = now - span + Math.floor((i / size) * span);
      const id = `b${i.toString(36).padStart(9, "0")}`;
      const command = `echo job ${i}`;
      if (i >= size - pending) {
        insert.run(id, command, "pending", 0, created, created, created, null, null, null, null);
      } else if (i % 100 === 7) {
        insert.run(
          id,
          command,
          "dead",
          4,
          created,
          created,
          created + 50,
          created,
          created + 50,
          1,
          "exit code 1",
        );
      } else {
        insert.run(
          id,
          command,
          "completed",
          1,
          created,
          created,
          created + 20,
          created,
          created + 20,
          0,
          null,
        );
      }
    }
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
