import assert from "node:assert/strict";
import { newJobFixture } from "../helpers/fixtures.ts";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { AttemptOutcome } from "../../src/core/attempt_outcome.ts";
import { OperationalError, UsageError } from "../../src/core/errors.ts";
import type { Job, NewJob } from "../../src/core/job.ts";
import { applyJobEvent, type JobEvent, type JobState } from "../../src/core/job_state.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/store/migrations/mod.ts";

import {
  CLAIM_STEPS,
  CLAIMABLE_PAIRS,
  CLAIMED_JOB_SEQ,
  FREE_SLOT_CLAIMABLE,
  LONGEST_WAITING_JOB,
  NEXT_RUN_AT,
  PAIR_STEPS,
  WORK_REMAINS,
} from "../../src/store/sqlite/claim_index.ts";
import {
  CLAIM_JOB,
  ENDED_JOBS,
  JOBS_BY_ID,
  SqliteStore,
  UNFINISHED_JOBS,
} from "../../src/store/sqlite/sqlite_store.ts";
import type {
  AttemptRef,
  CancelledJob,
  NewWorker,
  QueueChange,
  WorkerRecord,
} from "../../src/store/store.ts";
import { leaseFrom } from "../../src/worker/lease_clock.ts";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const LEASE_MS = 30_000;
const HELPERS = new URL("../helpers/", import.meta.url).pathname;

/** A store on a fresh SQLite file in a temporary directory, removed on dispose. */
class TempStore implements AsyncDisposable {
  readonly dir: string;
  readonly path: string;
  store: SqliteStore;

  private constructor(dir: string) {
    this.dir = dir;
    this.path = `${dir}/queue.db`;
    this.store = new SqliteStore(this.path);
  }

  static async create(): Promise<TempStore> {
    return new TempStore(await Deno.makeTempDir({ prefix: "queuectl-store-" }));
  }

  reopen(): SqliteStore {
    this.store.close();
    this.store = new SqliteStore(this.path);
    return this.store;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.store.close();
    } catch {
      // Closed by the test.
    }
    await Deno.remove(this.dir, { recursive: true });
  }
}

let pidCounter = 1000;

function newJob(fields: Partial<NewJob> = {}): NewJob {
  return newJobFixture(NOW, fields);
}

async function addWorker(
  store: SqliteStore,
  fields: Partial<NewWorker> = {},
): Promise<WorkerRecord> {
  return await store.registerWorker({
    host: "testhost",
    pid: ++pidCounter,
    procStart: null,
    queues: null,
    concurrency: 1,
    wakeSocket: null,
    burst: false,
    ...fields,
  }, NOW);
}

async function claim(store: SqliteStore, worker: WorkerRecord, now = NOW): Promise<Job | null> {
  return await store.claimNextJob({ worker, now, lease: leaseFrom(now, null, LEASE_MS) });
}

async function claimAll(store: SqliteStore, worker: WorkerRecord, now = NOW): Promise<string[]> {
  const ids: string[] = [];
  for (let job = await claim(store, worker, now); job; job = await claim(store, worker, now)) {
    ids.push(job.id);
  }
  return ids;
}

function refOf(job: Job, worker: WorkerRecord): AttemptRef {
  return { jobId: job.id, attempt: job.attempts, workerId: worker.id };
}

const COMPLETED = (job: Job): AttemptOutcome => ({
  state: "completed",
  runAt: job.runAt,
  exitCode: 0,
  lastError: null,
});
const DEAD = (job: Job): AttemptOutcome => ({
  state: "dead",
  runAt: job.runAt,
  exitCode: 1,
  lastError: "exited with code 1",
});
const FAILED_UNTIL = (runAt: number): AttemptOutcome => ({
  state: "failed",
  runAt,
  exitCode: 1,
  lastError: "exited with code 1",
});

async function getJob(store: SqliteStore, id: string): Promise<Job> {
  const job = await store.getJob(id);
  assert.ok(job, `job ${id} exists`);
  return job;
}

/** Enqueues a job and runs it into the dead-letter queue. */
async function deadJob(
  store: SqliteStore,
  id: string,
  fields: Partial<NewJob> = {},
): Promise<Job> {
  await store.enqueueJob(newJob({ id, maxRetries: 0, runAt: NOW - 1_000_000, ...fields }), NOW);
  const worker = await addWorker(store);
  const job = await claim(store, worker);
  assert.equal(job?.id, id);
  assert.ok((await store.finishAttempt(refOf(job, worker), DEAD(job), NOW)).recorded);
  await store.unregisterWorker(worker.id);
  return await getJob(store, id);
}

function userVersion(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  } finally {
    db.close();
  }
}

function schemaOf(path: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
  } finally {
    db.close();
  }
}

// --- Enqueue and read back ---------------------------------------------------------------

Deno.test("SqliteStore.enqueueJob() stores a pending job with every field", async () => {
  await using temp = await TempStore.create();
  const { job, existing } = await temp.store.enqueueJob(
    newJob({ id: "a", command: "echo hi", priority: 4, timeoutMs: 5000, queue: "q1" }),
    NOW,
  );
  assert.equal(existing, false);
  assert.deepEqual(job, {
    id: "a",
    command: "echo hi",
    cwd: "/tmp",
    queue: "q1",
    state: "pending",
    attempts: 0,
    maxRetries: 3,
    priority: 4,
    runAt: NOW,
    timeoutMs: 5000,
    createdAt: NOW,
    updatedAt: NOW,
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    lastError: null,
    worker: null,
    uniqueKey: null,
    env: {},
    retryOn: null,
    noRetryOn: null,
    after: [],
  });
  assert.deepEqual(await temp.store.getJob("a"), job);
  assert.equal(await temp.store.getJob("nope"), null);
});

Deno.test("SqliteStore.enqueueJob() generates an id when none is given", async () => {
  await using temp = await TempStore.create();
  const { job: first } = await temp.store.enqueueJob(newJob(), NOW);
  const { job: second } = await temp.store.enqueueJob(newJob(), NOW);
  assert.match(first.id, /^[0-9a-z]{10}$/);
  assert.notEqual(first.id, second.id);
});

Deno.test("SqliteStore.enqueueJob() refuses a duplicate id and keeps the first job", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "dup", command: "echo first" }), NOW);
  await assert.rejects(
    () => temp.store.enqueueJob(newJob({ id: "dup", command: "echo second" }), NOW),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        'A job with id "dup" already exists: choose another id, or omit it to get a generated one',
      );
      return true;
    },
  );
  assert.equal((await getJob(temp.store, "dup")).command, "echo first");
  assert.equal((await temp.store.statusCounts(NOW)).jobs.pending, 1);
});

Deno.test("SqliteStore.listJobs() gives the newest jobs, oldest first, filtered", async () => {
  await using temp = await TempStore.create();
  for (const [id, queue] of [["j1", "a"], ["j2", "b"], ["j3", "a"], ["j4", "a"]] as const) {
    await temp.store.enqueueJob(newJob({ id, queue, maxRetries: 0 }), NOW);
  }
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  await temp.store.finishAttempt(refOf(job!, worker), DEAD(job!), NOW);
  const ids = async (filter: Parameters<SqliteStore["listJobs"]>[0]) =>
    (await temp.store.listJobs(filter)).map((job) => job.id);
  assert.deepEqual(await ids({ limit: 50 }), ["j1", "j2", "j3", "j4"]);
  assert.deepEqual(await ids({ limit: 2 }), ["j3", "j4"]);
  assert.deepEqual(await ids({ limit: 50, queues: ["a"] }), ["j1", "j3", "j4"]);
  assert.deepEqual(await ids({ limit: 50, queues: ["b", "a"] }), ["j1", "j2", "j3", "j4"]);
  assert.deepEqual(await ids({ limit: 50, states: ["dead"] }), ["j1"]);
  assert.deepEqual(await ids({ limit: 50, states: ["pending", "dead"], queues: ["b"] }), ["j2"]);
  assert.deepEqual(await ids({ limit: 50, states: ["dead"], queues: ["a"] }), ["j1"]);
  assert.deepEqual(await ids({ limit: 50, states: ["dead"], queues: ["b"] }), []);
  assert.deepEqual(await ids({ limit: 50, states: ["completed"] }), []);
});

Deno.test("SqliteStore.unfinishedJobs() gives the jobs not ended of some queues, or all, in order", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  /** Enqueues a job and, with an outcome, claims it and records that outcome. */
  const add = async (id: string, queue: string, outcome?: (job: Job) => AttemptOutcome) => {
    await temp.store.enqueueJob(newJob({ id, queue, maxRetries: 1 }), NOW);
    if (!outcome) return;
    const job = await claim(temp.store, worker);
    assert.equal(job?.id, id);
    await temp.store.finishAttempt(refOf(job, worker), outcome(job), NOW);
  };
  await add("done", "a", COMPLETED);
  await add("retrying", "a", () => FAILED_UNTIL(NOW + 60_000));
  await add("dead", "b", DEAD);
  await add("running", "b");
  assert.equal((await claim(temp.store, worker))?.id, "running");
  await add("gone", "a");
  await temp.store.cancelJobs(["gone"], NOW);
  await add("waiting", "c");
  await add("later", "a");
  const ids = async (queues: readonly string[] | null) =>
    (await temp.store.unfinishedJobs(queues)).map((job) => job.id);
  assert.deepEqual(await ids(null), ["retrying", "running", "waiting", "later"]);
  assert.deepEqual(await ids(["a"]), ["retrying", "later"]);
  assert.deepEqual(await ids(["c", "b"]), ["running", "waiting"]);
  assert.deepEqual(await ids(["none"]), []);
});

Deno.test("SqliteStore.getJobs() gives the jobs of the ids asked for that exist, whatever their state", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  for (const id of ["running", "waiting", "cancelled", "pruned"]) {
    await temp.store.enqueueJob(newJob({ id }), NOW);
  }
  assert.equal((await claim(temp.store, worker))?.id, "running");
  await temp.store.cancelJobs(["pruned"], NOW);
  await temp.store.pruneJobs(
    { states: ["cancelled"], finishedBefore: NOW + 1, now: NOW + 1, limit: 10 },
    () => {},
  );
  await temp.store.cancelJobs(["cancelled"], NOW + 1);
  const asked = ["waiting", "nosuch", "running", "cancelled", "pruned", "waiting", "123"];
  const jobs = await temp.store.getJobs(asked);
  assert.deepEqual([...jobs].map(([id, job]) => [id, job.id, job.state]).sort(), [
    ["cancelled", "cancelled", "cancelled"],
    ["running", "running", "processing"],
    ["waiting", "waiting", "pending"],
  ]);
  assert.deepEqual(jobs.get("waiting"), await temp.store.getJob("waiting"));
  assert.deepEqual([...await temp.store.getJobs([])], []);
});

Deno.test("SqliteStore.getJobs() reads more ids than SQLite takes parameters (32,766): one JSON array", async () => {
  await using temp = await TempStore.create();
  const stored = Array.from({ length: 40_000 }, (_, i) => newJob({ id: `job-${i}` }));
  await temp.store.enqueueBatch(
    (async function* () {
      yield stored;
    })(),
    NOW,
  );
  const asked = stored.map((job) => job.id!).reverse();
  const jobs = await temp.store.getJobs([...asked, "nosuch"]);
  assert.equal(jobs.size, 40_000);
  assert.equal(jobs.get("job-39999")?.id, "job-39999");
  assert.equal(jobs.has("nosuch"), false);
});

Deno.test("SqliteStore.endedJobs() gives the ended of the ids asked for, and null for the gone", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  for (const id of ["done", "waiting", "running", "cancelled", "pruned"]) {
    await temp.store.enqueueJob(newJob({ id }), NOW);
  }
  const done = await claim(temp.store, worker);
  await temp.store.finishAttempt(refOf(done!, worker), COMPLETED(done!), NOW);
  await temp.store.cancelJobs(["cancelled", "pruned"], NOW);
  await temp.store.pruneJobs(
    { states: ["cancelled"], finishedBefore: NOW + 1, now: NOW + 1, limit: 10 },
    () => {},
  );
  await temp.store.enqueueJob(newJob({ id: "cancelled" }), NOW);
  await temp.store.cancelJobs(["cancelled"], NOW);
  assert.equal((await claim(temp.store, worker))?.id, "waiting");
  const ended = await temp.store.endedJobs(["waiting", "done", "running", "cancelled", "pruned"]);
  assert.deepEqual([...ended].map(([id, job]) => [id, job?.state ?? null]), [
    ["done", "completed"],
    ["cancelled", "cancelled"],
    ["pruned", null],
  ]);
  assert.deepEqual([...await temp.store.endedJobs([])], []);
});

Deno.test("SqliteStore: what wait reads searches indexes, never every job", () => {
  const db = new DatabaseSync(":memory:");
  try {
    for (const sql of MIGRATIONS) db.exec(sql);
    const plans = [
      ...[null, '["a","b"]'].map((queues) =>
        db.prepare(`EXPLAIN QUERY PLAN ${UNFINISHED_JOBS}`).all({ queues })
      ),
      db.prepare(`EXPLAIN QUERY PLAN ${ENDED_JOBS}`).all({ ids: '["a"]' }),
      db.prepare(`EXPLAIN QUERY PLAN ${JOBS_BY_ID}`).all({ ids: '["a"]' }),
    ].map((plan) => plan.map((row) => String(row.detail)));
    for (const plan of plans) {
      const text = plan.join("\n");
      assert.deepEqual(plan.filter((step) => /^SCAN jobs\b/.test(step)), [], text);
      assert.ok(plan.some((step) => /^SEARCH jobs USING INDEX/.test(step)), text);
    }
  } finally {
    db.close();
  }
});

// --- Claiming ------------------------------------------------------------------------------

Deno.test("SqliteStore.claimNextJob() takes higher priority, then earlier run_at, then enqueue order", async () => {
  await using temp = await TempStore.create();
  const jobs: [string, number, number][] = [
    ["a", 0, NOW - 10],
    ["b", 5, NOW],
    ["c", 5, NOW - 100],
    ["d", 0, NOW - 10],
    ["e", -1, NOW - 1000],
    ["f", 0, NOW - 20],
    ["g", 5, NOW],
  ];
  for (const [id, priority, runAt] of jobs) {
    await temp.store.enqueueJob(newJob({ id, priority, runAt }), NOW - 5000);
  }
  const worker = await addWorker(temp.store);
  assert.deepEqual(await claimAll(temp.store, worker), ["c", "b", "g", "f", "a", "d", "e"]);
});

