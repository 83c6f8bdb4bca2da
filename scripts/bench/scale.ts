/**
 * Scale: databases created by the CLI, then filled directly (one transaction) with N jobs,
 * mostly completed, 1% dead and a few hundred pending. Measures `status` (the whole process,
 * and the store query alone) and the claim rate (in-process, through the store's claim call,
 * with the default synchronous=FULL), against the same with 1,000 stored, alternating
 * between the sizes. A third database holds a backlog: every one of its jobs pending. A fourth
 * holds a backlog that no claim may take, ahead of the jobs in claim order: its queue is at its
 * concurrency limit.
 */
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import { leaseFrom } from "../../src/worker/lease_clock.ts";
import { BenchHome, DENO, median, mustRun, progress } from "./harness.ts";
import { type BenchConfig, count, ms, ratio, type Row } from "./report.ts";

interface ScaleResult {
  statusMs: number;
  queueListMs: number;
  emptyMs: number;
  statusQueryMs: number;
  claimsPerSecond: number;
  cyclesPerSecond: number;
}

/** One database of a given size, with its measurements as they accumulate. */
interface ScaleCase {
  readonly size: number;
  readonly home: BenchHome;
  readonly pending: number;
  /** How many of its pending jobs the claim measurement takes. */
  readonly claims: number;
  readonly statusRuns: number[];
  readonly queueListRuns: number[];
  readonly emptyRuns: number[];
}

export async function benchScale(config: BenchConfig): Promise<Row[]> {
  const [small, large] = config.quick ? [1_000, 100_000] : [1_000, 1_000_000];
  const backlog = config.quick ? 10_000 : 100_000;
  // Both sizes side by side, every measurement alternating between them: this machine's speed
  // (fsync above all) drifts by tens of percent within minutes, which a ratio of two
  // measurements taken minutes apart would show as the table's size.
  const cases = [
    await prepareCase(small, Math.min(500, small / 2)),
    await prepareCase(large, 500),
    await prepareCase(backlog, backlog),
    await prepareCase(Math.min(500, small / 2), Math.min(500, small / 2), backlog),
  ];
  try {
    const [base, big, queued, held] = await measureInterleaved(cases, config);
    return rowsOf(small, large, base!, big!, { size: backlog, result: queued!, held: held! });
  } finally {
    for (const scaleCase of cases) await scaleCase.home[Symbol.asyncDispose]();
  }
}

function rowsOf(
  small: number,
  large: number,
  base: ScaleResult,
  big: ScaleResult,
  backlog: { size: number; result: ScaleResult; held: ScaleResult },
): Row[] {
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
      measure: `\`queue list\` with ${count(large)} stored, beyond startup`,
      result: `${ms(big.queueListMs - big.emptyMs)} (${ms(big.queueListMs)} − empty run ${
        ms(big.emptyMs)
      })`,
      baseline: `${count(small)} stored: ${ms(base.queueListMs - base.emptyMs)}`,
    },
    {
      scenario: "Scale",
      measure: `status counts query alone, ${count(large)} stored`,
      result: ms(big.statusQueryMs),
      baseline: `${count(small)} stored: ${ms(base.statusQueryMs)}`,
    },
    {
      scenario: "Scale",
      measure: `claim rate, ${count(large)} stored (alternating with ${count(small)})`,
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
    {
      scenario: "Scale",
      measure: `claim rate with a backlog of ${count(backlog.size)} pending jobs`,
      result: `${count(backlog.result.claimsPerSecond)} claims/s`,
      baseline: `${count(small)} stored: ${count(base.claimsPerSecond)}/s`,
      ratio: ratio(backlog.result.claimsPerSecond / base.claimsPerSecond),
    },
    {
      scenario: "Scale",
      measure: `claim rate behind ${
        count(backlog.size)
      } due jobs of a queue at its concurrency limit`,
      result: `${count(backlog.held.claimsPerSecond)} claims/s`,
      baseline: `${count(small)} stored: ${count(base.claimsPerSecond)}/s`,
      ratio: ratio(backlog.held.claimsPerSecond / base.claimsPerSecond),
    },
  ];
}

/** A database of `size` jobs, `pending` of them to claim, and `held` more in a full queue. */
async function prepareCase(size: number, pending: number, held = 0): Promise<ScaleCase> {
  const home = await BenchHome.create("scale");
  // Sets a default to create the schema: reading commands create nothing in a fresh home.
  await home.cli(["config", "set", "max_retries", "3"]);
  const fillStart = performance.now();
  fill(home.database, size, pending);
  if (held > 0) holdBacklog(home.database, held);
  progress(`scale: filled ${count(size)} jobs in ${ms(performance.now() - fillStart)}`);
  await home.cli(["status"]);
  return {
    size,
    home,
    pending,
    claims: Math.min(pending, 500),
    statusRuns: [],
    queueListRuns: [],
    emptyRuns: [],
  };
}