Deno.test("SqliteStore.claimNextJob() seeks through the claim index a (priority, queue) pair at a time", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueBatch(
    (async function* () {
      yield Array.from({ length: 500 }, (_, i) => newJob({ id: `j${i}`, priority: i % 3 }));
    })(),
    NOW,
  );
  const db = new DatabaseSync(temp.path);
  try {
    for (const queues of [null, '["default"]']) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${CLAIM_JOB}`).all({
        worker_id: 1,
        worker_host: "testhost",
        worker_pid: 1,
        now: NOW,
        lease_expires_at: NOW + LEASE_MS,
        queues,
      }).map((row) => String(row.detail));
      const text = plan.join("\n");
      const jobSteps = plan.filter((step) => /^(SCAN|SEARCH) j\b/.test(step));
      assert.ok(jobSteps.every((step) => step.includes("USING INDEX jobs_claim")), text);
      // The first priority, the first and next queue of a priority, the next priority, a pair's
      // due rows; past the steps, the rest of a priority and the lower ones.
      assert.equal(plan.filter((step) => /^SCAN j\b/.test(step)).length, 1, text);
      assert.ok(plan.includes("SEARCH j USING INDEX jobs_claim (priority=?)"), text);
      assert.ok(plan.includes("SEARCH j USING INDEX jobs_claim (priority=? AND queue>?)"), text);
      assert.ok(plan.includes("SEARCH j USING INDEX jobs_claim (priority<?)"), text);
      assert.ok(
        plan.includes("SEARCH j USING INDEX jobs_claim (priority=? AND queue=? AND run_at<?)"),
        text,
      );
      // Sorting only the rest walks' rows and the candidates, never a pair's.
      assert.deepEqual(plan.filter((step) => step.includes("TEMP B-TREE")), [
        "USE TEMP B-TREE FOR ORDER BY",
        "USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY",
        "USE TEMP B-TREE FOR ORDER BY",
      ], text);
    }
  } finally {
    db.close();
  }
});

Deno.test("jobs_claim is stepped through a (priority, queue) pair at a time, each once", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueBatch(
    (async function* () {
      yield [
        newJob({ id: "5b", priority: 5, queue: "b" }),
        newJob({ id: "5a-1", priority: 5, queue: "a" }),
        newJob({ id: "5a-2", priority: 5, queue: "a", runAt: NOW + 1 }),
        newJob({ id: "0a", priority: 0, queue: "a" }),
        newJob({ id: "-3c", priority: -3, queue: "c", runAt: NOW + 9 }),
        // Not claimable: waits for "0a". No step for its pair.
        newJob({ id: "9d", priority: 9, queue: "d", after: ["0a"] }),
      ];
    })(),
    NOW,
  );
  const db = new DatabaseSync(temp.path);
  try {
    const steps = db.prepare(`WITH RECURSIVE ${CLAIMABLE_PAIRS} SELECT priority, queue FROM pairs`)
      .all().map((row) => [row.priority, row.queue]);
    assert.deepEqual(steps, [
      [5, null],
      [5, "a"],
      [5, "b"],
      [0, null],
      [0, "a"],
      [-3, null],
      [-3, "c"],
      [null, null],
    ]);
    // The claim's own steps stop at the priority after the first that has a due job for it:
    // row n holds the candidate of row n-1's pair.
    const seqOf = (id: string) => (db.prepare("SELECT seq FROM jobs WHERE id = ?").get(id))!.seq;
    const claimSteps = db.prepare(
      `WITH RECURSIVE ${CLAIM_STEPS} SELECT priority, queue, seq FROM steps`,
    );
    assert.deepEqual(
      claimSteps.all({ now: NOW, queues: null }).map((row) => [row.priority, row.queue, row.seq]),
      [[5, null, null], [5, "a", null], [5, "b", seqOf("5a-1")], [0, null, seqOf("5b")]],
    );
    assert.deepEqual(
      claimSteps.all({ now: NOW, queues: '["c"]' }).map((
        row,
      ) => [row.priority, row.queue, row.seq]),
      [
        [5, null, null],
        [5, "a", null],
        [5, "b", null],
        [0, null, null],
        [0, "a", null],
        [-3, null, null],
        [-3, "c", null],
        [null, null, null],
      ],
    );
  } finally {
    db.close();
  }
});

Deno.test("jobs_claim's steps stop after 32 rows", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueBatch(
    (async function* () {
      yield Array.from({ length: 40 }, (_, i) => newJob({ id: `j${i}`, queue: `q${10 + i}` }));
    })(),
    NOW,
  );
  const db = new DatabaseSync(temp.path);
  try {
    const steps = db.prepare(`WITH RECURSIVE ${CLAIMABLE_PAIRS} SELECT priority, queue FROM pairs`)
      .all();
    assert.equal(steps.length, PAIR_STEPS);
    assert.deepEqual(steps.at(-1), {
      __proto__: null,
      priority: 0,
      queue: `q${10 + PAIR_STEPS - 2}`,
    });
  } finally {
    db.close();
  }
});

Deno.test("SqliteStore.claimNextJob() does not claim a job before its run_at", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "later", runAt: NOW + 1000 }), NOW);
  const worker = await addWorker(temp.store);
  assert.equal(await claim(temp.store, worker, NOW), null);
  assert.equal(await claim(temp.store, worker, NOW + 999), null);
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 1000);
  assert.equal((await claim(temp.store, worker, NOW + 1000))?.id, "later");
  assert.equal(await temp.store.nextRunAt(null, NOW), null);
});

Deno.test("SqliteStore.nextRunAt() names only a time when a claim could take something new", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "due" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "paused", queue: "held", runAt: NOW + 100 }), NOW);
  await temp.store.configureQueue("held", { paused: true });
  await temp.store.enqueueJob(newJob({ id: "child", runAt: NOW + 200, after: ["due"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "later", runAt: NOW + 300 }), NOW);
  // "due" is due already; "paused" and "child" could not be claimed when due.
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 300);
  await temp.store.configureQueue("held", { paused: false });
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 100);
  assert.equal(await temp.store.nextRunAt(null, NOW + 300), null);
});

Deno.test("SqliteStore.nextRunAt() walks past a priority's earlier jobs that no claim could take", async () => {
  await using temp = await TempStore.create();
  // One priority; in run_at order: due, paused queue, another queue, blocked, then claimable.
  await temp.store.enqueueJob(newJob({ id: "due", runAt: NOW - 100 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "now", runAt: NOW }), NOW);
  await temp.store.enqueueJob(newJob({ id: "paused", queue: "held", runAt: NOW + 100 }), NOW);
  await temp.store.configureQueue("held", { paused: true });
  await temp.store.enqueueJob(newJob({ id: "beta", queue: "beta", runAt: NOW + 200 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "child", runAt: NOW + 300, after: ["due"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "next", runAt: NOW + 400 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "last", runAt: NOW + 500 }), NOW);
  // A more urgent priority with only a due job does not end the search.
  await temp.store.enqueueJob(newJob({ id: "urgent", priority: 9, runAt: NOW - 1 }), NOW);
  assert.equal(await temp.store.nextRunAt(["default", "held"], NOW), NOW + 400);
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 200);
  assert.equal(await temp.store.nextRunAt(["beta"], NOW), NOW + 200);
  assert.equal(await temp.store.nextRunAt(["held"], NOW), null);
  assert.equal(await temp.store.nextRunAt(["default"], NOW + 400), NOW + 500);
  assert.equal(await temp.store.nextRunAt(null, NOW + 500), null);
});

Deno.test("SqliteStore.nextRunAt() finds the earliest job past the priorities it seeks one by one", async () => {
  await using temp = await TempStore.create();
  // 31 priorities, more than the query seeks one by one; the lower, the sooner.
  const jobs = Array.from(
    { length: 31 },
    (_, priority) => newJob({ priority, runAt: NOW + 10_000 + 1000 * priority }),
  );
  // Sooner still at the lowest priority, but not claimable: paused, or in another queue.
  jobs.push(newJob({ priority: 0, queue: "held", runAt: NOW + 1000 }));
  jobs.push(newJob({ priority: 0, queue: "beta", runAt: NOW + 2000 }));
  await temp.store.enqueueBatch(
    (async function* () {
      yield jobs;
    })(),
    NOW,
  );
  await temp.store.configureQueue("held", { paused: true });
  assert.equal(await temp.store.nextRunAt(["default", "held"], NOW), NOW + 10_000);
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 2000);
  assert.equal(await temp.store.nextRunAt(["beta"], NOW), NOW + 2000);
  assert.equal(await temp.store.nextRunAt(["held"], NOW), null);
  assert.equal(await temp.store.nextRunAt(["default"], NOW + 10_000), NOW + 11_000);
});

Deno.test("SqliteStore.nextRunAt() is null without a future job", async () => {
  await using temp = await TempStore.create();
  assert.equal(await temp.store.nextRunAt(null, NOW), null);
  await temp.store.enqueueJob(newJob({ id: "running", runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "due", runAt: NOW }), NOW);
  const worker = await addWorker(temp.store);
  assert.equal((await claim(temp.store, worker))?.id, "running");
  assert.equal(await temp.store.nextRunAt(null, NOW), null);
  assert.equal(await temp.store.nextRunAt(null, NOW - 1), NOW);
});

Deno.test("SqliteStore.workRemains() counts jobs waiting or coming due in the queues, not paused ones", async () => {
  await using temp = await TempStore.create();
  assert.equal(await temp.store.workRemains(null), false);
  await temp.store.enqueueJob(newJob({ id: "later", queue: "a", runAt: NOW + 3_600_000 }), NOW);
  assert.equal(await temp.store.workRemains(null), true);
  assert.equal(await temp.store.workRemains(["a"]), true);
  assert.equal(await temp.store.workRemains(["b"]), false);
  await temp.store.configureQueue("a", { paused: true });
  assert.equal(await temp.store.workRemains(["a", "b"]), false);
  // A queue at its concurrency limit frees a slot by itself.
  await temp.store.configureQueue("a", { paused: false, concurrency: 1 });
  assert.equal(await temp.store.workRemains(["a"]), true);
});

Deno.test("SqliteStore.workRemains() counts a running job of the queues, which may come back, and a retry", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "job", queue: "a" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  assert.ok(job);
  assert.equal(await temp.store.workRemains(["a"]), true);
  assert.equal(await temp.store.workRemains(["b"]), false);
  await temp.store.finishAttempt(refOf(job, worker), FAILED_UNTIL(NOW + 60_000), NOW);
  assert.equal(await temp.store.workRemains(["a"]), true);
  const retry = await claim(temp.store, worker, NOW + 60_000);
  assert.ok(retry);
  await temp.store.finishAttempt(refOf(retry, worker), COMPLETED(retry), NOW + 60_000);
  assert.equal(await temp.store.workRemains(null), false);
});

Deno.test("SqliteStore.workRemains() counts a job waiting for a dependency only while one can end", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "build", queue: "build" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "test", queue: "ci", after: ["build"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "report", queue: "ci", after: ["test"] }), NOW);
  // No worker serves "build": nothing ends it without someone acting.
  assert.equal(await temp.store.workRemains(["ci"]), false);
  const builder = await addWorker(temp.store, { queues: ["build"] });
  assert.equal(await temp.store.workRemains(["ci"]), true);
  await temp.store.requestStop([builder.id], "graceful");
  assert.equal(await temp.store.workRemains(["ci"]), false);
  await temp.store.configureQueue("build", { paused: true });
  const all = await addWorker(temp.store);
  assert.equal(await temp.store.workRemains(["ci"]), false);
  await temp.store.configureQueue("build", { paused: false });
  assert.equal(await temp.store.workRemains(["ci"]), true);
  // Running, it ends even in a queue paused since.
  const build = await claim(temp.store, all);
  assert.equal(build?.id, "build");
  await temp.store.configureQueue("build", { paused: true });
  assert.equal(await temp.store.workRemains(["ci"]), true);
  // Dead, it cancels what waited for it.
  await temp.store.finishAttempt(refOf(build!, all), DEAD(build!), NOW);
  assert.equal(await temp.store.workRemains(null), false);
  assert.equal((await getJob(temp.store, "report")).state, "cancelled");
});

Deno.test("SqliteStore.workRemains() follows dependencies through the jobs waiting for theirs", async () => {
  await using temp = await TempStore.create();
  await addWorker(temp.store);
  await temp.store.enqueueJob(newJob({ id: "head", queue: "held" }), NOW);
  await temp.store.configureQueue("held", { paused: true });
  await temp.store.enqueueJob(newJob({ id: "free", queue: "other", runAt: NOW + 1000 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "middle", queue: "other", after: ["head"] }), NOW);
  await temp.store.enqueueJob(
    newJob({ id: "tail", queue: "ci", after: ["middle", "free"] }),
    NOW,
  );
  // "free" will run, but "tail" waits for "middle" too, whose head waits for a resume.
  assert.equal(await temp.store.workRemains(["ci"]), true);
  await temp.store.cancelJobs(["free"], NOW);
  assert.equal((await getJob(temp.store, "tail")).state, "cancelled");
  await temp.store.enqueueJob(newJob({ id: "tail2", queue: "ci", after: ["middle"] }), NOW);
  assert.equal(await temp.store.workRemains(["ci"]), false);
  await temp.store.configureQueue("held", { paused: false });
  assert.equal(await temp.store.workRemains(["ci"]), true);
});

Deno.test("SqliteStore.workRemains() finds a queue's job past the pairs it seeks one by one", async () => {
  await using temp = await TempStore.create();
  const jobs = Array.from({ length: 40 }, (_, priority) => newJob({ priority, queue: "busy" }));
  jobs.push(newJob({ priority: -1, queue: "last" }));
  jobs.push(...Array.from({ length: 40 }, (_, i) => newJob({ priority: -1, queue: `q${i}` })));
  jobs.push(newJob({ priority: -1, queue: "r" }));
  await temp.store.enqueueBatch(
    (async function* () {
      yield jobs;
    })(),
    NOW,
  );
  await temp.store.configureQueue("busy", { paused: true });
  assert.equal(await temp.store.workRemains(["last"]), true);
  assert.equal(await temp.store.workRemains(["r"]), true);
  assert.equal(await temp.store.workRemains(["busy", "none"]), false);
});

Deno.test("SqliteStore.workRemains() reads through indexes, and follows dependencies as it goes", async () => {
  await using temp = await TempStore.create();
  await temp.store.readConfigValues();
  const db = new DatabaseSync(temp.path);
  try {
    for (const queues of [null, '["default"]']) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${WORK_REMAINS}`).all({ queues })
        .map((row) => String(row.detail));
      const text = plan.join("\n");
      // Every read of jobs is a search or a scan of an index; none is a table scan.
      assert.deepEqual(plan.filter((step) => /^SCAN (j|b)$/.test(step)), [], text);
      // The dependencies are walked as the EXISTS reads them, not gathered first and searched.
      assert.ok(!text.includes("AUTOMATIC"), text);
      assert.ok(plan.includes("SCAN a"), text);
    }
  } finally {
    db.close();
  }
});

Deno.test("SqliteStore.nextRunAt(), status and the freed-slot check seek through the claim index a pair at a time", async () => {
  await using temp = await TempStore.create();
  const db = new DatabaseSync(temp.path);
  try {
    const plans = [
      ...[null, '["default"]'].map((queues) => ({
        sql: NEXT_RUN_AT,
        params: { now: NOW, queues },
      })),
      { sql: LONGEST_WAITING_JOB, params: { now: NOW } },
      { sql: FREE_SLOT_CLAIMABLE, params: { now: NOW, queue: "default" } },
    ];
    for (const { sql, params } of plans) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params)
        .map((row) => String(row.detail));
      const text = plan.join("\n");
      const jobSteps = plan.filter((step) => /^(SCAN|SEARCH) j\b/.test(step));
      assert.ok(jobSteps.every((step) => step.includes("USING INDEX jobs_claim")), text);
      assert.equal(plan.filter((step) => /^SCAN j\b/.test(step)).length, 1, text);
      assert.ok(plan.includes("SEARCH j USING INDEX jobs_claim (priority=? AND queue>?)"), text);
      assert.ok(plan.includes("SEARCH j USING INDEX jobs_claim (priority<?)"), text);
      const pairSeek = sql === NEXT_RUN_AT
        ? "SEARCH j USING INDEX jobs_claim (priority=? AND queue=? AND run_at>?)"
        : "SEARCH j USING INDEX jobs_claim (priority=? AND queue=? AND run_at<?)";
      assert.ok(plan.includes(pairSeek), text);
      // Status sorts its few candidates; nothing sorts a pair's rows.
      assert.deepEqual(
        plan.filter((step) => step.includes("TEMP B-TREE")),
        sql === LONGEST_WAITING_JOB ? ["USE TEMP B-TREE FOR ORDER BY"] : [],
        text,
      );
    }
  } finally {
    db.close();
  }
});

/** What nextRunAt must return: the plain query, reading every waiting row. */
const PLAIN_NEXT_RUN_AT = `
SELECT min(j.run_at) AS next FROM jobs j
WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0 AND j.run_at > :now
  AND (:queues IS NULL OR j.queue IN (SELECT value FROM json_each(:queues)))
  AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = j.queue AND q.paused = 1)`;

/** What workRemains must say of jobs without dependency edges: the plain query. */
const PLAIN_WORK_REMAINS = `
SELECT EXISTS (
  SELECT 1 FROM jobs j
  WHERE ((j.state IN ('pending', 'failed') AND j.deps_pending = 0) OR j.state = 'processing')
    AND (:queues IS NULL OR j.queue IN (SELECT value FROM json_each(:queues)))
    AND NOT EXISTS (SELECT 1 FROM queues q WHERE q.name = j.queue AND q.paused = 1)) AS remains`;

/** What status must report as the longest wait: the plain query, reading every due row. */
const PLAIN_LONGEST_WAITING = `
SELECT j.created_at, max(j.created_at, j.run_at) AS due_at FROM jobs j
WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0 AND j.run_at <= :now
ORDER BY due_at, j.seq LIMIT 1`;

/** What the freed-slot check must say: the plain query, reading every due row. */
const PLAIN_FREE_SLOT = `
SELECT 1 FROM queues q
WHERE q.name = :queue AND q.paused = 0
  AND q.concurrency > (SELECT count(*) FROM jobs p WHERE p.state = 'processing' AND p.queue = q.name)
  AND EXISTS (SELECT 1 FROM jobs j
              WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0 AND j.run_at <= :now
                AND j.queue = q.name)`;

/** How many steps (claim_index.ts) the claimable jobs of a database make. */
const STEPS_OF_CLAIMABLE = `
SELECT (SELECT count(DISTINCT priority) FROM jobs
        WHERE state IN ('pending', 'failed') AND deps_pending = 0)
     + (SELECT count(*) FROM (SELECT DISTINCT priority, queue FROM jobs
                              WHERE state IN ('pending', 'failed') AND deps_pending = 0)) AS n`;

/** Queue names: three, or forty for databases with more queues than the steps reach. */
const FEW_QUEUES = ["a", "b", "c"];
const MANY_QUEUES = [
  ...FEW_QUEUES,
  ...Array.from({ length: 37 }, (_, i) => `q${String(i).padStart(2, "0")}`),
];

/** Random integers in [0, n), the same for the same seed (mulberry32). */
function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

/** The inserts that fill random databases, on a connection that no longer syncs (test data). */
function randomFill(db: DatabaseSync): { insertJob: StatementSync; insertQueue: StatementSync } {
  db.exec("PRAGMA synchronous = OFF");
  return {
    insertJob: db.prepare(`
      INSERT INTO jobs (id, command, cwd, queue, state, max_retries, priority, run_at,
                        created_at, updated_at, deps_pending)
      VALUES (?, 'true', '/tmp', ?, ?, 3, ?, ?, ?, ?, ?)`),
    insertQueue: db.prepare("INSERT INTO queues (name, paused, concurrency) VALUES (?, ?, ?)"),
  };
}

Deno.test("SqliteStore.nextRunAt(), workRemains(), status's longest wait and the freed-slot check agree with plain queries on random databases", async () => {
  await using temp = await TempStore.create();
  const db = new DatabaseSync(temp.path);
  try {
    const { insertJob, insertQueue } = randomFill(db);
    const plainNext = db.prepare(PLAIN_NEXT_RUN_AT);
    const plainRemains = db.prepare(PLAIN_WORK_REMAINS);
    const plainLongest = db.prepare(PLAIN_LONGEST_WAITING);
    const plainFreeSlot = db.prepare(PLAIN_FREE_SLOT);
    const freeSlot = db.prepare(FREE_SLOT_CLAIMABLE);
    const stepsOf = db.prepare(STEPS_OF_CLAIMABLE);
    const states = ["pending", "pending", "pending", "failed", "processing", "completed", "dead"];
    const workerQueues = [null, ["a"], ["b", "c"], ["a", "b", "c"], ["d"], ["q07", "c", "q30"]];
    let found = 0;
    let remaining = 0;
    let longest = 0;
    let freed = 0;
    let pastSteps = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      // A third of the databases hold more priorities than the queries seek one by one, a third
      // more queues.
      const mode = random(3);
      const spread = mode === 0 ? 24 : [1, 3][random(2)]!;
      const queueNames = mode === 1 ? MANY_QUEUES : FEW_QUEUES;
      db.exec("BEGIN");
      db.exec("DELETE FROM jobs; DELETE FROM queues");
      for (const name of queueNames) {
        if (random(3) > 0) insertQueue.run(name, random(2), [null, 1, 2][random(3)]!);
      }
      for (let i = mode < 2 ? 60 + random(80) : random(40); i > 0; i--) {
        insertJob.run(
          `j${i}`,
          queueNames[random(queueNames.length)]!,
          states[random(states.length)]!,
          random(spread) - (spread >> 1),
          // Coarse times tie with each other and with now; fine ones tell priorities apart.
          random(2) === 0 ? NOW + 100 * (random(11) - 5) : NOW + random(1001) - 500,
          NOW - random(2) * 300 - random(700),
          NOW - 1000,
          random(5) === 0 ? 1 : 0,
        );
      }
      db.exec("COMMIT");
      if ((stepsOf.get() as { n: number }).n > PAIR_STEPS) pastSteps++;
      for (const queues of workerQueues) {
        const now = NOW + 100 * (random(13) - 6);
        const expected = plainNext.get({
          now,
          queues: queues === null ? null : JSON.stringify(queues),
        }) as { next: number | null };
        const actual = await temp.store.nextRunAt(queues, now);
        assert.equal(actual, expected.next, `seed ${seed}, queues ${queues}, now ${now - NOW}`);
        if (actual !== null) found++;
        const remains = plainRemains.get({
          queues: queues === null ? null : JSON.stringify(queues),
        }) as { remains: number };
        assert.equal(
          await temp.store.workRemains(queues),
          remains.remains === 1,
          `seed ${seed}, queues ${queues}`,
        );
        if (remains.remains === 1) remaining++;
      }
      const now = NOW + 100 * (random(13) - 6);
      const expectedLongest = plainLongest.get({ now }) as
        | { created_at: number; due_at: number }
        | undefined;
      assert.deepEqual(
        (await temp.store.statusCounts(now)).longestWaiting,
        expectedLongest
          ? { createdAt: expectedLongest.created_at, dueAt: expectedLongest.due_at }
          : null,
        `seed ${seed}, now ${now - NOW}`,
      );
      if (expectedLongest) longest++;
      for (const queue of queueNames) {
        const expectedFree = plainFreeSlot.get({ queue, now }) !== undefined;
        assert.equal(
          freeSlot.get({ queue, now }) !== undefined,
          expectedFree,
          `seed ${seed}, ${queue}`,
        );
        if (expectedFree) freed++;
      }
    }
    // The random databases reach answers of each kind, and more steps than are sought apart.
    assert.ok(found > 500, `${found} next times found`);
    assert.ok(remaining > 300 && remaining < 1500, `${remaining} of 1800 with work left`);
    assert.ok(longest > 150, `${longest} longest waits found`);
    assert.ok(freed > 200, `${freed} free slots found`);
    assert.ok(pastSteps > 100, `${pastSteps} past ${PAIR_STEPS} steps`);
  } finally {
    db.close();
  }
});

/** What a claim must take: the single walk of jobs_claim that claimed jobs before the seeks. */
const WALKING_CLAIM = `
  SELECT j.seq FROM jobs j INDEXED BY jobs_claim
  WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0 AND j.run_at <= :now
    AND (:queues IS NULL OR j.queue IN (SELECT value FROM json_each(:queues)))
    AND NOT EXISTS (
      SELECT 1 FROM queues q
      WHERE q.name = j.queue AND (q.paused = 1 OR q.concurrency <= (
        SELECT count(*) FROM jobs p WHERE p.state = 'processing' AND p.queue = j.queue)))
  ORDER BY j.priority DESC, j.run_at, j.seq
  LIMIT 1`;

Deno.test("SqliteStore.claimNextJob() takes what the single walk took on random databases", async () => {
  await using temp = await TempStore.create();
  const db = new DatabaseSync(temp.path);
  try {
    const { insertJob, insertQueue } = randomFill(db);
    const walk = db.prepare(WALKING_CLAIM);
    const seek = db.prepare(`SELECT (${CLAIMED_JOB_SEQ}) AS seq`);
    const seqOf = db.prepare("SELECT seq FROM jobs WHERE id = ?");
    // The steps (claim_index.ts) before the pair of the job at :seq: the starts of its
    // priority and those above, and the pairs before its own.
    const stepsBefore = db.prepare(`
      WITH job (priority, queue) AS (SELECT priority, queue FROM jobs WHERE seq = :seq)
      SELECT (SELECT count(DISTINCT j.priority) FROM jobs j, job
              WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
                AND j.priority >= job.priority)
           + (SELECT count(*) FROM (
                SELECT DISTINCT j.priority, j.queue FROM jobs j, job
                WHERE j.state IN ('pending', 'failed') AND j.deps_pending = 0
                  AND (j.priority > job.priority
                       OR (j.priority = job.priority AND j.queue < job.queue))))
        AS n`);
    const states = ["pending", "pending", "pending", "failed", "processing", "completed", "dead"];
    const workerQueues = [null, ["a"], ["b", "c"], ["a", "b", "c"], ["d"], ["q07", "c", "q30"]];
    const workers = await Promise.all(
      workerQueues.map((queues) => addWorker(temp.store, { queues })),
    );
    let taken = 0;
    let pastSteps = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      // A third of the databases hold more priorities than the claim seeks one by one, those
      // above a cut (16 to 39 of them) nearly all in the future, so that the job to take is
      // often past the 16th. Half of the others hold more queues than the steps reach.
      const manyPriorities = random(3) === 0;
      const queueNames = !manyPriorities && random(2) === 0 ? MANY_QUEUES : FEW_QUEUES;
      const spread = manyPriorities ? 40 : [1, 3][random(2)]!;
      const cut = manyPriorities ? random(24) - 20 : Infinity;
      db.exec("BEGIN");
      db.exec("DELETE FROM jobs; DELETE FROM queues");
      for (const name of queueNames) {
        if (random(3) > 0) insertQueue.run(name, random(4) === 0 ? 1 : 0, [null, 1, 2][random(3)]!);
      }
      for (
        let i = queueNames === MANY_QUEUES || manyPriorities ? 60 + random(80) : random(40);
        i > 0;
        i--
      ) {
        const priority = random(spread) - (spread >> 1);
        insertJob.run(
          `j${i}`,
          queueNames[random(queueNames.length)]!,
          states[random(states.length)]!,
          priority,
          priority > cut && random(20) > 0
            ? NOW + 1000 + random(100)
            // Coarse times tie with each other and with now; fine ones tell priorities apart.
            : random(2) === 0
            ? NOW + 100 * (random(11) - 5)
            : NOW + random(1001) - 500,
          NOW - 1000,
          NOW - 1000,
          random(5) === 0 ? 1 : 0,
        );
      }
      db.exec("COMMIT");
      // The selection alone, for every worker, then claims through the store until none is left.
      for (const queues of workerQueues) {
        const now = NOW + 100 * (random(13) - 6);
        const params = { now, queues: queues === null ? null : JSON.stringify(queues) };
        const expected = (walk.get(params) as { seq: number } | undefined)?.seq ?? null;
        const actual = (seek.get(params) as { seq: number | null }).seq;
        assert.equal(actual, expected, `seed ${seed}, queues ${queues}, now ${now - NOW}`);
      }
      for (const worker of workers) {
        const now = NOW + 100 * (random(13) - 6);
        const params = {
          now,
          queues: worker.queues === null ? null : JSON.stringify(worker.queues),
        };
        for (let round = 0;; round++) {
          const expected = walk.get(params) as { seq: number } | undefined;
          const before = expected && stepsBefore.get({ seq: expected.seq }) as { n: number };
          const job = await claim(temp.store, worker, now);
          const actual = job === null ? undefined : seqOf.get(job.id) as { seq: number };
          assert.equal(
            actual?.seq,
            expected?.seq,
            `seed ${seed}, ${worker.queues}, claim ${round}`,
          );
          if (job === null) break;
          if (before !== undefined && before.n >= PAIR_STEPS - 1) pastSteps++;
          taken++;
        }
      }
    }
    // The claims reach jobs both within and past the steps that are sought one by one.
    assert.ok(taken > 1000, `${taken} taken`);
    assert.ok(pastSteps > 200, `${pastSteps} past ${PAIR_STEPS} steps`);
  } finally {
    db.close();
  }
});

Deno.test("SqliteStore.claimNextJob() takes a due job before a more urgent future one", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "urgent-later", priority: 100, runAt: NOW + 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "due", priority: 0 }), NOW);
  const worker = await addWorker(temp.store);
  assert.deepEqual(await claimAll(temp.store, worker), ["due"]);
});

Deno.test("SqliteStore.claimNextJob() passes over priorities whose jobs are all in the future", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "urgent-1", priority: 9, runAt: NOW + 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "urgent-2", priority: 9, runAt: NOW + 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "high", priority: 7, runAt: NOW + 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "mid-later", priority: 5, runAt: NOW + 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "mid", priority: 5, runAt: NOW }), NOW);
  await temp.store.enqueueJob(newJob({ id: "low", priority: 1, runAt: NOW - 10 }), NOW);
  const worker = await addWorker(temp.store);
  assert.deepEqual(await claimAll(temp.store, worker), ["mid", "low"]);
  assert.deepEqual(await claimAll(temp.store, worker, NOW + 2), [
    "urgent-1",
    "urgent-2",
    "high",
    "mid-later",
  ]);
});

Deno.test("SqliteStore.claimNextJob() finds a due job past the priorities it seeks one by one", async () => {
  // 21 priorities, 20 down to 0, each with a future job; the k-th from the top has a due one too.
  // A priority is two steps (its start, its "default" pair): the due job's pair is step 2k, on
  // either side of the 32 steps the claim seeks one by one.
  for (const k of [1, 15, 16, 17, 18, 21]) {
    await using temp = await TempStore.create();
    const jobs = Array.from(
      { length: 21 },
      (_, i) => newJob({ id: `later-${20 - i}`, priority: 20 - i, runAt: NOW + 1 }),
    );
    jobs.push(newJob({ id: "due", priority: 21 - k, runAt: NOW }));
    // Due but not claimable: paused, past the due one in run_at order, or at a lower priority.
    jobs.push(newJob({ id: "held", queue: "held", priority: 21 - k, runAt: NOW - 1 }));
    jobs.push(newJob({ id: "next", priority: 21 - k, runAt: NOW }));
    if (k < 21) jobs.push(newJob({ id: "lower", priority: 20 - k, runAt: NOW - 1 }));
    await temp.store.enqueueBatch(
      (async function* () {
        yield jobs;
      })(),
      NOW,
    );
    await temp.store.configureQueue("held", { paused: true });
    const worker = await addWorker(temp.store);
    assert.equal((await claim(temp.store, worker))?.id, "due", `priority ${k} from the top`);
    assert.equal((await claim(temp.store, worker))?.id, "next", `priority ${k} from the top`);
  }
});

Deno.test("SqliteStore.claimNextJob() steps over a priority's due jobs that it may not take", async () => {
  await using temp = await TempStore.create();
  await temp.store.configureQueue("held", { paused: true });
  await temp.store.configureQueue("limited", { concurrency: 1 });
  // One priority; in run_at order: paused, another queue, blocked, limited (twice), default.
  await temp.store.enqueueJob(newJob({ id: "running", queue: "limited", runAt: NOW - 900 }), NOW);
  const worker = await addWorker(temp.store, { queues: ["limited"] });
  assert.equal((await claim(temp.store, worker))?.id, "running");
  await temp.store.enqueueJob(newJob({ id: "paused", queue: "held", runAt: NOW - 500 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "beta", queue: "beta", runAt: NOW - 400 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "child", runAt: NOW - 300, after: ["running"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "full", queue: "limited", runAt: NOW - 200 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "due", runAt: NOW - 100 }), NOW);
  // A more urgent priority whose only due job is paused.
  await temp.store.enqueueJob(newJob({ id: "urgent", queue: "held", priority: 9 }), NOW);
  const served = (queues: string[] | null) => addWorker(temp.store, { queues });
  assert.equal(await claim(temp.store, await served(["held", "limited"])), null);
  assert.deepEqual(await claimAll(temp.store, await served(["default", "held"])), ["due"]);
  assert.deepEqual(await claimAll(temp.store, await served(null)), ["beta"]);
  await temp.store.configureQueue("held", { paused: false });
  assert.deepEqual(await claimAll(temp.store, await served(["default", "held"])), [
    "urgent",
    "paused",
  ]);
});

Deno.test("SqliteStore.claimNextJob() retries a failed job only when its backoff has passed", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "flaky" }), NOW);
  const worker = await addWorker(temp.store);
  const first = await claim(temp.store, worker);
  assert.ok(
    (await temp.store.finishAttempt(refOf(first!, worker), FAILED_UNTIL(NOW + 2000), NOW)).recorded,
  );
  const failed = await getJob(temp.store, "flaky");
  assert.equal(failed.state, "failed");
  assert.equal(failed.runAt, NOW + 2000);
  assert.equal(failed.finishedAt, null);
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + 2000);
  assert.equal(await claim(temp.store, worker, NOW + 1999), null);
  const second = await claim(temp.store, worker, NOW + 2000);
  assert.equal(second?.id, "flaky");
  assert.equal(second?.attempts, 2);
  assert.equal(second?.state, "processing");
});

Deno.test("SqliteStore.claimNextJob() serves only the worker's queues", async () => {
  await using temp = await TempStore.create();
  for (
    const [id, queue] of [["d1", "default"], ["a1", "alpha"], ["b1", "beta"], [
      "a2",
      "alpha",
    ]] as const
  ) {
    await temp.store.enqueueJob(newJob({ id, queue }), NOW);
  }
  const beta = await addWorker(temp.store, { queues: ["beta"] });
  assert.deepEqual(await claimAll(temp.store, beta), ["b1"]);
  assert.equal(await temp.store.nextRunAt(["beta"], NOW - 1), null);
  assert.equal(await temp.store.nextRunAt(["alpha"], NOW - 1), NOW);
  const alphaDefault = await addWorker(temp.store, { queues: ["alpha", "default"] });
  assert.deepEqual(await claimAll(temp.store, alphaDefault), ["d1", "a1", "a2"]);
  await temp.store.enqueueJob(newJob({ id: "g1", queue: "gamma" }), NOW);
  const any = await addWorker(temp.store);
  assert.deepEqual(await claimAll(temp.store, any), ["g1"]);
});

Deno.test("SqliteStore.claimNextJob() counts the attempt and records the worker at claim", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW - 1000);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  assert.ok(job);
  assert.equal(job.state, "processing");
  assert.equal(job.attempts, 1);
  assert.equal(job.startedAt, NOW);
  assert.equal(job.updatedAt, NOW);
  assert.equal(job.createdAt, NOW - 1000);
  assert.equal(job.worker, `testhost:${worker.pid}`);
  assert.deepEqual(await temp.store.getJob("x"), job);
  assert.deepEqual((await temp.store.getWorker(worker.id))?.currentJobs, ["x"]);
  assert.equal(await claim(temp.store, worker), null, "a processing job is not claimed again");
});

Deno.test("SqliteStore.claimNextJob() returns null on an empty queue", async () => {
  await using temp = await TempStore.create();
  assert.equal(await claim(temp.store, await addWorker(temp.store)), null);
});

Deno.test("SqliteStore state changes follow the TRANSITIONS table of the state machine", async () => {
  await using temp = await TempStore.create();
  const store = temp.store;
  await store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(store);
  let state = (await getJob(store, "x")).state;
  const step = async (event: JobEvent, change: () => Promise<unknown>) => {
    await change();
    const next = (await getJob(store, "x")).state;
    assert.equal(next, applyJobEvent(state, event), `${state} --${event}-->`);
    state = next;
  };
  const current = async () => refOf(await getJob(store, "x"), worker);
  await step("claim", () => claim(store, worker));
  await step(
    "fail_retry",
    async () => store.finishAttempt(await current(), FAILED_UNTIL(NOW), NOW),
  );
  await step("retry_now", () => store.retryFailedJobs(["x"], NOW));
  await step("claim", () => claim(store, worker));
  await step("requeue", async () => store.requeueAttempt(await current(), NOW));
  await step("claim", () => claim(store, worker));
  const job = await getJob(store, "x");
  await step("fail_final", async () => store.finishAttempt(await current(), DEAD(job), NOW));
  await step("revive", () => store.reviveDeadJobs(["x"], NOW));
  await step("claim", () => claim(store, worker));
  const [lost] = await store.findLostAttempts(NOW + LEASE_MS);
  await step(
    "fail_retry",
    () => store.recoverLostAttempt(lost!, FAILED_UNTIL(NOW), NOW + LEASE_MS),
  );
  await step("claim", () => claim(store, worker, NOW + LEASE_MS));
  await step("succeed", async () => store.finishAttempt(await current(), COMPLETED(job), NOW));
  assert.equal(state, "completed");
  assert.equal(
    await claim(store, worker, NOW + LEASE_MS),
    null,
    "a completed job is never claimed",
  );
  await assert.rejects(() => store.reviveDeadJobs(["x"], NOW), { name: "UsageError" });
});

// --- Finishing and fencing -----------------------------------------------------------------

Deno.test("SqliteStore.finishAttempt() completes the attempt it belongs to", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  assert.equal(
    (await temp.store.finishAttempt(refOf(job!, worker), COMPLETED(job!), NOW + 500)).recorded,
    true,
  );
  const done = await getJob(temp.store, "x");
  assert.equal(done.state, "completed");
  assert.equal(done.exitCode, 0);
  assert.equal(done.finishedAt, NOW + 500);
  assert.equal(done.updatedAt, NOW + 500);
  assert.equal(done.attempts, 1);
  assert.deepEqual((await temp.store.getWorker(worker.id))?.currentJobs, []);
  assert.equal(
    (await temp.store.finishAttempt(refOf(job!, worker), COMPLETED(job!), NOW + 600)).recorded,
    false,
  );
  assert.deepEqual(await temp.store.getJob("x"), done);
});

Deno.test("SqliteStore.finishAttempt() with a stale attempt or another worker changes nothing", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const owner = await addWorker(temp.store);
  const other = await addWorker(temp.store);
  const job = await claim(temp.store, owner);
  const before = await getJob(temp.store, "x");
  const stale: AttemptRef[] = [
    { jobId: "x", attempt: job!.attempts + 1, workerId: owner.id },
    { jobId: "x", attempt: job!.attempts - 1, workerId: owner.id },
    { jobId: "x", attempt: job!.attempts, workerId: other.id },
    { jobId: "y", attempt: job!.attempts, workerId: owner.id },
  ];
  for (const ref of stale) {
    assert.equal((await temp.store.finishAttempt(ref, COMPLETED(job!), NOW + 1)).recorded, false);
    assert.equal(await temp.store.requeueAttempt(ref, NOW + 1), false);
    await temp.store.recordAttemptProcess(ref, 4242, "stale");
    assert.deepEqual(await temp.store.getJob("x"), before, JSON.stringify(ref));
  }
});