async function measureInterleaved(
  cases: readonly ScaleCase[],
  config: BenchConfig,
): Promise<ScaleResult[]> {
  const empty = `${cases[0]!.home.path}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const rounds = config.quick ? 3 : 10;
  for (let round = 0; round < rounds; round++) {
    for (const scaleCase of cases) {
      scaleCase.statusRuns.push((await scaleCase.home.cli(["status"])).ms);
      scaleCase.queueListRuns.push((await scaleCase.home.cli(["queue", "list"])).ms);
      scaleCase.emptyRuns.push((await mustRun([DENO, "run", "-A", empty])).ms);
    }
  }
  const stores = cases.map((scaleCase) => new SqliteStore(scaleCase.home.database));
  try {
    const queryRuns = stores.map(() => [] as number[]);
    for (let round = 0; round < 5; round++) {
      for (const [index, store] of stores.entries()) {
        const start = performance.now();
        await store.statusCounts(Date.now());
        queryRuns[index]!.push(performance.now() - start);
      }
    }
    const claims = await claimAlternating(stores, cases.map((scaleCase) => scaleCase.claims));
    return cases.map((scaleCase, index) => {
      const result = {
        statusMs: median(scaleCase.statusRuns),
        queueListMs: median(scaleCase.queueListRuns),
        emptyMs: median(scaleCase.emptyRuns),
        statusQueryMs: median(queryRuns[index]!),
        ...claims[index]!,
      };
      progress(
        `scale ${count(scaleCase.size)}: status ${ms(result.statusMs)} (empty ${
          ms(result.emptyMs)
        }), query ${ms(result.statusQueryMs)}, ${count(result.claimsPerSecond)} claims/s`,
      );
      return result;
    });
  } finally {
    for (const store of stores) store.close();
  }
}

/**
 * Claims and completes `pending[i]` jobs of each store as one in-process worker per store,
 * one job of each store in turn; times the claims alone.
 */
async function claimAlternating(
  stores: readonly SqliteStore[],
  pending: readonly number[],
): Promise<{ claimsPerSecond: number; cyclesPerSecond: number }[]> {
  const workers = await Promise.all(stores.map((store) =>
    store.registerWorker({
      host: "bench",
      pid: Deno.pid,
      procStart: null,
      queues: null,
      concurrency: 1,
      wakeSocket: null,
      burst: false,
    }, Date.now())
  ));
  const claiming = stores.map(() => 0);
  const cycling = stores.map(() => 0);
  const claimed = stores.map(() => 0);
  try {
    for (let turn = 0; claimed.some((done, index) => done < pending[index]!); turn++) {
      const index = turn % stores.length;
      if (claimed[index]! >= pending[index]!) continue;
      const store = stores[index]!;
      const worker = workers[index]!;
      const before = performance.now();
      const job = await store.claimNextJob({
        worker,
        now: Date.now(),
        lease: leaseFrom(Date.now(), null, 30_000),
      });
      claiming[index]! += performance.now() - before;
      if (!job) throw new Error(`scale: claimed ${claimed[index]} of ${pending[index]} jobs`);
      await store.finishAttempt(
        { jobId: job.id, attempt: job.attempts, workerId: worker.id },
        { state: "completed", runAt: job.runAt, exitCode: 0, lastError: null },
        Date.now(),
      );
      cycling[index]! += performance.now() - before;
      claimed[index]!++;
    }
    return stores.map((_, index) => ({
      claimsPerSecond: pending[index]! / (claiming[index]! / 1000),
      cyclesPerSecond: pending[index]! / (cycling[index]! / 1000),
    }));
  } finally {
    for (const [index, store] of stores.entries()) await store.unregisterWorker(workers[index]!.id);
  }
}

/**
 * Inserts `held` due jobs into queue "held", due before every other job, and one processing
 * job that keeps the queue at its concurrency limit of 1.
 */
function holdBacklog(database: string, held: number): void {
  const db = new DatabaseSync(database);
  try {
    const insert = db.prepare(`
      INSERT INTO jobs (id, command, cwd, queue, state, max_retries, run_at, created_at, updated_at)
      VALUES (?, 'true', '/tmp', 'held', ?, 3, ?, ?, ?)`);
    const start = Date.now() - 60 * 86_400_000;
    db.exec("BEGIN IMMEDIATE");
    insert.run("held-running", "processing", start, start, start);
    for (let i = 0; i < held; i++) insert.run(`held-${i}`, "pending", start + i, start, start);
    db.exec("INSERT INTO queues (name, concurrency) VALUES ('held', 1)");
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
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
    // The store counts ended jobs as their state changes (migration 4); rows inserted directly
    // are counted here, as the migration counted those it found.
    db.exec(`
      DELETE FROM ended_counts;
      INSERT INTO ended_counts (queue, state, n)
        SELECT queue, state, count(*) FROM jobs WHERE state IN ('completed', 'dead', 'cancelled')
        GROUP BY queue, state`);
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