Deno.test("SqliteStore.finishAttempt() of a recovered attempt is fenced off after another claim", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const lostWorker = await addWorker(temp.store);
  const first = await claim(temp.store, lostWorker);
  const expiry = NOW + LEASE_MS;
  const [lost] = await temp.store.findLostAttempts(expiry);
  assert.equal(lost?.jobId, "x");
  assert.ok(await temp.store.recoverLostAttempt(lost!, FAILED_UNTIL(expiry), expiry));
  const rescuer = await addWorker(temp.store);
  const second = await claim(temp.store, rescuer, expiry);
  assert.equal(second?.attempts, 2);
  assert.equal(
    (await temp.store.finishAttempt(refOf(first!, lostWorker), DEAD(first!), expiry)).recorded,
    false,
  );
  assert.equal((await getJob(temp.store, "x")).state, "processing");
  assert.ok(
    (await temp.store.finishAttempt(refOf(second!, rescuer), COMPLETED(second!), expiry)).recorded,
  );
  assert.equal((await getJob(temp.store, "x")).state, "completed");
});

Deno.test("SqliteStore.finishAttempt() records a dead job's error and end", async () => {
  await using temp = await TempStore.create();
  const job = await deadJob(temp.store, "x");
  assert.equal(job.state, "dead");
  assert.equal(job.exitCode, 1);
  assert.equal(job.lastError, "exited with code 1");
  assert.equal(job.finishedAt, NOW);
});

Deno.test("SqliteStore.recordAttemptProcess() stores the process group for recovery", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  await temp.store.recordAttemptProcess(refOf(job!, worker), 4242, "12345");
  const [lost] = await temp.store.findLostAttempts(NOW + LEASE_MS);
  assert.equal(lost?.pgid, 4242);
  assert.equal(lost?.pgidStart, "12345");
});

Deno.test("SqliteStore.tryRecordAttemptProcess() writes nothing and returns null while another connection writes", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const ref = refOf((await claim(temp.store, worker))!, worker);
  const other = new DatabaseSync(temp.path);
  try {
    other.exec("BEGIN IMMEDIATE");
    // At once: the busy handler would wait out the 5 s busy timeout and then fail.
    assert.equal(await temp.store.tryRecordAttemptProcess(ref, 4242, "12345"), null);
    other.exec("COMMIT");
  } finally {
    other.close();
  }
  assert.equal((await temp.store.findLostAttempts(NOW + LEASE_MS))[0]?.pgid, null);
  assert.equal(await temp.store.tryRecordAttemptProcess(ref, 4242, "12345"), true);
  const [lost] = await temp.store.findLostAttempts(NOW + LEASE_MS);
  assert.equal(lost?.pgid, 4242);
  assert.equal(lost?.pgidStart, "12345");
  assert.equal(await temp.store.requeueAttempt(ref, NOW), true);
});

Deno.test("SqliteStore.listQueues() orders queues by name, ignoring case first", async () => {
  await using temp = await TempStore.create();
  for (const queue of ["beta", "alpha", "Alpha", "gamma-2", "Gamma_1"]) {
    await temp.store.enqueueJob(newJob({ id: `in-${queue}`, queue }), NOW);
  }
  const names = (await temp.store.listQueues(NOW)).map((queue) => queue.name);
  assert.deepEqual(names, ["Alpha", "alpha", "beta", "gamma-2", "Gamma_1"]);
});

Deno.test("SqliteStore.pausedQueues() names the paused queues in queue list's order", async () => {
  await using temp = await TempStore.create();
  assert.deepEqual(await temp.store.pausedQueues(), []);
  for (const queue of ["beta", "alpha", "Alpha", "limited"]) {
    if (queue === "limited") await temp.store.configureQueue(queue, { concurrency: 1 });
    else await temp.store.configureQueue(queue, { paused: true });
  }
  assert.deepEqual(await temp.store.pausedQueues(), ["Alpha", "alpha", "beta"]);
});

Deno.test("SqliteStore.enqueueJob() tells whether the job's queue is paused", async () => {
  await using temp = await TempStore.create();
  await temp.store.configureQueue("held", { paused: true });
  const held = await temp.store.enqueueJob(newJob({ queue: "held", uniqueKey: "k" }), NOW);
  assert.equal(held.queuePaused, true);
  assert.equal((await temp.store.enqueueJob(newJob(), NOW)).queuePaused, false);
  // A held unique key: of the job that holds it.
  const again = await temp.store.enqueueJob(newJob({ uniqueKey: "k" }), NOW);
  assert.deepEqual([again.existing, again.job.id, again.queuePaused], [true, held.job.id, true]);
});

Deno.test("SqliteStore.queueService() tells whether a worker not stopping serves it", async () => {
  await using temp = await TempStore.create();
  assert.equal(await temp.store.queueService("b"), null);
  const a = await addWorker(temp.store, { queues: ["a", "c"] });
  assert.equal(await temp.store.queueService("b"), "other_queues");
  assert.equal(await temp.store.queueService("c"), "served");
  const all = await addWorker(temp.store, { queues: null });
  assert.equal(await temp.store.queueService("b"), "served");
  await temp.store.requestStop([all.id], "graceful");
  assert.equal(await temp.store.queueService("b"), "other_queues");
  await temp.store.requestStop([a.id], "graceful");
  // Registered still, finishing their jobs: not the same as none at all.
  assert.equal(await temp.store.queueService("c"), "stopping");
});

Deno.test("SqliteStore.requeueAttempt() gives the attempt back uncounted", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  assert.equal(job?.attempts, 1);
  assert.equal(await temp.store.requeueAttempt(refOf(job!, worker), NOW + 100), true);
  const requeued = await getJob(temp.store, "x");
  assert.equal(requeued.state, "pending");
  assert.equal(requeued.attempts, 0);
  assert.equal(requeued.startedAt, null);
  assert.equal(requeued.worker, null);
  assert.equal(requeued.updatedAt, NOW + 100);
  assert.deepEqual((await temp.store.getWorker(worker.id))?.currentJobs, []);
  assert.equal(await temp.store.requeueAttempt(refOf(job!, worker), NOW + 100), false);
  const again = await claim(temp.store, worker, NOW + 200);
  assert.equal(again?.attempts, 1);
});

// --- Leases, heartbeats and lost workers ---------------------------------------------------

Deno.test("SqliteStore.findLostAttempts() finds a processing job when its lease expires", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  assert.deepEqual(await temp.store.findLostAttempts(NOW + LEASE_MS - 1), []);
  const lost = await temp.store.findLostAttempts(NOW + LEASE_MS);
  assert.equal(lost.length, 1);
  assert.deepEqual(
    { ...lost[0]!, job: undefined },
    {
      jobId: "x",
      attempt: 1,
      workerId: worker.id,
      job: undefined,
      workerHost: "testhost",
      workerPid: worker.pid,
      pgid: null,
      pgidStart: null,
      leaseExpiresAtMonotonic: null,
    },
  );
  assert.deepEqual(lost[0]!.job, job);
});

Deno.test("SqliteStore keeps a lease by the monotonic clock beside the wall clock's, until its worker's row goes", async () => {
  await using temp = await TempStore.create();
  for (const id of ["x", "y"]) await temp.store.enqueueJob(newJob({ id }), NOW);
  const worker = await addWorker(temp.store);
  const x = await temp.store.claimNextJob({
    worker,
    now: NOW,
    lease: leaseFrom(NOW, 7_000, LEASE_MS),
  });
  const y = await temp.store.claimNextJob({
    worker,
    now: NOW,
    lease: leaseFrom(NOW, 7_000, LEASE_MS),
  });
  const monotonicLeases = async () =>
    (await temp.store.findLostAttempts(NOW + 10 * LEASE_MS)).map((lost) => [
      lost.jobId,
      lost.leaseExpiresAtMonotonic,
    ]);
  assert.deepEqual(await monotonicLeases(), [["x", 7_000 + LEASE_MS], ["y", 7_000 + LEASE_MS]]);
  await temp.store.heartbeat(worker.id, [refOf(x!, worker)], NOW, leaseFrom(NOW, 8_000, LEASE_MS));
  assert.equal(
    await temp.store.renewAttemptLease(refOf(y!, worker), leaseFrom(NOW, 9_000, LEASE_MS)),
    true,
  );
  assert.deepEqual(await monotonicLeases(), [["x", 8_000 + LEASE_MS], ["y", 9_000 + LEASE_MS]]);
  // Where the worker's clock cannot be read, only the wall clock's lease is kept.
  await temp.store.heartbeat(worker.id, [refOf(x!, worker)], NOW, leaseFrom(NOW, null, LEASE_MS));
  assert.deepEqual(await monotonicLeases(), [["x", null], ["y", 9_000 + LEASE_MS]]);
  // A worker found dead: nothing shows that the clock its leases count by is this boot's.
  await temp.store.removeWorkers([worker.id], NOW);
  assert.deepEqual(await monotonicLeases(), [["x", null], ["y", null]]);
});

Deno.test("SqliteStore.recoverLostAttempt() fails an expired attempt once and counts it", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  await claim(temp.store, worker);
  const expiry = NOW + LEASE_MS;
  const [lost] = await temp.store.findLostAttempts(expiry);
  const outcome = { ...FAILED_UNTIL(expiry + 2000), exitCode: null, lastError: "worker lost" };
  assert.equal(await temp.store.recoverLostAttempt(lost!, outcome, expiry), true);
  const job = await getJob(temp.store, "x");
  assert.equal(job.state, "failed");
  assert.equal(job.runAt, expiry + 2000);
  assert.equal(job.lastError, "worker lost");
  assert.equal(job.attempts, 1);
  assert.equal((await temp.store.statusCounts(NOW)).recoveredTotal, 1);
  assert.equal(await temp.store.recoverLostAttempt(lost!, outcome, expiry), false);
  assert.equal((await temp.store.statusCounts(NOW)).recoveredTotal, 1);
  assert.deepEqual(await temp.store.findLostAttempts(expiry), []);
});

Deno.test("SqliteStore.recoverLostAttempt() by two connections recovers the attempt once", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  await claim(temp.store, worker);
  const other = new SqliteStore(temp.path);
  try {
    const expiry = NOW + LEASE_MS;
    const [mine] = await temp.store.findLostAttempts(expiry);
    const [theirs] = await other.findLostAttempts(expiry);
    const outcome = FAILED_UNTIL(expiry);
    const results = [
      await temp.store.recoverLostAttempt(mine!, outcome, expiry),
      await other.recoverLostAttempt(theirs!, outcome, expiry),
    ];
    assert.deepEqual(results, [true, false]);
    assert.equal((await other.statusCounts(NOW)).recoveredTotal, 1);
  } finally {
    other.close();
  }
});

Deno.test("SqliteStore.recoverLostAttempt() leaves an attempt whose lease has not expired", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  const ref = refOf(job!, worker);
  assert.equal(await temp.store.recoverLostAttempt(ref, DEAD(job!), NOW + LEASE_MS - 1), false);
  assert.equal((await getJob(temp.store, "x")).state, "processing");
});

Deno.test("SqliteStore.heartbeat() renews the leases of the worker's jobs", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "y" }), NOW);
  const beating = await addWorker(temp.store);
  const silent = await addWorker(temp.store);
  const running = await claim(temp.store, beating);
  await claim(temp.store, silent);
  const record = await temp.store.heartbeat(
    beating.id,
    [refOf(running!, beating)],
    NOW + 20_000,
    leaseFrom(NOW + 20_000, null, LEASE_MS),
  );
  assert.equal(record?.heartbeatAt, NOW + 20_000);
  const lost = await temp.store.findLostAttempts(NOW + LEASE_MS);
  assert.deepEqual(lost.map((attempt) => attempt.jobId), ["y"]);
  assert.deepEqual(
    await temp.store.findLostAttempts(NOW + 20_000 + LEASE_MS - 1).then((l) =>
      l.map((a) => a.jobId)
    ),
    ["y"],
  );
  assert.deepEqual(
    (await temp.store.findLostAttempts(NOW + 20_000 + LEASE_MS)).map((attempt) => attempt.jobId),
    ["x", "y"],
  );
});

Deno.test("SqliteStore.heartbeat() renews only the attempts the worker says it runs", async () => {
  await using temp = await TempStore.create();
  for (const id of ["running", "unknown", "earlier"]) {
    await temp.store.enqueueJob(newJob({ id }), NOW);
  }
  const worker = await addWorker(temp.store);
  const running = await claim(temp.store, worker);
  const unknown = await claim(temp.store, worker);
  const earlier = await claim(temp.store, worker);
  assert.deepEqual([running?.id, unknown?.id, earlier?.id], ["running", "unknown", "earlier"]);
  const record = await temp.store.heartbeat(
    worker.id,
    [
      refOf(running!, worker),
      // An attempt this worker ran before the job's current one: not the job's lease to renew.
      { ...refOf(earlier!, worker), attempt: earlier!.attempts - 1 },
    ],
    NOW + 20_000,
    leaseFrom(NOW + 20_000, null, LEASE_MS),
  );
  assert.deepEqual([...record!.currentJobs].sort(), ["earlier", "running", "unknown"]);
  assert.deepEqual(
    (await temp.store.findLostAttempts(NOW + LEASE_MS)).map((attempt) => attempt.jobId),
    ["unknown", "earlier"],
  );
  assert.deepEqual(await temp.store.findLostAttempts(NOW + LEASE_MS - 1), []);
  assert.deepEqual(
    (await temp.store.findLostAttempts(NOW + 20_000 + LEASE_MS)).map((attempt) => attempt.jobId),
    ["running", "unknown", "earlier"],
  );
});

Deno.test("SqliteStore.recoverLostAttempt() refuses an attempt renewed after it was found lost", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  const worker = await addWorker(temp.store);
  const job = await claim(temp.store, worker);
  const expiry = NOW + LEASE_MS;
  const [lost] = await temp.store.findLostAttempts(expiry);
  assert.ok(lost);
  await temp.store.heartbeat(
    worker.id,
    [refOf(job!, worker)],
    expiry,
    leaseFrom(expiry, null, LEASE_MS),
  );
  assert.equal(await temp.store.recoverLostAttempt(lost, DEAD(job!), expiry), false);
  assert.equal((await getJob(temp.store, "x")).state, "processing");
  assert.equal((await temp.store.statusCounts(NOW)).recoveredTotal, 0);
});

Deno.test("SqliteStore.heartbeat() of a removed worker returns null", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  await temp.store.unregisterWorker(worker.id);
  assert.equal(
    await temp.store.heartbeat(worker.id, [], NOW, leaseFrom(NOW, null, LEASE_MS)),
    null,
  );
  assert.equal(await temp.store.getWorker(worker.id), null);
});

Deno.test("SqliteStore.removeWorkers() expires the leases of their jobs at once", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "y" }), NOW);
  const gone = await addWorker(temp.store);
  const alive = await addWorker(temp.store);
  await claim(temp.store, gone);
  await claim(temp.store, alive);
  await temp.store.removeWorkers([gone.id], NOW + 1000);
  assert.deepEqual((await temp.store.listWorkers()).map((worker) => worker.id), [alive.id]);
  const lost = await temp.store.findLostAttempts(NOW + 1000);
  assert.deepEqual(lost.map((attempt) => [attempt.jobId, attempt.workerId]), [["x", gone.id]]);
  await temp.store.removeWorkers([], NOW + 1000);
  assert.equal((await temp.store.listWorkers()).length, 1);
});

Deno.test("SqliteStore workers: register, list, stop requests and wake sockets", async () => {
  await using temp = await TempStore.create();
  const a = await addWorker(temp.store, {
    queues: ["x", "y"],
    concurrency: 4,
    wakeSocket: "/tmp/a.sock",
  });
  const b = await addWorker(temp.store, { procStart: "777" });
  assert.deepEqual(a, {
    id: a.id,
    host: "testhost",
    pid: a.pid,
    procStart: null,
    startedAt: NOW,
    heartbeatAt: NOW,
    queues: ["x", "y"],
    concurrency: 4,
    stopRequest: "none",
    wakeSocket: "/tmp/a.sock",
    burst: false,
    currentJobs: [],
  });
  assert.deepEqual((await temp.store.listWorkers()).map((worker) => worker.id), [a.id, b.id]);
  assert.deepEqual(await temp.store.listWakeSockets(), ["/tmp/a.sock"]);
  assert.deepEqual(await temp.store.requestStop([a.id], "now"), [a.id]);
  // Only the stop that raised a request asks that worker first (and signals it).
  assert.deepEqual(await temp.store.requestStop([a.id, b.id], "graceful"), [b.id]);
  assert.deepEqual(await temp.store.requestStop([a.id, b.id], "graceful"), []);
  assert.equal((await temp.store.getWorker(a.id))?.stopRequest, "now", "never downgraded");
  assert.equal((await temp.store.getWorker(b.id))?.stopRequest, "graceful");
});

// --- Batches -----------------------------------------------------------------------------

/** The jobs in batches of `size`, as `enqueue --file` hands them over; then maybe a failure. */
async function* jobsThen(jobs: NewJob[], failure?: Error, size = 3): AsyncGenerator<NewJob[]> {
  for (let start = 0; start < jobs.length; start += size) {
    await Promise.resolve();
    yield jobs.slice(start, start + size);
  }
  if (failure) throw failure;
}

Deno.test("SqliteStore.enqueueBatch() stores every job of the stream and counts them", async () => {
  await using temp = await TempStore.create();
  const jobs = Array.from({ length: 1000 }, (_, index) => newJob({ id: `b${index}` }));
  assert.deepEqual(await temp.store.enqueueBatch(jobsThen(jobs), NOW), {
    enqueued: 1000,
    duplicates: 0,
    waitingPerQueue: new Map([["default", 1000]]),
  });
  assert.equal((await temp.store.statusCounts(NOW)).jobs.pending, 1000);
  const worker = await addWorker(temp.store);
  assert.equal((await claim(temp.store, worker))?.id, "b0", "claimed in stream order");
});

Deno.test("SqliteStore.enqueueBatch() stores nothing when the stream throws midway", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "before" }), NOW);
  const failure = new UsageError("Line 4: bad line");
  const jobs = [newJob({ id: "b1" }), newJob({ id: "b2" }), newJob({ id: "b3" })];
  await assert.rejects(() => temp.store.enqueueBatch(jobsThen(jobs, failure), NOW), (error) => {
    assert.equal(error, failure);
    return true;
  });
  assert.deepEqual((await temp.store.listJobs({ limit: 10 })).map((job) => job.id), ["before"]);
  await temp.store.enqueueJob(newJob({ id: "after" }), NOW);
  assert.equal((await temp.store.statusCounts(NOW)).jobs.pending, 2, "the store is usable after");
});

Deno.test("SqliteStore.enqueueBatch() stores nothing when an id is a duplicate", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "taken" }), NOW);
  const withExisting = [newJob({ id: "n1" }), newJob({ id: "taken" }), newJob({ id: "n2" })];
  await assert.rejects(() => temp.store.enqueueBatch(jobsThen(withExisting), NOW), {
    name: "RejectedJobError",
    index: 1,
    message: /^A job with id "taken" already exists/,
  });
  const withinBatch = [newJob({ id: "m0" }), newJob({ id: "m1" }), newJob({ id: "m1" })];
  await assert.rejects(() => temp.store.enqueueBatch(jobsThen(withinBatch), NOW), {
    name: "RejectedJobError",
    index: 2,
    message: /^A job with id "m1" already exists/,
  });
  const acrossBatches = [newJob({ id: "k0" }), newJob({ id: "k1" }), newJob({ id: "k0" })];
  await assert.rejects(() => temp.store.enqueueBatch(jobsThen(acrossBatches, undefined, 2), NOW), {
    name: "RejectedJobError",
    index: 2,
    message: /^A job with id "k0" already exists/,
  });
  assert.deepEqual((await temp.store.listJobs({ limit: 10 })).map((job) => job.id), ["taken"]);
});

Deno.test("SqliteStore.enqueueBatch() hands over each batch's ids: generated, given or the key holder's", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "holder", uniqueKey: "k" }), NOW);
  const jobs = [
    newJob({ id: "a" }),
    newJob({ id: null }),
    newJob({ id: "skipped", uniqueKey: "k" }),
    newJob({ id: "b", uniqueKey: "fresh" }),
    newJob({ id: "c", uniqueKey: "fresh" }),
  ];
  const handed: (readonly string[])[] = [];
  const result = await temp.store.enqueueBatch(jobsThen(jobs, undefined, 2), NOW, (ids) => {
    handed.push(ids);
  });
  assert.deepEqual(result, {
    enqueued: 3,
    duplicates: 2,
    waitingPerQueue: new Map([["default", 3]]),
  });
  const generated = handed[0]![1]!;
  assert.deepEqual(handed, [["a", generated], ["holder", "b"], ["b"]]);
  assert.ok((await temp.store.getJob(generated)) !== null, "the generated id is the stored job's");
});

Deno.test("SqliteStore.enqueueBatch() counts by queue the stored jobs that wait to run", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "holder", uniqueKey: "k", queue: "q1" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "gone" }), NOW);
  await temp.store.cancelJobs(["gone"], NOW);
  const jobs = [
    newJob({ id: "skipped", uniqueKey: "k", queue: "q2" }),
    newJob({ id: "doomed", after: ["gone"], queue: "q2" }),
    newJob({ id: "a", queue: "q2" }),
    newJob({ id: "b", queue: "q3" }),
  ];
  const result = await temp.store.enqueueBatch(jobsThen(jobs), NOW);
  assert.deepEqual(result, {
    enqueued: 3,
    duplicates: 1,
    waitingPerQueue: new Map([["q2", 1], ["q3", 1]]),
  });
});

Deno.test("SqliteStore.enqueueBatch() of an empty stream stores nothing", async () => {
  await using temp = await TempStore.create();
  assert.deepEqual(await temp.store.enqueueBatch(jobsThen([]), NOW), {
    enqueued: 0,
    duplicates: 0,
    waitingPerQueue: new Map(),
  });
  assert.equal((await temp.store.statusCounts(NOW)).jobs.pending, 0);
});

// --- Retrying failed jobs now ------------------------------------------------------------

/** A retry's backoff far beyond any test's clock. */
const LONG_BACKOFF_MS = 3_600_000;

/** Enqueues a job and fails its first attempt, its retry due LONG_BACKOFF_MS after NOW. */
async function failedJob(
  store: SqliteStore,
  id: string,
  fields: Partial<NewJob> = {},
): Promise<Job> {
  await store.enqueueJob(newJob({ id, maxRetries: 3, runAt: NOW - 1_000_000, ...fields }), NOW);
  const worker = await addWorker(store);
  const job = await claim(store, worker);
  assert.equal(job?.id, id);
  const outcome = FAILED_UNTIL(NOW + LONG_BACKOFF_MS);
  assert.ok((await store.finishAttempt(refOf(job, worker), outcome, NOW)).recorded);
  await store.unregisterWorker(worker.id);
  return await getJob(store, id);
}

Deno.test("SqliteStore.retryFailedJobs() makes the named failed jobs due now, attempts kept", async () => {
  await using temp = await TempStore.create();
  const before = await failedJob(temp.store, "f1");
  await failedJob(temp.store, "f2");
  const { retried: [retried, ...others], underway } = await temp.store.retryFailedJobs(
    ["f1"],
    NOW + 5000,
  );
  assert.deepEqual(underway, []);
  assert.deepEqual(others, []);
  assert.deepEqual(retried, { ...before, runAt: NOW + 5000, updatedAt: NOW + 5000 });
  assert.deepEqual(await getJob(temp.store, "f1"), retried);
  assert.equal((await getJob(temp.store, "f2")).runAt, NOW + LONG_BACKOFF_MS);
  const worker = await addWorker(temp.store);
  const claimed = await claim(temp.store, worker, NOW + 5000);
  assert.equal(claimed?.id, "f1");
  assert.equal(claimed?.attempts, 2, "the retry it had, counted as before");
  assert.equal(await claim(temp.store, worker, NOW + 5000), null, "f2 still waits");
  assert.equal(await temp.store.nextRunAt(null, NOW + 5000), NOW + LONG_BACKOFF_MS);
});

Deno.test("SqliteStore.retryFailedJobs() retries none when one named job is dead, pending or unknown", async () => {
  await using temp = await TempStore.create();
  await failedJob(temp.store, "f1");
  await deadJob(temp.store, "d1");
  await temp.store.enqueueJob(newJob({ id: "p1" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c1", runAt: NOW - 10 }), NOW);
  const worker = await addWorker(temp.store);
  const done = await claim(temp.store, worker);
  assert.equal(done?.id, "c1");
  await temp.store.finishAttempt(refOf(done, worker), COMPLETED(done), NOW);
  await temp.store.enqueueJob(newJob({ id: "r1", runAt: NOW - 5 }), NOW);
  assert.equal((await claim(temp.store, worker))?.id, "r1");
  const before = await temp.store.listJobs({ limit: 100 });
  await assert.rejects(() => temp.store.retryFailedJobs(["f1", "d1"], NOW), {
    name: "UsageError",
    message:
      `Job "d1" is dead, not failed: its retries are spent: retry it from the dead-letter queue with 'queuectl dlq retry d1' (nothing was retried)`,
  });
  await assert.rejects(() => temp.store.retryFailedJobs(["f1", "p1"], NOW), {
    name: "UsageError",
    message:
      `Job "p1" is pending, not failed: only a failed job waiting for its retry can be retried now (nothing was retried)`,
  });
  await assert.rejects(() => temp.store.retryFailedJobs(["f1", "nope"], NOW), {
    name: "JobNotFoundError",
    message: 'No job with id "nope": nothing was retried',
  });
  assert.deepEqual(await temp.store.listJobs({ limit: 100 }), before);
  // Claimed since it failed: its retry is underway or done, and the others are still retried.
  const { retried, underway } = await temp.store.retryFailedJobs(["r1", "f1", "c1"], NOW);
  assert.deepEqual(retried.map((job) => job.id), ["f1"]);
  assert.deepEqual(underway, [{ id: "r1", state: "processing" }, { id: "c1", state: "completed" }]);
  assert.deepEqual(
    (await temp.store.listJobs({ limit: 100 })).filter((job) => job.id !== "f1"),
    before.filter((job) => job.id !== "f1"),
  );
});

Deno.test("SqliteStore.retryFailedJobs('all') and by queue retry the failed jobs, in the order enqueued", async () => {
  await using temp = await TempStore.create();
  await failedJob(temp.store, "m1", { queue: "mail" });
  await failedJob(temp.store, "s1", { queue: "sms" });
  await failedJob(temp.store, "o1", { queue: "other" });
  await failedJob(temp.store, "m2", { queue: "mail" });
  await temp.store.enqueueJob(newJob({ id: "p1", queue: "mail", runAt: NOW + 100_000 }), NOW);
  const { retried: byQueue } = await temp.store.retryFailedJobs(
    { queues: ["mail", "sms"] },
    NOW + 10,
  );
  assert.deepEqual(byQueue.map((job) => job.id), ["m1", "s1", "m2"]);
  assert.equal((await getJob(temp.store, "o1")).runAt, NOW + LONG_BACKOFF_MS);
  assert.equal((await getJob(temp.store, "p1")).runAt, NOW + 100_000, "pending: not retried");
  // A job due already keeps its place: its run_at is not moved later.
  const { retried: all } = await temp.store.retryFailedJobs("all", NOW + 20);
  assert.deepEqual(all.map((job) => [job.id, job.runAt]), [
    ["m1", NOW + 10],
    ["s1", NOW + 10],
    ["o1", NOW + 20],
    ["m2", NOW + 10],
  ]);
  assert.deepEqual(all.map((job) => job.state), ["failed", "failed", "failed", "failed"]);
  assert.deepEqual(await temp.store.retryFailedJobs({ queues: ["none"] }, NOW + 30), {
    retried: [],
    underway: [],
  });
  const worker = await addWorker(temp.store);
  assert.deepEqual(await claimAll(temp.store, worker, NOW + 20), ["m1", "s1", "m2", "o1"]);
  assert.deepEqual(await temp.store.retryFailedJobs("all", NOW + 30), {
    retried: [],
    underway: [],
  });
});

// --- Dead-letter queue -------------------------------------------------------------------

Deno.test("SqliteStore.reviveDeadJobs() moves the named dead jobs back to pending", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "d1");
  await deadJob(temp.store, "d2");
  assert.deepEqual(await temp.store.reviveDeadJobs(["d1"], NOW + 5000), {
    revived: ["d1"],
    skipped: [],
    dependents: [],
    skippedDependents: [],
    leftCancelled: [],
  });
  const revived = await getJob(temp.store, "d1");
  assert.equal(revived.state, "pending");
  assert.equal(revived.attempts, 0);
  assert.equal(revived.runAt, NOW + 5000);
  assert.equal(revived.finishedAt, null);
  assert.equal((await getJob(temp.store, "d2")).state, "dead");
  const worker = await addWorker(temp.store);
  assert.equal((await claim(temp.store, worker, NOW + 5000))?.attempts, 1);
});

Deno.test("SqliteStore.reviveDeadJobs() revives none when one named job is not dead", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "d1");
  await temp.store.enqueueJob(newJob({ id: "p1" }), NOW);
  await assert.rejects(() => temp.store.reviveDeadJobs(["d1", "p1"], NOW), {
    name: "UsageError",
    message:
      'Job "p1" is pending, not dead: only jobs in the DLQ can be retried (nothing was retried)',
  });
  await assert.rejects(() => temp.store.reviveDeadJobs(["d1", "nope"], NOW), {
    name: "JobNotFoundError",
    message: 'No job with id "nope": nothing was retried',
  });
  assert.equal((await getJob(temp.store, "d1")).state, "dead");
  assert.equal((await getJob(temp.store, "p1")).state, "pending");
});

Deno.test("SqliteStore.reviveDeadJobs('all') revives every dead job and nothing else", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "d1");
  await deadJob(temp.store, "d2");
  await temp.store.enqueueJob(newJob({ id: "p1", runAt: NOW + 100_000 }), NOW);
  const all = await temp.store.reviveDeadJobs("all", NOW);
  assert.deepEqual([all.revived.sort(), all.skipped], [["d1", "d2"], []]);
  const counts = await temp.store.statusCounts(NOW);
  assert.equal(counts.jobs.dead, 0);
  assert.equal(counts.jobs.pending, 3);
  assert.equal((await getJob(temp.store, "p1")).runAt, NOW + 100_000);
  assert.deepEqual(await temp.store.reviveDeadJobs("all", NOW), {
    revived: [],
    skipped: [],
    dependents: [],
    skippedDependents: [],
    leftCancelled: [],
  });
});

Deno.test("SqliteStore.reviveDeadJobs() refuses named jobs whose unique key is held, reviving none", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "d1");
  await deadJob(temp.store, "keyed", { uniqueKey: "k" });
  await temp.store.enqueueJob(newJob({ id: "holder", uniqueKey: "k", runAt: NOW + 100_000 }), NOW);
  await assert.rejects(() => temp.store.reviveDeadJobs(["d1", "keyed"], NOW), {
    name: "UsageError",
    message:
      'Job "keyed" cannot be retried while job "holder" (pending) holds its unique key "k": wait for it to end or cancel it (nothing was retried)',
  });
  assert.equal((await getJob(temp.store, "d1")).state, "dead");
  assert.equal((await getJob(temp.store, "keyed")).state, "dead");
});

Deno.test("SqliteStore.reviveDeadJobs() refuses two named dead jobs of one unique key", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "first", { uniqueKey: "k" });
  await deadJob(temp.store, "second", { uniqueKey: "k" });
  await assert.rejects(() => temp.store.reviveDeadJobs(["second", "first"], NOW), {
    name: "UsageError",
    message:
      'Jobs "first" and "second" have the same unique key "k": retry one of them (nothing was retried)',
  });
  assert.equal((await temp.store.statusCounts(NOW)).jobs.dead, 2);
  assert.deepEqual((await temp.store.reviveDeadJobs(["second"], NOW)).revived, ["second"]);
});

Deno.test("SqliteStore.reviveDeadJobs('all') skips the jobs whose unique key is held", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "d1");
  await deadJob(temp.store, "keyed", { uniqueKey: "k" });
  await deadJob(temp.store, "old", { uniqueKey: "free" });
  await deadJob(temp.store, "newer", { uniqueKey: "free" });
  await temp.store.enqueueJob(newJob({ id: "holder", uniqueKey: "k", runAt: NOW + 100_000 }), NOW);
  const result = await temp.store.reviveDeadJobs("all", NOW);
  assert.deepEqual(result.revived.sort(), ["d1", "old"]);
  assert.deepEqual(result.skipped, [
    { id: "keyed", uniqueKey: "k", heldBy: "holder" },
    { id: "newer", uniqueKey: "free", heldBy: "old" },
  ]);
  assert.equal((await getJob(temp.store, "keyed")).state, "dead");
  assert.equal((await getJob(temp.store, "newer")).state, "dead");
});

// --- Reviving what a death cancelled ---------------------------------------------------------

/** Claims the next job, which must be `id`, and records the outcome of its attempt. */
async function finishNext(
  store: SqliteStore,
  id: string,
  outcome: (job: Job) => AttemptOutcome,
): Promise<void> {
  const worker = await addWorker(store);
  const job = await claim(store, worker);
  assert.equal(job?.id, id);
  assert.ok((await store.finishAttempt(refOf(job, worker), outcome(job), NOW)).recorded);
  await store.unregisterWorker(worker.id);
}

/** Runs every claimable job to completion, round after round; returns each round's ids. */
async function completeRounds(store: SqliteStore, now = NOW): Promise<string[][]> {
  const worker = await addWorker(store);
  const rounds: string[][] = [];
  for (;;) {
    const claimed: Job[] = [];
    for (let job = await claim(store, worker, now); job; job = await claim(store, worker, now)) {
      claimed.push(job);
    }
    if (claimed.length === 0) return rounds;
    for (const job of claimed) await store.finishAttempt(refOf(job, worker), COMPLETED(job), now);
    rounds.push(claimed.map((job) => job.id));
  }
}

async function statesOf(store: SqliteStore, ids: readonly string[]): Promise<JobState[]> {
  return await Promise.all(ids.map(async (id) => (await getJob(store, id)).state));
}

Deno.test("SqliteStore.reviveDeadJobs() revives the chain of jobs its death cancelled, to wait again", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  assert.deepEqual(await statesOf(temp.store, ["b", "c"]), ["cancelled", "cancelled"]);

  assert.deepEqual(await temp.store.reviveDeadJobs(["a"], NOW + 5000), {
    revived: ["a"],
    skipped: [],
    dependents: ["b", "c"],
    skippedDependents: [],
    leftCancelled: [],
  });
  for (const id of ["b", "c"]) {
    const job = await getJob(temp.store, id);
    assert.deepEqual(
      [job.state, job.lastError, job.finishedAt, job.updatedAt],
      ["pending", null, null, NOW + 5000],
    );
  }
  assert.equal((await temp.store.statusCounts(NOW)).jobs.cancelled, 0);
  assert.deepEqual(await completeRounds(temp.store, NOW + 5000), [["a"], ["b"], ["c"]]);
});

Deno.test("SqliteStore.reviveDeadJobs('all') revives a diamond that waits for both its branches", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b1", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b2", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b1", "b2"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  const result = await temp.store.reviveDeadJobs("all", NOW);
  assert.deepEqual([result.revived, result.dependents], [["a"], ["b1", "b2", "c"]]);
  assert.deepEqual(await completeRounds(temp.store), [["a"], ["b1", "b2"], ["c"]]);
});

Deno.test("SqliteStore.reviveDeadJobs() leaves a revived dependent waiting only for what has not completed", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "x", runAt: NOW - 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0, runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["a", "x"] }), NOW);
  await finishNext(temp.store, "x", COMPLETED);
  await finishNext(temp.store, "a", DEAD);
  assert.deepEqual((await temp.store.reviveDeadJobs(["a"], NOW)).dependents, ["b"]);
  assert.deepEqual(await completeRounds(temp.store), [["a"], ["b"]]);
});

Deno.test("SqliteStore.reviveDeadJobs() revives jobs enqueued after the job was dead already", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "a");
  await temp.store.enqueueJob(newJob({ id: "b", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b"] }), NOW);
  assert.equal(
    (await getJob(temp.store, "c")).lastError,
    "dependency b was cancelled because a ended dead",
  );
  assert.deepEqual((await temp.store.reviveDeadJobs(["a"], NOW)).dependents, ["b", "c"]);
  // Inserted cancelled, they had not counted the dependency they wait for again.
  assert.deepEqual(await completeRounds(temp.store), [["a"], ["b"], ["c"]]);
});

Deno.test("SqliteStore.reviveDeadJobs() leaves a dependent of another dead job cancelled, naming it", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0, runAt: NOW - 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "d", maxRetries: 0, runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["a", "d"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  await finishNext(temp.store, "d", DEAD);
  assert.equal((await getJob(temp.store, "b")).lastError, "dependency a ended dead");

  assert.deepEqual((await temp.store.reviveDeadJobs(["a"], NOW)).dependents, []);
  const [b, c] = [await getJob(temp.store, "b"), await getJob(temp.store, "c")];
  assert.deepEqual([b.state, b.lastError], ["cancelled", "dependency d ended dead"]);
  assert.deepEqual([c.state, c.lastError], [
    "cancelled",
    "dependency b was cancelled because d ended dead",
  ]);
  // Now d's death is what holds them: reviving it revives them.
  assert.deepEqual((await temp.store.reviveDeadJobs(["d"], NOW)).dependents, ["b", "c"]);
  assert.deepEqual(await completeRounds(temp.store), [["a", "d"], ["b"], ["c"]]);
});

Deno.test("SqliteStore.reviveDeadJobs() of two dead dependencies together revives their dependent", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0, runAt: NOW - 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "d", maxRetries: 0, runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["d", "a"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  await finishNext(temp.store, "d", DEAD);
  assert.deepEqual((await temp.store.reviveDeadJobs(["d", "a"], NOW)).dependents, ["b"]);
  assert.deepEqual(await completeRounds(temp.store), [["a", "d"], ["b"]]);
});

Deno.test("SqliteStore.reviveDeadJobs() leaves cancelled the jobs another cause cancelled", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0, runAt: NOW - 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "o", maxRetries: 0, runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "by-user", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-by-user", after: ["by-user"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-o", after: ["o"] }), NOW);
  await temp.store.cancelJobs(["by-user"], NOW);
  await finishNext(temp.store, "a", DEAD);
  await finishNext(temp.store, "o", DEAD);

  assert.deepEqual((await temp.store.reviveDeadJobs(["a"], NOW)).dependents, ["after-a"]);
  assert.deepEqual(
    await statesOf(temp.store, ["by-user", "after-by-user", "after-o"]),
    ["cancelled", "cancelled", "cancelled"],
  );
  assert.equal(
    (await getJob(temp.store, "after-by-user")).lastError,
    "dependency by-user was cancelled",
  );
});

Deno.test("SqliteStore.reviveDeadJobs() refuses a dependent whose unique key is held; 'all' skips it", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", uniqueKey: "k", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "free", uniqueKey: "f", after: ["a"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  await temp.store.enqueueJob(newJob({ id: "holder", uniqueKey: "k", runAt: NOW + 100_000 }), NOW);

  await assert.rejects(() => temp.store.reviveDeadJobs(["a"], NOW), {
    name: "UsageError",
    message:
      'Job "b", cancelled because "a" ended dead, cannot be retried with it while job "holder" (pending) holds its unique key "k": wait for it to end or cancel it (nothing was retried)',
  });
  assert.deepEqual(await statesOf(temp.store, ["a", "b", "c", "free"]), [
    "dead",
    "cancelled",
    "cancelled",
    "cancelled",
  ]);

  assert.deepEqual(await temp.store.reviveDeadJobs("all", NOW), {
    revived: ["a"],
    skipped: [],
    dependents: ["free"],
    skippedDependents: [{ id: "b", uniqueKey: "k", heldBy: "holder" }],
    leftCancelled: [{ id: "c", reason: "dependency b was cancelled" }],
  });
  assert.deepEqual(await statesOf(temp.store, ["b", "c"]), ["cancelled", "cancelled"]);
  assert.equal(
    (await getJob(temp.store, "c")).lastError,
    "dependency b was cancelled because a ended dead",
  );
});

Deno.test("SqliteStore.reviveDeadJobs() revives one of two dependents of one unique key", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a", maxRetries: 0 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b1", uniqueKey: "k", after: ["a"] }), NOW);
  await finishNext(temp.store, "a", DEAD);
  await temp.store.enqueueJob(newJob({ id: "b2", uniqueKey: "k", after: ["a"] }), NOW);
  await assert.rejects(() => temp.store.reviveDeadJobs(["a"], NOW), {
    name: "UsageError",
    message:
      /^Job "b2", cancelled because "a" ended dead, cannot be retried with it while job "b1" \(pending\)/,
  });
  const all = await temp.store.reviveDeadJobs("all", NOW);
  assert.deepEqual([all.dependents, all.skippedDependents], [
    ["b1"],
    [{ id: "b2", uniqueKey: "k", heldBy: "b1" }],
  ]);
});

// --- Cancelling ----------------------------------------------------------------------------

Deno.test("SqliteStore.cancelJobs() returns the named jobs, then their dependents oldest first", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "x" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-x", after: ["x"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-after-a", after: ["after-a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a-x", after: ["a", "x"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "unrelated" }), NOW);
  const worker = await addWorker(temp.store);
  const running = await claim(temp.store, worker);
  assert.equal(running?.id, "a");
  await temp.store.recordAttemptProcess(refOf(running, worker), 4242, "77@boot");

  const cancelled = await temp.store.cancelJobs(["x", "a"], NOW + 1000);
  assert.deepEqual(cancelled.cancelled, [
    notRunning("x", "pending", null),
    runningOn(worker, "a"),
    notRunning("after-x", "pending", "x"),
    notRunning("after-a", "pending", "a"),
    notRunning("after-after-a", "pending", "a"),
    notRunning("after-a-x", "pending", "x"),
  ]);
  assert.equal((await getJob(temp.store, "after-a")).lastError, "dependency a was cancelled");
  assert.equal(
    (await getJob(temp.store, "after-after-a")).lastError,
    "dependency after-a was cancelled because a was cancelled",
  );
  assert.equal((await getJob(temp.store, "after-a-x")).lastError, "dependency x was cancelled");
  assert.equal((await getJob(temp.store, "unrelated")).state, "pending");
});

Deno.test("SqliteStore.cancelJobs() lists a named job that runs after another named one once", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b"] }), NOW);
  const cancelled = await temp.store.cancelJobs(["a", "b"], NOW);
  assert.deepEqual(cancelled.cancelled.map((job) => [job.id, job.dependentOf]), [
    ["a", null],
    ["b", null],
    ["c", "a"],
  ]);
  assert.equal((await getJob(temp.store, "b")).lastError, "cancelled");
});

Deno.test("SqliteStore.cancelJobs() cancels the live jobs named and returns the ended ones unchanged", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "done", runAt: NOW - 2 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "killed", maxRetries: 0, runAt: NOW - 1 }), NOW);
  await temp.store.enqueueJob(newJob({ id: "live" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-live", after: ["live"] }), NOW);
  await finishNext(temp.store, "done", COMPLETED);
  await finishNext(temp.store, "killed", DEAD);
  const before = await getJob(temp.store, "done");

  const result = await temp.store.cancelJobs(["done", "live", "killed"], NOW + 1000);
  assert.deepEqual(result.cancelled.map((job) => [job.id, job.dependentOf]), [
    ["live", null],
    ["after-live", "live"],
  ]);
  assert.deepEqual(result.alreadyEnded, [
    { id: "done", state: "completed" },
    { id: "killed", state: "dead" },
  ]);
  assert.deepEqual(await getJob(temp.store, "done"), before);
  assert.equal((await getJob(temp.store, "killed")).state, "dead");
  assert.equal((await getJob(temp.store, "live")).state, "cancelled");

  const again = await temp.store.cancelJobs(["live"], NOW + 2000);
  assert.deepEqual(again.cancelled, []);
  assert.deepEqual(again.alreadyEnded, [{ id: "live", state: "cancelled" }]);
});

Deno.test("SqliteStore.cancelJobs() cancels nothing when an id is unknown", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "live" }), NOW);
  await assert.rejects(() => temp.store.cancelJobs(["live", "nosuch"], NOW), {
    name: "JobNotFoundError",
  });
  assert.equal((await getJob(temp.store, "live")).state, "pending");
});

Deno.test("SqliteStore.cancelJobs() gives a dependent the reason of its dependency enqueued first", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b1", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b2", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "c", after: ["b2", "b1"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "d", after: ["c", "a"] }), NOW);
  await temp.store.cancelJobs(["a"], NOW);
  const reasons = await Promise.all(
    ["b1", "b2", "c", "d"].map(async (id) => (await getJob(temp.store, id)).lastError),
  );
  assert.deepEqual(reasons, [
    "dependency a was cancelled",
    "dependency a was cancelled",
    "dependency b1 was cancelled because a was cancelled",
    "dependency a was cancelled",
  ]);
});

/** A job `cancelJobs` cancelled while `worker` (of host "testhost") ran its first attempt, as group 4242. */
function runningOn(worker: WorkerRecord, id: string): CancelledJob {
  return {
    id,
    previousState: "processing",
    dependentOf: null,
    attempt: 1,
    pgid: 4242,
    pgidStart: "77@boot",
    workerHost: "testhost",
    workerId: worker.id,
  };
}

/** A job `cancelJobs` cancelled that was not running. */
function notRunning(id: string, previousState: JobState, dependentOf: string | null): CancelledJob {
  return {
    id,
    previousState,
    dependentOf,
    attempt: null,
    pgid: null,
    pgidStart: null,
    workerHost: null,
    workerId: null,
  };
}

Deno.test("SqliteStore.cancelJobs('all') and by queue cancel the unfinished jobs, paused or running, in the order enqueued", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "done" }), NOW);
  await finishNext(temp.store, "done", COMPLETED);
  await temp.store.enqueueJob(newJob({ id: "killed", queue: "b", maxRetries: 0 }), NOW);
  await finishNext(temp.store, "killed", DEAD);
  await failedJob(temp.store, "flaky", { queue: "b" });
  await temp.store.enqueueJob(newJob({ id: "running", queue: "b" }), NOW);
  const worker = await addWorker(temp.store);
  const running = await claim(temp.store, worker);
  assert.equal(running?.id, "running");
  await temp.store.recordAttemptProcess(refOf(running, worker), 4242, "77@boot");
  await temp.store.enqueueJob(newJob({ id: "held", queue: "a" }), NOW);
  await temp.store.configureQueue("a", { paused: true });
  await temp.store.enqueueJob(newJob({ id: "other", queue: "c" }), NOW);
  // Waits for a selected job from another queue: cancelled with it.
  await temp.store.enqueueJob(newJob({ id: "after-held", queue: "c", after: ["held"] }), NOW);

  const byQueue = await temp.store.cancelJobs({ queues: ["a", "b"] }, NOW + 1000);
  assert.deepEqual(byQueue.alreadyEnded, []);
  assert.deepEqual(byQueue.cancelled, [
    notRunning("flaky", "failed", null),
    runningOn(worker, "running"),
    notRunning("held", "pending", null),
    notRunning("after-held", "pending", "held"),
  ]);
  assert.deepEqual(
    await statesOf(temp.store, ["done", "killed", "flaky", "running", "held", "other"]),
    ["completed", "dead", "cancelled", "cancelled", "cancelled", "pending"],
  );
  assert.equal((await getJob(temp.store, "after-held")).lastError, "dependency held was cancelled");

  const all = await temp.store.cancelJobs("all", NOW + 2000);
  assert.deepEqual(all.cancelled.map((job) => job.id), ["other"]);
  assert.deepEqual((await temp.store.cancelJobs("all", NOW + 3000)).cancelled, []);
});

Deno.test("SqliteStore.cancelJobs() by queue names each dependent after the first selected job it waits on", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a1", queue: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b1", queue: "b", after: ["a1"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "a2", queue: "a", after: ["b1"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b2", queue: "b", after: ["a2"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "a3", queue: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b3", queue: "b", after: ["a3", "b2"] }), NOW);
  const { cancelled } = await temp.store.cancelJobs({ queues: ["a"] }, NOW);
  assert.deepEqual(cancelled.map((job) => [job.id, job.dependentOf]), [
    ["a1", null],
    ["a2", null],
    ["a3", null],
    ["b1", "a1"],
    ["b2", "a1"],
    ["b3", "a1"],
  ]);
  const reasons = await Promise.all(
    ["b1", "b2", "b3"].map(async (id) => (await getJob(temp.store, id)).lastError),
  );
  assert.deepEqual(reasons, [
    "dependency a1 was cancelled",
    "dependency a2 was cancelled because a1 was cancelled",
    "dependency b2 was cancelled because a1 was cancelled",
  ]);
});

// --- Status and config -------------------------------------------------------------------

Deno.test("SqliteStore.statusCounts() counts every state, with zeros, on an empty store", async () => {
  await using temp = await TempStore.create();
  assert.deepEqual(await temp.store.statusCounts(NOW), {
    jobs: { pending: 0, processing: 0, completed: 0, failed: 0, dead: 0, cancelled: 0 },
    longestWaiting: null,
    recoveredTotal: 0,
  });
});

/** Enqueues a job at `createdAt`, due at `runAt` (by default when enqueued). */
async function enqueueAt(
  store: SqliteStore,
  createdAt: number,
  fields: Partial<NewJob> = {},
): Promise<void> {
  await store.enqueueJob(newJobFixture(createdAt, fields), createdAt);
}

Deno.test("SqliteStore.statusCounts() counts jobs by state and finds the due job waiting longest", async () => {
  await using temp = await TempStore.create();
  await deadJob(temp.store, "dead");
  await enqueueAt(temp.store, NOW - 3000, { id: "p1" });
  await enqueueAt(temp.store, NOW - 2000, { id: "p2" });
  await enqueueAt(temp.store, NOW - 1000, { id: "p3" });
  const worker = await addWorker(temp.store);
  const running = await claim(temp.store, worker);
  assert.equal(running?.id, "p1");
  assert.deepEqual(await temp.store.statusCounts(NOW), {
    jobs: { pending: 2, processing: 1, completed: 0, failed: 0, dead: 1, cancelled: 0 },
    longestWaiting: { createdAt: NOW - 2000, dueAt: NOW - 2000 },
    recoveredTotal: 0,
  });
});

Deno.test("SqliteStore.statusCounts() does not count a job that is not due yet", async () => {
  await using temp = await TempStore.create();
  await enqueueAt(temp.store, NOW - 60_000, { runAt: NOW + 3_600_000 });
  const counts = await temp.store.statusCounts(NOW);
  assert.equal(counts.jobs.pending, 1);
  assert.equal(counts.longestWaiting, null);
  assert.deepEqual((await temp.store.statusCounts(NOW + 3_600_000 + 5000)).longestWaiting, {
    createdAt: NOW - 60_000,
    dueAt: NOW + 3_600_000,
  });
});

Deno.test("SqliteStore.statusCounts() dates a job's wait from when it became due", async () => {
  await using temp = await TempStore.create();
  // Enqueued first but due later than the job after it.
  await enqueueAt(temp.store, NOW - 60_000, { id: "delayed", runAt: NOW - 2000 });
  await enqueueAt(temp.store, NOW - 5000, { id: "plain" });
  // First in claim order (the earliest run_at), but due only since it was enqueued.
  await enqueueAt(temp.store, NOW - 1000, { id: "backdated", runAt: NOW - 86_400_000 });
  assert.deepEqual((await temp.store.statusCounts(NOW)).longestWaiting, {
    createdAt: NOW - 5000,
    dueAt: NOW - 5000,
  });
  // Without "plain", the delayed job has waited longest: since its run_at, not its enqueue.
  await temp.store.cancelJobs(["plain"], NOW);
  assert.deepEqual((await temp.store.statusCounts(NOW)).longestWaiting, {
    createdAt: NOW - 60_000,
    dueAt: NOW - 2000,
  });
});

Deno.test("SqliteStore.statusCounts() counts due retries and paused queues, not blocked jobs", async () => {
  await using temp = await TempStore.create();
  await enqueueAt(temp.store, NOW - 50_000, { id: "first" });
  await enqueueAt(temp.store, NOW - 40_000, { id: "blocked", after: ["first"] });
  await enqueueAt(temp.store, NOW - 9000, { id: "paused", queue: "held" });
  await temp.store.configureQueue("held", { paused: true });
  const worker = await addWorker(temp.store);
  const first = (await claim(temp.store, worker, NOW - 50_000))!;
  await temp.store.finishAttempt(refOf(first, worker), FAILED_UNTIL(NOW - 5000), NOW - 49_000);
  // Before the retry is due, only "blocked" is: it waits for "first", not for a worker.
  assert.equal((await temp.store.statusCounts(NOW - 20_000)).longestWaiting, null);
  assert.deepEqual((await temp.store.statusCounts(NOW)).longestWaiting, {
    createdAt: NOW - 9000,
    dueAt: NOW - 9000,
  });
  await temp.store.cancelJobs(["paused"], NOW);
  assert.deepEqual((await temp.store.statusCounts(NOW)).longestWaiting, {
    createdAt: NOW - 50_000,
    dueAt: NOW - 5000,
  });
});

Deno.test("SqliteStore.statusCounts() finds the longest wait across many priorities", async () => {
  await using temp = await TempStore.create();
  // More priorities than the query seeks one by one: the oldest job has the lowest.
  for (let priority = 30; priority >= 0; priority--) {
    await enqueueAt(temp.store, NOW - 1000 * (31 - priority), { priority });
  }
  await enqueueAt(temp.store, NOW - 1000, { priority: 0, runAt: NOW - 99_000 });
  assert.deepEqual((await temp.store.statusCounts(NOW)).longestWaiting, {
    createdAt: NOW - 31_000,
    dueAt: NOW - 31_000,
  });
});

Deno.test("SqliteStore counts of ended jobs, kept by triggers, agree with counting every row after random operations", async () => {
  await using temp = await TempStore.create();
  const db = new DatabaseSync(temp.path);
  try {
    const plainStates = db.prepare("SELECT state, count(*) AS n FROM jobs GROUP BY state");
    const plainQueues = db.prepare(
      "SELECT queue, state, count(*) AS n FROM jobs GROUP BY queue, state ORDER BY queue, state",
    );
    const queues = ["a", "b", "c"];
    const workers = [await addWorker(temp.store), await addWorker(temp.store, { queues: ["b"] })];
    const random = seededRandom(7);
    const ids: string[] = [];
    const held: { job: Job; worker: WorkerRecord }[] = [];
    const seen = new Set<string>();
    let now = NOW;
    for (let step = 0; step < 600; step++) {
      now += 1000;
      const operation = random(8);
      if (operation <= 1 || ids.length === 0) {
        // Now and then after an earlier job, which may have ended dead or cancelled already.
        const after = ids.length > 0 && random(4) === 0 ? [ids[random(ids.length)]!] : [];
        const { job } = await temp.store.enqueueJob(
          newJob({ queue: queues[random(3)]!, after, maxRetries: random(2) }),
          now,
        );
        ids.push(job.id);
      } else if (operation === 2) {
        const worker = workers[random(2)]!;
        const job = await claim(temp.store, worker, now);
        if (job) held.push({ job, worker });
      } else if (operation === 3 && held.length > 0) {
        const { job, worker } = held.splice(random(held.length), 1)[0]!;
        const outcome = [COMPLETED(job), DEAD(job), FAILED_UNTIL(now)][random(3)]!;
        await temp.store.finishAttempt(refOf(job, worker), outcome, now);
      } else if (operation === 4) {
        await temp.store.cancelJobs([ids[random(ids.length)]!], now).catch(() => {});
      } else if (operation === 5) {
        await temp.store.reviveDeadJobs("all", now);
      } else if (operation === 6) {
        const pruned = new Set(
          await temp.store.pruneJobs({
            states: [["completed"], ["dead", "cancelled"]][random(2)]! as JobState[],
            finishedBefore: now - 1000 * random(50),
            now,
            limit: 1 + random(20),
          }, () => {}),
        );
        ids.splice(0, ids.length, ...ids.filter((id) => !pruned.has(id)));
      } else if (operation === 7 && held.length > 0) {
        const { job, worker } = held.splice(random(held.length), 1)[0]!;
        await temp.store.requeueAttempt(refOf(job, worker), now);
      }
      const expected: Record<JobState, number> = {
        pending: 0,
        processing: 0,
        completed: 0,
        failed: 0,
        dead: 0,
        cancelled: 0,
      };
      for (const row of plainStates.all() as { state: JobState; n: number }[]) {
        expected[row.state] = row.n;
        seen.add(row.state);
      }
      assert.deepEqual((await temp.store.statusCounts(now)).jobs, expected, `step ${step}`);
      const byQueue = (await temp.store.listQueues(NOW)).flatMap((queue) =>
        Object.entries(queue.jobs).filter(([, n]) => n > 0).map(([state, n]) => ({
          queue: queue.name,
          state,
          n,
        }))
      ).sort((x, y) => x.queue.localeCompare(y.queue) || x.state.localeCompare(y.state));
      assert.deepEqual(
        byQueue,
        (plainQueues.all() as { queue: string; state: string; n: number }[]).map((row) => ({
          queue: row.queue,
          state: row.state,
          n: row.n,
        })),
        `step ${step}`,
      );
    }
    // Every state was reached, the ended ones through each way in and out.
    assert.deepEqual([...seen].sort(), [
      "cancelled",
      "completed",
      "dead",
      "failed",
      "pending",
      "processing",
    ]);
  } finally {
    db.close();
  }
});

Deno.test("SqliteStore.listQueues() leaves out a queue whose jobs were all pruned", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "once", queue: "gone" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "kept" }), NOW);
  const worker = await addWorker(temp.store, { queues: ["gone"] });
  const job = (await claim(temp.store, worker))!;
  await temp.store.finishAttempt(refOf(job, worker), COMPLETED(job), NOW);
  assert.deepEqual((await temp.store.listQueues(NOW)).map((queue) => queue.name), [
    "default",
    "gone",
  ]);
  assert.deepEqual(
    await temp.store.pruneJobs(
      { states: ["completed"], finishedBefore: NOW + 1, now: NOW + 1, limit: 10 },
      () => {},
    ),
    ["once"],
  );
  assert.deepEqual((await temp.store.listQueues(NOW)).map((queue) => queue.name), ["default"]);
});

Deno.test("SqliteStore.pruneJobs() leaves a pending dependent's after ids as given, and it runs", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await finishNext(temp.store, "a", COMPLETED);
  await temp.store.enqueueJob(newJob({ id: "z" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b", after: ["z", "a"] }), NOW);
  assert.deepEqual(
    await temp.store.pruneJobs(
      { states: ["completed"], finishedBefore: NOW + 1, now: NOW + 1, limit: 10 },
      () => {},
    ),
    ["a"],
  );
  assert.deepEqual((await getJob(temp.store, "b")).after, ["z", "a"]);
  await finishNext(temp.store, "z", COMPLETED);
  await finishNext(temp.store, "b", COMPLETED);
  assert.deepEqual((await getJob(temp.store, "b")).after, ["z", "a"]);
});

Deno.test("SqliteStore.configureQueue() keeps no queue whose settings are back at their defaults", async () => {
  await using temp = await TempStore.create();
  const listed = async () =>
    (await temp.store.listQueues(NOW)).map((
      queue,
    ) => [queue.name, queue.paused, queue.concurrency]);
  // Resuming, or lifting the limit of, a queue with no settings and no jobs creates nothing.
  const defaults = { paused: false, concurrency: null };
  assert.deepEqual(await temp.store.configureQueue("typo", { paused: false }), defaults);
  assert.deepEqual(await temp.store.configureQueue("typo", { concurrency: null }), defaults);
  assert.deepEqual(await listed(), []);
  // Paused before its first job: kept. Each change returns the settings before it.
  assert.deepEqual(await temp.store.configureQueue("early", { paused: true }), defaults);
  assert.deepEqual(
    await temp.store.configureQueue("early", { concurrency: 2 }),
    { paused: true, concurrency: null },
  );
  assert.deepEqual(await listed(), [["early", true, 2]]);
  assert.deepEqual(
    await temp.store.configureQueue("early", { paused: false }),
    { paused: true, concurrency: 2 },
  );
  assert.deepEqual(await listed(), [["early", false, 2]]);
  await temp.store.configureQueue("early", { concurrency: null });
  assert.deepEqual(await listed(), []);
  // A queue with jobs stays listed, its settings back at the defaults.
  await temp.store.enqueueJob(newJob({ id: "held", queue: "busy" }), NOW);
  await temp.store.configureQueue("busy", { paused: true });
  await temp.store.configureQueue("busy", { paused: false });
  assert.deepEqual(await listed(), [["busy", false, null]]);
});

Deno.test("SqliteStore config values are written, replaced and read back", async () => {
  await using temp = await TempStore.create();
  assert.deepEqual(await temp.store.readConfigValues(), new Map());
  await temp.store.writeConfigValue("max_retries", "5");
  await temp.store.writeConfigValue("max_retries", "6");
  await temp.store.writeConfigValue("job_timeout", "10m");
  assert.deepEqual(
    await temp.store.readConfigValues(),
    new Map([["max_retries", "6"], ["job_timeout", "10m"]]),
  );
});

// --- Schema and migrations ---------------------------------------------------------------

Deno.test("SqliteStore on a new file creates the current schema in WAL mode", async () => {
  await using temp = await TempStore.create();
  temp.store.close();
  assert.equal(userVersion(temp.path), SCHEMA_VERSION);
  const db = new DatabaseSync(temp.path, { readOnly: true });
  try {
    const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    assert.equal(mode.journal_mode, "wal");
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string }[]).map((row) => row.name);
    assert.deepEqual(tables, [
      "config",
      "counters",
      "ended_counts",
      "job_deps",
      "jobs",
      "queues",
      "sqlite_sequence",
      "workers",
    ]);
  } finally {
    db.close();
  }
});

Deno.test("SqliteStore reopens an existing database without changing it", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "kept" }), NOW);
  await temp.store.writeConfigValue("max_retries", "7");
  const schemaBefore = schemaOf(temp.path);
  const store = temp.reopen();
  const again = new SqliteStore(temp.path);
  try {
    assert.equal((await store.getJob("kept"))?.state, "pending");
    assert.equal((await again.getJob("kept"))?.state, "pending");
    assert.equal((await store.readConfigValues()).get("max_retries"), "7");
    assert.equal(userVersion(temp.path), SCHEMA_VERSION);
    assert.deepEqual(schemaOf(temp.path), schemaBefore);
  } finally {
    again.close();
  }
});

/**
 * Runs `check` on a store opened on a database that an older queuectl left at `version`, filled
 * by `fill`; the directory is removed afterwards.
 */
async function upgradeFrom(
  version: number,
  fill: (db: DatabaseSync) => void,
  check: (store: SqliteStore, path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-store-" });
  try {
    const path = `${dir}/queue.db`;
    const db = new DatabaseSync(path);
    for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
    db.exec(`PRAGMA user_version = ${version}`);
    fill(db);
    db.close();
    const store = new SqliteStore(path);
    try {
      assert.equal(userVersion(path), SCHEMA_VERSION);
      await check(store, path);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("SqliteStore upgrades a version-2 database: the claim index leads with priority, then queue", async () => {
  await upgradeFrom(2, (db) =>
    db.exec(`
      INSERT INTO jobs (id, command, cwd, queue, state, max_retries, priority, run_at,
                        created_at, updated_at)
      VALUES ('held-1', 'true', '/tmp', 'held', 'pending', 3, 0, ${NOW - 2}, ${NOW}, ${NOW}),
             ('held-2', 'true', '/tmp', 'held', 'pending', 3, 0, ${NOW - 1}, ${NOW}, ${NOW}),
             ('open', 'true', '/tmp', 'open', 'pending', 3, 0, ${NOW}, ${NOW}, ${NOW});
      INSERT INTO queues (name, paused) VALUES ('held', 1);`), async (store, path) => {
    const index = schemaOf(path).find((row) => (row as { name: string }).name === "jobs_claim");
    assert.match(
      (index as { sql: string }).sql,
      /ON jobs \(priority DESC, queue, run_at, seq\)\s+WHERE state IN \('pending', 'failed'\) AND deps_pending = 0/,
    );
    assert.equal((await claim(store, await addWorker(store)))?.id, "open");
    assert.equal((await store.statusCounts(NOW)).jobs.pending, 2);
  });
});

Deno.test("SqliteStore upgrades a version-3 database: its ended jobs are counted", async () => {
  await upgradeFrom(3, (db) => {
    const insert = db.prepare(`
      INSERT INTO jobs (id, command, cwd, queue, state, max_retries, run_at, created_at, updated_at)
      VALUES (?, 'true', '/tmp', ?, ?, 3, ${NOW}, ${NOW}, ${NOW})`);
    const rows: [string, string][] = [
      ["a", "completed"],
      ["a", "completed"],
      ["a", "dead"],
      ["b", "cancelled"],
      ["b", "completed"],
      ["b", "pending"],
    ];
    for (const [index, [queue, state]] of rows.entries()) insert.run(`j${index}`, queue, state);
  }, async (store) => {
    assert.deepEqual((await store.statusCounts(NOW)).jobs, {
      pending: 1,
      processing: 0,
      completed: 3,
      failed: 0,
      dead: 1,
      cancelled: 1,
    });
    assert.deepEqual((await store.listQueues(NOW)).map((queue) => [queue.name, queue.jobs]), [
      ["a", { pending: 0, processing: 0, completed: 2, failed: 0, dead: 1, cancelled: 0 }],
      ["b", { pending: 1, processing: 0, completed: 1, failed: 0, dead: 0, cancelled: 1 }],
    ]);
  });
});

Deno.test("SqliteStore never reuses a worker id, even the highest one after its row is removed", async () => {
  await using temp = await TempStore.create();
  const first = await addWorker(temp.store);
  const second = await addWorker(temp.store);
  await temp.store.removeWorkers([second.id], NOW);
  const third = await addWorker(temp.store);
  assert.ok(third.id > second.id, `worker id ${third.id} after ${second.id}`);
  await temp.store.unregisterWorker(third.id);
  const fourth = await addWorker(temp.reopen());
  assert.ok(fourth.id > third.id, `worker id ${fourth.id} after ${third.id}`);
  assert.deepEqual((await temp.store.listWorkers()).map((worker) => worker.id), [
    first.id,
    fourth.id,
  ]);
});

Deno.test("SqliteStore upgrades a version-4 database: workers kept, new ids above every id seen", async () => {
  await upgradeFrom(4, (db) => {
    db.exec(`
      INSERT INTO workers (id, host, pid, proc_start, started_at, heartbeat_at, queues,
                           concurrency, stop_request, wake_socket)
      VALUES (3, 'h1', 301, 'start-301', ${NOW}, ${NOW + 1}, 'a,b', 2, 1, '/tmp/w301.sock'),
             (7, 'h2', 701, NULL, ${NOW}, ${NOW + 2}, NULL, 1, 0, NULL);`);
    const insert = db.prepare(`
      INSERT INTO jobs (id, command, cwd, state, attempts, max_retries, run_at, created_at,
                        updated_at, worker_id, lease_expires_at)
      VALUES (?, 'true', '/tmp', ?, 1, 3, ${NOW}, ${NOW}, ${NOW}, ?, ?)`);
    insert.run("held", "processing", 7, NOW + LEASE_MS);
    // Its worker's row is gone (pruned, or the worker unregistered): its id is still taken.
    insert.run("orphan", "processing", 12, NOW);
    insert.run("done", "completed", 9, null);
  }, async (store, path) => {
    const workers = schemaOf(path).find((row) => (row as { name: string }).name === "workers");
    assert.match((workers as { sql: string }).sql, /id INTEGER PRIMARY KEY AUTOINCREMENT/);
    assert.deepEqual(await store.listWorkers(), [
      {
        id: 3,
        host: "h1",
        pid: 301,
        procStart: "start-301",
        startedAt: NOW,
        heartbeatAt: NOW + 1,
        queues: ["a", "b"],
        concurrency: 2,
        stopRequest: "graceful",
        wakeSocket: "/tmp/w301.sock",
        burst: false,
        currentJobs: [],
      },
      {
        id: 7,
        host: "h2",
        pid: 701,
        procStart: null,
        startedAt: NOW,
        heartbeatAt: NOW + 2,
        queues: null,
        concurrency: 1,
        stopRequest: "none",
        wakeSocket: null,
        burst: false,
        currentJobs: ["held"],
      },
    ]);
    const next = await addWorker(store);
    assert.equal(next.id, 13);
    await store.unregisterWorker(next.id);
    assert.equal((await addWorker(store)).id, 14);
    assert.deepEqual(
      (await store.findLostAttempts(NOW)).map((attempt) => [attempt.jobId, attempt.workerId]),
      [["orphan", 12]],
    );
  });
});

Deno.test("SqliteStore upgrades a version-5 database: jobs a cascade cancelled before stay cancelled", async () => {
  await upgradeFrom(5, (db) => {
    db.exec(`
      INSERT INTO jobs (seq, id, command, cwd, state, max_retries, run_at, created_at, updated_at,
                        finished_at, last_error, deps_pending)
      VALUES (1, 'a', 'false', '/tmp', 'dead', 0, ${NOW}, ${NOW}, ${NOW}, ${NOW},
              'exited with code 1', 0),
             (2, 'b', 'true', '/tmp', 'cancelled', 3, ${NOW}, ${NOW}, ${NOW}, ${NOW},
              'dependency a ended dead', 1);
      INSERT INTO job_deps (job_seq, dep_seq) VALUES (2, 1);`);
  }, async (store, path) => {
    const jobs = schemaOf(path).find((row) => (row as { name: string }).name === "jobs");
    assert.match((jobs as { sql: string }).sql, /cancelled_by INTEGER/);
    assert.deepEqual(await store.reviveDeadJobs(["a"], NOW), {
      revived: ["a"],
      skipped: [],
      dependents: [],
      skippedDependents: [],
      leftCancelled: [],
    });
    assert.equal((await getJob(store, "b")).state, "cancelled");
    // A job enqueued after the migration is revived with it.
    await store.enqueueJob(newJob({ id: "c", after: ["a"] }), NOW);
    await finishNext(store, "a", DEAD);
    assert.deepEqual((await store.reviveDeadJobs(["a"], NOW)).dependents, ["c"]);
  });
});

Deno.test("SqliteStore upgrades a version-6 database: after ids kept through a prune", async () => {
  await upgradeFrom(6, (db) => {
    db.exec(`
      INSERT INTO jobs (seq, id, command, cwd, state, max_retries, run_at, created_at, updated_at,
                        finished_at, deps_pending)
      VALUES (1, 'a', 'true', '/tmp', 'completed', 3, ${NOW}, ${NOW}, ${NOW}, ${NOW}, 0),
             (2, 'z', 'true', '/tmp', 'completed', 3, ${NOW}, ${NOW}, ${NOW}, ${NOW}, 0),
             (3, 'b', 'true', '/tmp', 'pending', 3, ${NOW}, ${NOW}, ${NOW}, NULL, 0),
             (4, 'c', 'true', '/tmp', 'pending', 3, ${NOW}, ${NOW}, ${NOW}, NULL, 0);
      INSERT INTO job_deps (job_seq, dep_seq) VALUES (3, 1), (3, 2);`);
  }, async (store) => {
    assert.deepEqual((await getJob(store, "b")).after, ["a", "z"]);
    assert.deepEqual((await getJob(store, "c")).after, []);
    await store.pruneJobs({
      states: ["completed"],
      finishedBefore: NOW + 1,
      now: NOW + 1,
      limit: 10,
    }, () => {});
    assert.deepEqual((await getJob(store, "b")).after, ["a", "z"]);
    assert.deepEqual(await claimAll(store, await addWorker(store)), ["b", "c"]);
  });
});

Deno.test("SqliteStore refuses a database from a newer queuectl and leaves it untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-store-" });
  try {
    const path = `${dir}/queue.db`;
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (1);");
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = await Deno.readFile(path);
    assert.throws(() => new SqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.equal(
        error.message,
        `The database ${path} has schema version ${
          SCHEMA_VERSION + 1
        }, newer than this queuectl knows (${SCHEMA_VERSION}): upgrade queuectl`,
      );
      return true;
    });
    assert.deepEqual(await Deno.readFile(path), before);
    assert.equal(userVersion(path), SCHEMA_VERSION + 1);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(dir))).map((entry) => entry.name),
      ["queue.db"],
      "no journal or WAL file left behind",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SqliteStore names the path when the database cannot be opened", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-store-" });
  try {
    const path = `${dir}/missing/queue.db`;
    assert.throws(() => new SqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.equal(
        error.message,
        `Cannot open the database ${path}: its directory ${dir}/missing does not exist: create it, or set QUEUECTL_HOME to another directory`,
      );
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// --- Several processes -------------------------------------------------------------------

interface Helper {
  readonly child: Deno.ChildProcess;
  readonly output: Promise<string>;
  readonly errors: Promise<string>;
}

/** Starts a helper script and resolves once it has written "ready". */
async function startHelper(script: string, args: string[]): Promise<Helper> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${HELPERS}${script}`, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
  }).spawn();
  const errors = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${script} exited before it was ready: ${await errors}`);
    text += value;
  }
  const output = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += chunk.value;
    }
    return text.slice(text.indexOf("ready\n") + "ready\n".length);
  })();
  return { child, output, errors };
}

/** Lets every ready helper go at the same moment, then waits for all of them. */
async function release({ child }: Helper): Promise<void> {
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("go\n"));
  await writer.close();
}

async function releaseAll(helpers: readonly Helper[]): Promise<string[]> {
  await Promise.all(helpers.map(release));
  return await Promise.all(helpers.map(async ({ child, output, errors }) => {
    const status = await child.status;
    assert.equal(status.code, 0, await errors);
    return await output;
  }));
}

Deno.test("SqliteStore.claimNextJob() from four processes at once claims every job exactly once", async () => {
  await using temp = await TempStore.create();
  const total = 400;
  const jobs = Array.from({ length: total }, (_, index) => newJob({ id: `c${index}` }));
  await temp.store.enqueueBatch(jobsThen(jobs), NOW);
  const helpers = await Promise.all(
    Array.from({ length: 4 }, () => startHelper("claim_worker.ts", [temp.path, String(NOW)])),
  );
  const outputs = await releaseAll(helpers);
  const perProcess = outputs.map((output) => JSON.parse(output) as string[]);
  const claimed = perProcess.flat();
  assert.equal(claimed.length, total, `claims per process: ${perProcess.map((ids) => ids.length)}`);
  assert.equal(new Set(claimed).size, total, "no job claimed twice");
  const counts = await temp.store.statusCounts(NOW);
  assert.deepEqual(counts.jobs, {
    pending: 0,
    processing: 0,
    completed: total,
    failed: 0,
    dead: 0,
    cancelled: 0,
  });
  for (const job of await temp.store.listJobs({ limit: total })) {
    assert.equal(job.attempts, 1, job.id);
  }
  assert.deepEqual(await temp.store.listWorkers(), []);
});

Deno.test("SqliteStore opened by four processes at once on a new file migrates it once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-store-" });
  try {
    const path = `${dir}/queue.db`;
    const helpers = await Promise.all(
      Array.from({ length: 4 }, () => startHelper("open_store_process.ts", [path])),
    );
    await releaseAll(helpers);
    assert.equal(userVersion(path), SCHEMA_VERSION);
    const store = new SqliteStore(path);
    try {
      assert.equal((await store.statusCounts(NOW)).jobs.pending, 4);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SqliteStore opened on a new file while another process holds its write lock waits to switch it to WAL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-store-" });
  try {
    const path = `${dir}/queue.db`;
    const holder = await startHelper("hold_write_lock.ts", [path]);
    const opener = await startHelper("open_store_process.ts", [path]);
    await release(opener);
    // While the lock is held, SQLite refuses the switch to WAL at once, without waiting on the
    // busy timeout: an opener that does not retry fails within this window.
    const ended = await Promise.race([
      opener.child.status,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 300)),
    ]);
    if (ended !== null) {
      assert.fail(`the opener ended while the lock was held: ${await opener.errors}`);
    }
    await releaseAll([holder]);
    assert.equal((await opener.child.status).code, 0, await opener.errors);
    assert.equal(userVersion(path), SCHEMA_VERSION);
    const store = new SqliteStore(path);
    try {
      assert.equal((await store.statusCounts(NOW)).jobs.pending, 1);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SqliteStore methods report a database error by rejecting, never by throwing", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  temp.store.close();
  const calls: [string, () => Promise<unknown>][] = [
    ["getJob", () => temp.store.getJob("x")],
    ["getWorker", () => temp.store.getWorker(worker.id)],
    ["enqueueJob", () => temp.store.enqueueJob(newJob(), NOW)],
    ["claimNextJob", () => claim(temp.store, worker)],
    ["heartbeat", () => temp.store.heartbeat(worker.id, [], NOW, leaseFrom(NOW, null, LEASE_MS))],
    ["statusCounts", () => temp.store.statusCounts(NOW)],
    ["reviveDeadJobs", () => temp.store.reviveDeadJobs("all", NOW)],
  ];
  for (const [name, call] of calls) {
    let promise: Promise<unknown> | undefined;
    assert.doesNotThrow(() => promise = call(), name);
    await assert.rejects(promise!, name);
  }
  temp.store = new SqliteStore(temp.path);
});

Deno.test("SqliteStore.finishAttempt() reports the dependents a completion unblocked", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a", after: ["a"] }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a-b", after: ["a", "b"] }), NOW);
  const worker = await addWorker(temp.store);
  const a = await claim(temp.store, worker);
  assert.equal(a?.id, "a");
  assert.deepEqual(await temp.store.finishAttempt(refOf(a!, worker), COMPLETED(a!), NOW), {
    recorded: true,
    unblocked: 1,
    freedSlotClaimable: false,
    burstWakeSockets: [],
  });
  const b = await claim(temp.store, worker);
  assert.equal(b?.id, "b");
  assert.deepEqual(await temp.store.finishAttempt(refOf(b!, worker), COMPLETED(b!), NOW), {
    recorded: true,
    unblocked: 1,
    freedSlotClaimable: false,
    burstWakeSockets: [],
  });
  assert.deepEqual(await claimAll(temp.store, worker), ["after-a", "after-a-b"]);
});

Deno.test("SqliteStore.finishAttemptAndClaim() records the outcome, then claims the next job", async () => {
  await using temp = await TempStore.create();
  await temp.store.configureQueue("default", { concurrency: 1 });
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "later" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "after-a", priority: 5, after: ["a"] }), NOW);
  const worker = await addWorker(temp.store);
  const a = await claim(temp.store, worker);
  assert.equal(a?.id, "a");
  const request = { worker, now: NOW + 100, lease: leaseFrom(NOW + 100, null, LEASE_MS) };
  const result = await temp.store.finishAttemptAndClaim(
    refOf(a!, worker),
    COMPLETED(a!),
    NOW + 100,
    request,
  );
  // The finish came first: it freed the queue's one slot and unblocked the job that wins.
  assert.deepEqual([result.recorded, result.unblocked, result.next?.id], [true, 1, "after-a"]);
  assert.equal((await getJob(temp.store, "a")).state, "completed");
  for (const next of [result.next!, await getJob(temp.store, "after-a")]) {
    assert.deepEqual(
      [next.state, next.attempts, next.worker, next.startedAt],
      ["processing", 1, `testhost:${worker.pid}`, NOW + 100],
    );
  }
  assert.equal((await getJob(temp.store, "later")).state, "pending");
});

Deno.test("SqliteStore.finishAttemptAndClaim() without a claim only finishes; a fenced-off finish still claims", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b" }), NOW);
  const worker = await addWorker(temp.store);
  const a = await claim(temp.store, worker);
  assert.deepEqual(
    await temp.store.finishAttemptAndClaim(refOf(a!, worker), COMPLETED(a!), NOW, null),
    { recorded: true, unblocked: 0, freedSlotClaimable: false, burstWakeSockets: [], next: null },
  );
  assert.equal((await getJob(temp.store, "b")).state, "pending");
  const stale = await temp.store.finishAttemptAndClaim(
    refOf(a!, worker),
    DEAD(a!),
    NOW,
    { worker, now: NOW, lease: leaseFrom(NOW, null, LEASE_MS) },
  );
  assert.deepEqual([stale.recorded, stale.next?.id], [false, "b"]);
  assert.equal((await getJob(temp.store, "a")).state, "completed");
});

Deno.test("SqliteStore.finishAttemptAndClaim() reports a freed slot of a limited queue that its claim left", async () => {
  await using temp = await TempStore.create();
  await temp.store.configureQueue("limited", { concurrency: 1 });
  await temp.store.enqueueJob(newJob({ id: "first", queue: "limited" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "second", queue: "limited" }), NOW);
  // Serves both queues: its claim alongside prefers the urgent job of the other queue.
  const worker = await addWorker(temp.store, { queues: ["limited", "other"] });
  const first = await claim(temp.store, worker);
  assert.equal(first?.id, "first");
  await temp.store.enqueueJob(newJob({ id: "urgent", queue: "other", priority: 5 }), NOW);
  const request = { worker, now: NOW, lease: leaseFrom(NOW, null, LEASE_MS) };
  const left = await temp.store.finishAttemptAndClaim(
    refOf(first!, worker),
    COMPLETED(first!),
    NOW,
    request,
  );
  assert.deepEqual([left.next?.id, left.freedSlotClaimable], ["urgent", true]);
  // This claim takes the freed slot back: nobody else needs to look.
  const second = await claim(temp.store, worker);
  assert.equal(second?.id, "second");
  await temp.store.enqueueJob(newJob({ id: "third", queue: "limited" }), NOW);
  const taken = await temp.store.finishAttemptAndClaim(
    refOf(second!, worker),
    COMPLETED(second!),
    NOW,
    request,
  );
  assert.deepEqual([taken.next?.id, taken.freedSlotClaimable], ["third", false]);
});

Deno.test("SqliteStore.finishAttempt() reports a freed slot only with a limit and a due job to take it", async () => {
  await using temp = await TempStore.create();
  const worker = await addWorker(temp.store);
  const cases: {
    queue: string;
    settings: QueueChange;
    waiting: Partial<NewJob> | null;
    expected: boolean;
  }[] = [
    { queue: "limited", settings: { concurrency: 1 }, waiting: {}, expected: true },
    { queue: "idle", settings: { concurrency: 1 }, waiting: null, expected: false },
    {
      queue: "later",
      settings: { concurrency: 1 },
      waiting: { runAt: NOW + 60_000 },
      expected: false,
    },
    { queue: "unlimited", settings: {}, waiting: {}, expected: false },
    { queue: "paused", settings: { concurrency: 1, paused: true }, waiting: {}, expected: false },
  ];
  for (const { queue, settings, waiting, expected } of cases) {
    await temp.store.enqueueJob(newJob({ id: `${queue}-running`, queue }), NOW);
    const running = await claim(temp.store, worker);
    assert.equal(running?.id, `${queue}-running`);
    await temp.store.configureQueue(queue, settings);
    if (waiting) {
      await temp.store.enqueueJob(newJob({ id: `${queue}-waiting`, queue, ...waiting }), NOW);
    }
    const result = await temp.store.finishAttempt(refOf(running!, worker), DEAD(running!), NOW);
    assert.equal(result.freedSlotClaimable, expected, queue);
    // Out of the next case's claim.
    if (waiting) await temp.store.cancelJobs([`${queue}-waiting`], NOW);
  }
});

/** A queue limited to one job: "running" claimed by a worker, "waiting" and "spare" pending. */
async function limitedQueueWithRunningJob(temp: TempStore) {
  await temp.store.configureQueue("limited", { concurrency: 1 });
  await temp.store.enqueueJob(newJob({ id: "running", queue: "limited" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "waiting", queue: "limited" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "spare", queue: "limited" }), NOW);
  const worker = await addWorker(temp.store);
  const running = await claim(temp.store, worker);
  assert.equal(running?.id, "running");
  return { worker, running: running! };
}

Deno.test("SqliteStore.cancelJobs(): a running job keeps its limited queue's slot until releaseCancelledSlots", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  const pending = await temp.store.cancelJobs(["spare"], NOW);
  assert.deepEqual(pending.cancelled.map((job) => job.id), ["spare"]);
  const running = await temp.store.cancelJobs(["running"], NOW);
  assert.deepEqual(running.cancelled.map((job) => job.previousState), ["processing"]);
  // Its command may still run (a SIGTERM handler): no job of the queue starts beside it.
  assert.equal(await claim(temp.store, worker), null);
  assert.equal(
    await temp.store.releaseCancelledSlots([{ jobId: "running", attempt: 1 }], NOW),
    true,
  );
  assert.equal(
    await temp.store.releaseCancelledSlots([{ jobId: "running", attempt: 1 }], NOW),
    false,
  );
  assert.equal((await claim(temp.store, worker))?.id, "waiting");
});

Deno.test("SqliteStore.cancelJobs(): a cancelled running job's slot outlasts its worker's fenced finish", async () => {
  await using temp = await TempStore.create();
  const { worker, running } = await limitedQueueWithRunningJob(temp);
  await temp.store.cancelJobs(["running"], NOW);
  assert.equal(await claim(temp.store, worker), null);
  // Its leader has exited, but the rest of its process group may still run.
  const finished = await temp.store.finishAttemptAndClaim(
    refOf(running, worker),
    DEAD(running),
    NOW + 1,
    { worker, now: NOW + 1, lease: leaseFrom(NOW + 1, null, LEASE_MS) },
  );
  assert.deepEqual([finished.recorded, finished.next], [false, null]);
  assert.equal((await temp.store.getJob("running"))?.state, "cancelled");
});

Deno.test("SqliteStore.cancelJobs(): a cancelled running job's slot is free once its lease has run out", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  assert.equal(await temp.store.nextRunAt(null, NOW), null);
  await temp.store.cancelJobs(["running"], NOW);
  // An idle worker sleeps until then: no commit marks the slot's release.
  assert.equal(await temp.store.nextRunAt(null, NOW), NOW + LEASE_MS);
  assert.equal(await temp.store.nextRunAt(["limited"], NOW), NOW + LEASE_MS);
  assert.equal(await temp.store.nextRunAt(["other"], NOW), null);
  assert.equal(await claim(temp.store, worker, NOW + LEASE_MS - 1), null);
  assert.equal((await claim(temp.store, worker, NOW + LEASE_MS + 1))?.id, "waiting");
  assert.equal(await temp.store.nextRunAt(null, NOW + LEASE_MS + 1), null);
});

Deno.test("SqliteStore.listQueues() counts a cancelled running job's slot while the claim does", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  const held = async (now: number) =>
    (await temp.store.listQueues(now)).map((queue) => [
      queue.name,
      queue.jobs.processing,
      queue.heldSlots,
    ]);
  assert.deepEqual(await held(NOW), [["limited", 1, 0]]);
  await temp.store.cancelJobs(["running"], NOW);
  assert.deepEqual(await held(NOW), [["limited", 0, 1]]);
  assert.equal(await claim(temp.store, worker, NOW + LEASE_MS - 1), null);
  assert.deepEqual(await held(NOW + LEASE_MS - 1), [["limited", 0, 1]]);
  // Its lease run out, or its command seen gone: the slot is free, for the claim as for the list.
  assert.deepEqual(await held(NOW + LEASE_MS + 1), [["limited", 0, 0]]);
  await temp.store.releaseCancelledSlots([{ jobId: "running", attempt: 1 }], NOW);
  assert.deepEqual(await held(NOW), [["limited", 0, 0]]);
  assert.equal((await claim(temp.store, worker))?.id, "waiting");
});

Deno.test("SqliteStore.cancelJobs(): a running job whose lease has run out keeps its slot for the hold", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  // Its worker died: no heartbeat renewed the lease, which ends before the kill would.
  const later = NOW + LEASE_MS + 1;
  await temp.store.cancelJobs(["running"], later, 5000);
  assert.equal(await claim(temp.store, worker, later + 4999), null);
  assert.equal((await claim(temp.store, worker, later + 5001))?.id, "waiting");
});

Deno.test("SqliteStore.cancelJobs(): a hold shorter than the running job's lease leaves the lease", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  await temp.store.cancelJobs(["running"], NOW, 1);
  assert.equal(await claim(temp.store, worker, NOW + LEASE_MS - 1), null);
  assert.equal((await claim(temp.store, worker, NOW + LEASE_MS + 1))?.id, "waiting");
});

Deno.test("SqliteStore.pruneJobs(): a cancelled running job is kept, with its slot, until its command is gone", async () => {
  await using temp = await TempStore.create();
  const { worker } = await limitedQueueWithRunningJob(temp);
  await temp.store.cancelJobs(["running", "spare"], NOW);
  const prune = (now: number) =>
    temp.store.pruneJobs(
      { states: ["cancelled"], finishedBefore: now, now, limit: 10 },
      () => {},
    );
  // Deleted, it would free its queue's slot while its SIGTERM handler still runs.
  assert.deepEqual(await prune(NOW + 1), ["spare"]);
  assert.equal(await claim(temp.store, worker, NOW + 1), null);
  await temp.store.releaseCancelledSlots([{ jobId: "running", attempt: 1 }], NOW + 1);
  assert.deepEqual(await prune(NOW + 2), ["running"]);
});

Deno.test("SqliteStore.pruneJobs(): a cancelled running job whose lease ran out is pruned", async () => {
  await using temp = await TempStore.create();
  await limitedQueueWithRunningJob(temp);
  await temp.store.cancelJobs(["running"], NOW);
  const prune = (now: number) =>
    temp.store.pruneJobs({ states: ["cancelled"], finishedBefore: now, now, limit: 10 }, () => {});
  assert.deepEqual(await prune(NOW + LEASE_MS - 1), []);
  assert.deepEqual(await prune(NOW + LEASE_MS + 1), ["running"]);
});

Deno.test("SqliteStore: a finish and a cancel name the burst workers' wake sockets, but the finisher's", async () => {
  await using temp = await TempStore.create();
  await temp.store.enqueueJob(newJob({ id: "a" }), NOW);
  await temp.store.enqueueJob(newJob({ id: "b" }), NOW);
  const plain = await addWorker(temp.store, { wakeSocket: "/tmp/plain.sock" });
  const burst = await addWorker(temp.store, { wakeSocket: "/tmp/burst.sock", burst: true });
  await addWorker(temp.store, { burst: true });
  assert.deepEqual((await temp.store.listWorkers()).map((worker) => worker.burst), [
    false,
    true,
    true,
  ]);
  const a = await claim(temp.store, plain);
  const finished = await temp.store.finishAttemptAndClaim(
    refOf(a!, plain),
    COMPLETED(a!),
    NOW,
    null,
  );
  assert.deepEqual(finished.burstWakeSockets, ["/tmp/burst.sock"]);
  const b = await claim(temp.store, burst);
  const own = await temp.store.finishAttempt(refOf(b!, burst), COMPLETED(b!), NOW);
  assert.deepEqual(own.burstWakeSockets, []);
  await temp.store.enqueueJob(newJob({ id: "c" }), NOW);
  assert.deepEqual((await temp.store.cancelJobs(["c"], NOW)).burstWakeSockets, ["/tmp/burst.sock"]);
  // Nothing cancelled, nobody to tell.
  assert.deepEqual((await temp.store.cancelJobs(["c"], NOW)).burstWakeSockets, []);
});
