import assert from "node:assert/strict";
import { OperationalError } from "../../src/core/errors.ts";
import { type HomeLayout, homeLayout } from "../../src/core/paths.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import type { ClaimRequest, NewWorker, Store } from "../../src/store/store.ts";
import { leaseFrom, monotonicNowMs } from "../../src/worker/lease_clock.ts";
import { hostName } from "../../src/worker/process_info.ts";
import { recoverLostAttempts } from "../../src/worker/recovery.ts";
import { pokeForHeartbeat, wakeWorkers } from "../../src/worker/wake_socket.ts";
import { WorkerRunner } from "../../src/worker/runner.ts";
import { waitFor } from "../helpers/cli.ts";
import { newJobFixture } from "../helpers/fixtures.ts";

/** A temporary data directory with two connections: the worker's, and another, as a CLI's. */
interface RunnerHome {
  readonly home: string;
  readonly layout: HomeLayout;
  readonly store: SqliteStore;
  readonly other: SqliteStore;
}

async function withRunnerHome(body: (home: RunnerHome) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "queuectl-runner-" });
  const layout = homeLayout(home);
  await Deno.mkdir(layout.logs);
  await Deno.mkdir(layout.workers);
  const store = new SqliteStore(layout.database);
  const other = new SqliteStore(layout.database);
  try {
    await body({ home, layout, store, other });
  } finally {
    other.close();
    store.close();
    await Deno.remove(home, { recursive: true });
  }
}

/** The store with some of its methods replaced; every other call is passed on. */
function storeWith(store: SqliteStore, replaced: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, name) {
      if (Object.hasOwn(replaced, name)) return Reflect.get(replaced, name);
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Store;
}

/** Runs a worker in this process on the store given; resolves with its exit status. */
function runWorker(
  store: Store,
  layout: HomeLayout,
  { concurrency = 1, lines, log, now, monotonicNow }: {
    concurrency?: number;
    lines?: string[];
    /** Takes the log lines instead of `lines`. */
    log?: (line: string) => void;
    now?: () => number;
    monotonicNow?: () => number | null;
  } = {},
): Promise<number> {
  return new WorkerRunner({
    store,
    layout,
    queues: null,
    concurrency,
    log: log ?? ((line) => lines?.push(line)),
    ...(now ? { now } : {}),
    ...(monotonicNow ? { monotonicNow } : {}),
  }).run();
}

/** Asks the one worker to stop gracefully, and wakes it to see the request. */
async function stopTheWorker(other: SqliteStore): Promise<void> {
  const worker = (await other.listWorkers())[0]!;
  await other.requestStop([worker.id], "graceful");
  await wakeWorkers(other);
}

/** The store's claims and next-due lookups, in order, with the time each was asked at. */
type Call = { readonly kind: "claim" | "nextRunAt"; readonly now: number };

/** A store that records its claims and next-due lookups and otherwise passes every call on. */
function recording(store: SqliteStore, calls: Call[]): Store {
  return storeWith(store, {
    claimNextJob: (request: ClaimRequest) => {
      calls.push({ kind: "claim", now: request.now });
      return store.claimNextJob(request);
    },
    nextRunAt: (queues: readonly string[] | null, now: number) => {
      calls.push({ kind: "nextRunAt", now });
      return store.nextRunAt(queues, now);
    },
  });
}

Deno.test("an idle worker looks for the next due job after the moment its empty claim was made", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    // Heartbeats every ~330 ms, so that a stop request is seen soon.
    await store.writeConfigValue("lease_seconds", "1");
    const calls: Call[] = [];
    // A clock that moves on at every read, as time does between two awaited queries: a job due
    // in between is what a lookup made later than the claim would miss.
    let clock = Date.now();
    const running = runWorker(recording(store, calls), layout, { now: () => clock++ });
    await waitFor("an empty claim and the lookup after it", () => {
      const claim = calls.findIndex((call) => call.kind === "claim");
      return claim !== -1 && calls[claim + 1]?.kind === "nextRunAt";
    });
    await stopTheWorker(other);
    assert.equal(await running, 0);
    const claim = calls.findIndex((call) => call.kind === "claim");
    assert.deepEqual(calls[claim + 1], { kind: "nextRunAt", now: calls[claim]!.now });
  });
});

Deno.test("a worker that no signal reaches sees its stop request when `worker stop` pokes it", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    // A heartbeat every 100 s: within the test, only the poke can make it look.
    await store.writeConfigValue("lease_seconds", "300");
    const lines: string[] = [];
    const calls: Call[] = [];
    let stopped = false;
    const running = runWorker(recording(store, calls), layout, { lines })
      .finally(() => stopped = true);
    // Idle: past its first heartbeat, which came before its first claim.
    await waitFor("the worker's first empty claim", () => calls.length >= 2);
    const [worker] = await other.listWorkers();
    await other.requestStop([worker!.id], "graceful");
    // An ordinary wake-up asks for no heartbeat: the stop is not seen by it.
    await wakeWorkers(other);
    await pokeForHeartbeat([worker!.wakeSocket!]);
    await waitFor("the worker to stop", () => stopped, 10_000);
    assert.equal(await running, 0);
    assert.ok(lines.includes("stopping: no job running"), lines.join("\n"));
  });
});

Deno.test("a stopped worker sends no heartbeat after its row is gone: neither the one that saw the stop nor one asked for late", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    await store.writeConfigValue("lease_seconds", "300");
    let dataVersions = 0;
    let stopped = false;
    const callsAfterStop: string[] = [];
    const watched = new Proxy(store, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "dataVersion") dataVersions++;
          if (stopped) callsAfterStop.push(String(name));
          return value.apply(target, args);
        };
      },
    }) as Store;
    const running = runWorker(watched, layout).finally(() => stopped = true);
    await waitFor("the worker's first look for work", () => dataVersions > 0);
    const [worker] = await other.listWorkers();
    // Accepted (its accept wakes the claim loop, which reads the data version) and kept open.
    const looked = dataVersions;
    using connection = await Deno.connect({ transport: "unix", path: worker!.wakeSocket! });
    await waitFor("the worker to accept the connection", () => dataVersions > looked);
    await other.requestStop([worker!.id], "graceful");
    await pokeForHeartbeat([worker!.wakeSocket!]);
    assert.equal(await running, 0);
    await connection.write(new TextEncoder().encode("heartbeat"));
    // The worker read the request and closed the connection: whatever it did next has begun.
    assert.equal(await connection.read(new Uint8Array(1)), null);
    // Neither the heartbeat that saw the stop request nor the late one touched the store since.
    assert.deepEqual(callsAfterStop, []);
  });
});

Deno.test("a failed attempt's end leaves alone the retry its worker took up meanwhile", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    await store.writeConfigValue("lease_seconds", "1");
    await store.writeConfigValue("backoff_unit", "1ms");
    const now = Date.now();
    // J fails its first attempt and is retried at once; its second waits for `release`.
    await other.enqueueJob(
      newJobFixture(now, {
        id: "J",
        priority: 10,
        maxRetries: 1,
        cwd: home,
        command: `[ "$QUEUECTL_ATTEMPT" = 1 ] && exit 1; until [ -e release ]; do sleep 0.01; done`,
      }),
      now,
    );
    // F holds the second slot until `go`; its finish takes J's retry alongside.
    await other.enqueueJob(
      newJobFixture(now, { id: "F", cwd: home, command: "until [ -e go ]; do sleep 0.01; done" }),
      now,
    );
    let retryTaken: () => void;
    const retryTakenUp = new Promise<void>((resolve) => retryTaken = resolve);
    let stopSeen = false;
    let stateAtExit: string | undefined;
    // J's first attempt, failed, wakes the workers: held there until F's finish has claimed the
    // retry, so that the first attempt's end comes after the second attempt's start.
    let wakes = 0;
    const proxy = storeWith(store, {
      listWakeSockets: async () => {
        if (wakes++ === 0) {
          await Deno.writeTextFile(`${home}/go`, "");
          await retryTakenUp;
        }
        return await store.listWakeSockets();
      },
      finishAttemptAndClaim: async (...args: Parameters<Store["finishAttemptAndClaim"]>) => {
        const result = await store.finishAttemptAndClaim(...args);
        if (result.next?.id === "J") retryTaken();
        return result;
      },
      requestStop: (...args: Parameters<Store["requestStop"]>) => {
        stopSeen = true;
        return store.requestStop(...args);
      },
      unregisterWorker: async (id: number) => {
        stateAtExit = (await other.getJob("J"))?.state;
        return await store.unregisterWorker(id);
      },
    });
    const running = runWorker(proxy, layout, { concurrency: 2 });
    await retryTakenUp;
    const worker = (await other.listWorkers())[0]!;
    await other.requestStop([worker.id], "graceful");
    await waitFor("the worker to see its stop request", () => stopSeen);
    // A graceful stop waits for the retry's end.
    await Deno.writeTextFile(`${home}/release`, "");
    assert.equal(await running, 0);
    assert.equal(stateAtExit, "completed");
  });
});

Deno.test("a heartbeat during an attempt's finish does not take its ended command for one taken away", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    // Heartbeats every ~330 ms.
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(newJobFixture(now, { id: "J", maxRetries: 1, command: "exit 1" }), now);
    let heartbeats = 0;
    let failedJobWoke: () => void;
    const failedJobWakes = new Promise<void>((resolve) => failedJobWoke = resolve);
    let wakes = 0;
    // The failed attempt's finish wakes the workers: held there for two heartbeats, the first of
    // which finds the job no longer processing.
    const proxy = storeWith(store, {
      heartbeat: (...args: Parameters<Store["heartbeat"]>) => {
        heartbeats++;
        return store.heartbeat(...args);
      },
      listWakeSockets: async () => {
        if (wakes++ === 0) {
          failedJobWoke();
          const until = heartbeats + 2;
          await waitFor("two heartbeats", () => heartbeats >= until, 20_000, 10);
        }
        return await store.listWakeSockets();
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    await failedJobWakes;
    await waitFor("the held finish to end", () => lines.some((line) => line.includes(": failed")));
    await stopTheWorker(other);
    assert.equal(await running, 0);
    assert.deepEqual(lines.filter((line) => line.includes("no longer held")), []);
  });
});

Deno.test("a job claimed alongside a finish just as a stop --now begins is given back unstarted", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    // Heartbeats every ~330 ms: the stop request is seen by one.
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(newJobFixture(now, { id: "F", priority: 1, command: "true" }), now);
    await other.enqueueJob(newJobFixture(now, { id: "N", command: "touch ran", cwd: home }), now);
    let stopSeen = false;
    // F's finish claims N alongside; its answer comes back only after the worker has taken a
    // stop --now, made meanwhile.
    const proxy = storeWith(store, {
      finishAttemptAndClaim: async (...args: Parameters<Store["finishAttemptAndClaim"]>) => {
        const result = await store.finishAttemptAndClaim(...args);
        if (result.next?.id === "N") {
          const worker = (await other.listWorkers())[0]!;
          await other.requestStop([worker.id], "now");
          await waitFor("the worker to take the stop", () => stopSeen, 20_000, 10);
        }
        return result;
      },
      requestStop: (...args: Parameters<Store["requestStop"]>) => {
        stopSeen = true;
        return store.requestStop(...args);
      },
    });
    assert.equal(await runWorker(proxy, layout), 0);
    const job = await other.getJob("N");
    assert.deepEqual([job?.state, job?.attempts], ["pending", 0]);
    assert.equal(await Deno.stat(`${home}/ran`).then(() => true, () => false), false);
  });
});

Deno.test("a worker outlives a failed read of the database's version before a claim", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    // Heartbeats every ~330 ms: each one ends the wait that follows the failure.
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(newJobFixture(now, { id: "J" }), now);
    // The first read after the worker's first heartbeat is the one before its first claim.
    let heartbeats = 0;
    let failed = false;
    const proxy = storeWith(store, {
      heartbeat: (...args: Parameters<Store["heartbeat"]>) => {
        heartbeats++;
        return store.heartbeat(...args);
      },
      dataVersion: () => {
        if (heartbeats === 0 || failed) return store.dataVersion();
        failed = true;
        return Promise.reject(new Error("disk I/O error"));
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    const ended = running.then(() => "the worker ended", (error) => `the worker failed: ${error}`);
    const completed = waitFor("J to complete", async () => {
      const state = (await other.getJob("J"))?.state;
      return state === "completed" ? "J completed" : null;
    });
    assert.equal(await Promise.race([ended, completed]), "J completed");
    assert.ok(lines.some((line) => line === "claim failed: disk I/O error"), lines.join("\n"));
    await stopTheWorker(other);
    assert.equal(await running, 0);
  });
});

/**
 * A store on which a job is claimed under each worker id as it is registered, by another
 * connection: a job naming the worker that its process never ran, as a crashed worker's job
 * named the next worker when ids were reused.
 */
function claimingOnRegister(store: SqliteStore, other: SqliteStore): Store {
  return storeWith(store, {
    registerWorker: async (worker: NewWorker, now: number) => {
      const record = await store.registerWorker(worker, now);
      await other.claimNextJob({ worker: record, now, lease: leaseFrom(now, null, 2000) });
      return record;
    },
  });
}

Deno.test("a worker's heartbeat renews the attempts it runs, not another job naming it, which is recovered", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    await store.writeConfigValue("lease_seconds", "2");
    await store.writeConfigValue("backoff_unit", "10ms");
    const now = Date.now();
    await store.enqueueJob(newJobFixture(now, { id: "unknown", priority: 1 }), now);
    // Runs over a lease: only the heartbeat keeps it this worker's.
    await store.enqueueJob(newJobFixture(now, { id: "running", command: "sleep 3" }), now);
    const lines: string[] = [];
    const running = runWorker(claimingOnRegister(store, other), layout, { lines });
    const finished = await waitFor("both jobs to complete", async () => {
      const jobs = await Promise.all(["unknown", "running"].map((id) => other.getJob(id)));
      return jobs.every((job) => job?.state === "completed") && jobs;
    });
    assert.deepEqual(finished.map((job) => [job!.id, job!.attempts]), [
      ["unknown", 2],
      ["running", 1],
    ]);
    assert.ok(lines.includes("recovered job unknown attempt 1: failed"), lines.join("\n"));
    await stopTheWorker(other);
    assert.equal(await running, 0);
  });
});

Deno.test("a heartbeat judges only the attempts that ran before it read the worker's jobs", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    // Heartbeats every ~330 ms.
    await store.writeConfigValue("lease_seconds", "1");
    let heartbeats = 0;
    let claimed: () => void;
    const jobClaimed = new Promise<void>((resolve) => claimed = resolve);
    // The second heartbeat's answer, read before J is enqueued, comes back after the worker
    // has claimed and started J.
    const proxy = storeWith(store, {
      heartbeat: async (...args: Parameters<Store["heartbeat"]>) => {
        const me = await store.heartbeat(...args);
        if (++heartbeats === 2) {
          const now = Date.now();
          await other.enqueueJob(
            newJobFixture(now, {
              id: "J",
              cwd: home,
              command: "until [ -e release ]; do sleep 0.01; done",
            }),
            now,
          );
          await wakeWorkers(other);
          await jobClaimed;
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        return me;
      },
      claimNextJob: async (...args: Parameters<Store["claimNextJob"]>) => {
        const job = await store.claimNextJob(...args);
        if (job?.id === "J") claimed();
        return job;
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    await jobClaimed;
    await waitFor("a heartbeat after J's start", () => heartbeats >= 3, 20_000, 10);
    await Deno.writeTextFile(`${home}/release`, "");
    await waitFor("J to complete", async () => (await other.getJob("J"))?.state === "completed");
    await stopTheWorker(other);
    assert.equal(await running, 0);
    assert.deepEqual(lines.filter((line) => line.includes("no longer held")), []);
  });
});

Deno.test("an attempt's end that the database refuses for a while is recorded once it can be", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    // Heartbeats every ~330 ms keep the attempt's lease while its end waits.
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(
      newJobFixture(now, { id: "J", cwd: home, command: "exit 3", maxRetries: 0 }),
      now,
    );
    // More refusals than a busy database's quick retries take: a disk full for over a second.
    let refusals = 8;
    const proxy = storeWith(store, {
      finishAttemptAndClaim: (...args: Parameters<Store["finishAttemptAndClaim"]>) => {
        // As the store reports a failure of its file (src/store/sqlite/database_failure.ts).
        if (refusals-- > 0) return Promise.reject(new OperationalError("database or disk is full"));
        return store.finishAttemptAndClaim(...args);
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    const job = await waitFor("J's end to be recorded", async () => {
      const job = await other.getJob("J");
      return job?.state === "pending" || job?.state === "processing" ? null : job;
    });
    assert.equal(job.state, "dead");
    assert.equal(job.exitCode, 3);
    assert.ok(
      lines.includes(
        "job J: recording its end failed: database or disk is full; trying again every 1s",
      ),
      lines.join("\n"),
    );
    await stopTheWorker(other);
    assert.equal(await running, 0);
  });
});

Deno.test("an attempt's end that fails for a reason not the database's is given up after the quick retries", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(
      newJobFixture(now, { id: "J", cwd: home, command: "exit 3", maxRetries: 0 }),
      now,
    );
    let tries = 0;
    const proxy = storeWith(store, {
      finishAttemptAndClaim: () => {
        tries++;
        return Promise.reject(new TypeError("a bug"));
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    await waitFor("the worker to give the end up", () => lines.includes("job J: a bug"));
    // The quick retries only: recovery decides the job, as for a worker that died.
    const given = tries;
    await stopTheWorker(other);
    assert.equal(await running, 0);
    assert.equal(tries, given);
    assert.ok(given >= 2 && given <= 10, String(given));
  });
});

Deno.test("a worker whose database file is removed stops, killing its job, and says why", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    // Heartbeats every ~330 ms: the one after the removal notices it.
    await store.writeConfigValue("lease_seconds", "1");
    await store.writeConfigValue("kill_grace", "0s");
    const now = Date.now();
    await other.enqueueJob(
      newJobFixture(now, {
        id: "J",
        cwd: home,
        command: "touch started; until [ -e release ]; do sleep 0.01; done",
      }),
      now,
    );
    const lines: string[] = [];
    const running = runWorker(store, layout, { lines });
    await waitFor("J to start", () => Deno.stat(`${home}/started`).then(() => true, () => false));
    // As `rm -rf $QUEUECTL_HOME` does to it; the connections go on with the unlinked file.
    for (const file of ["", "-wal", "-shm"]) await Deno.remove(`${layout.database}${file}`);
    let stopped: unknown = null;
    running.then((status) => stopped = status, (error) => stopped = error);
    const error = await waitFor("the worker to stop", () => stopped);
    assert.ok(error instanceof OperationalError, String(error));
    assert.equal(
      error.message,
      `The database ${layout.database} was removed or replaced while this worker ran: start workers again for the new one ('queuectl worker start')`,
    );
    assert.ok(
      lines.includes(`the database ${layout.database} was removed or replaced; stopping now`),
      lines.join("\n"),
    );
    assert.ok(lines.includes("stopping now: killing 1 running job(s)"), lines.join("\n"));
  });
});

Deno.test("a worker logs a claim failure that repeats at each poll once, then that claims work again", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    await store.writeConfigValue("poll_interval_ms", "10");
    // Heartbeats every ~330 ms: the stop request at the end is seen at the next one.
    await store.writeConfigValue("lease_seconds", "1");
    const now = Date.now();
    await other.enqueueJob(newJobFixture(now, { id: "J" }), now);
    let failures = 0;
    const proxy = storeWith(store, {
      claimNextJob: (...args: Parameters<Store["claimNextJob"]>) => {
        if (failures === 3) return store.claimNextJob(...args);
        failures++;
        return Promise.reject(new Error("database or disk is full"));
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, { lines });
    await waitFor("J to complete", async () => (await other.getJob("J"))?.state === "completed");
    await stopTheWorker(other);
    assert.equal(await running, 0);
    assert.deepEqual(lines.filter((line) => line.startsWith("claim")), [
      "claim failed: database or disk is full",
      "claims work again after 3 failures",
    ]);
    // Idle when it stopped: nothing to wait for, and the log says so plainly.
    assert.ok(lines.includes("stopping: no job running"), lines.join("\n"));
  });
});

Deno.test("an attempt whose lease was recovered while its worker stalled before starting it is not started", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    const leaseMs = 1000;
    await store.writeConfigValue("lease_seconds", String(leaseMs / 1000));
    const start = Date.now();
    await other.enqueueJob(
      newJobFixture(start, {
        id: "J",
        maxRetries: 0,
        cwd: home,
        command: 'echo "$QUEUECTL_ATTEMPT" >> ran',
      }),
      start,
    );
    let offset = 0;
    const clock = () => Date.now() + offset;
    // A stall, unlike a jump of the wall clock, moves the host's monotonic clock too.
    const monotonicClock = () => monotonicNowMs()! + offset;
    const ran = () => Deno.stat(`${home}/ran`).then(() => true, () => false);
    // The claim returns after a stall longer than the lease (the clocks jump), during which
    // another process recovered the attempt, finding no process of it to kill.
    const proxy = storeWith(store, {
      claimNextJob: async (request: ClaimRequest) => {
        const job = await store.claimNextJob(request);
        if (job?.id === "J") {
          offset = 2 * leaseMs;
          const recovered = await recoverLostAttempts(other, {
            now: clock(),
            host: hostName(),
            self: null,
            leaseMs,
            backoff: { base: 2, unitMs: 1000, maxMs: 60_000 },
            layout,
            monotonicNow: monotonicClock(),
          });
          assert.deepEqual(recovered, ["recovered job J attempt 1: dead"]);
        }
        return job;
      },
      // Started anyway, the command would be killed once this record is refused: it is held
      // until the command has run, so that running at all shows.
      tryRecordAttemptProcess: async (...args: Parameters<Store["tryRecordAttemptProcess"]>) => {
        await waitFor("the command to run", ran, 5_000, 10).catch(() => {});
        return await store.tryRecordAttemptProcess(...args);
      },
    });
    const lines: string[] = [];
    const running = runWorker(proxy, layout, {
      lines,
      now: clock,
      monotonicNow: monotonicClock,
    });
    await waitFor(
      "the worker to give the attempt up",
      () => lines.some((line) => line.includes("job J: attempt 1 ")),
    );
    await stopTheWorker(other);
    assert.equal(await running, 0);
    assert.equal(await ran(), false);
    assert.deepEqual(lines.filter((line) => line.startsWith("job J")), [
      "job J: attempt 1 was recovered or cancelled while this worker stalled; not started",
    ]);
    const job = await other.getJob("J");
    assert.deepEqual([job?.state, job?.attempts], ["dead", 1]);
  });
});

Deno.test("an attempt claimed before a stop --now that comes before its start is given back unstarted", async () => {
  await withRunnerHome(async ({ home, layout, store, other }) => {
    // Heartbeats every ~330 ms: the stop request is seen by one.
    await store.writeConfigValue("lease_seconds", "1");
    const start = Date.now();
    await other.enqueueJob(
      newJobFixture(start, { id: "J", cwd: home, command: "touch ran" }),
      start,
    );
    let offset = 0;
    let stopSeen = false;
    // The claim returns late (past a third of the lease: the lease is renewed before the start),
    // and the stop --now is taken while the renewal waits, before the command starts.
    const proxy = storeWith(store, {
      claimNextJob: async (request: ClaimRequest) => {
        const job = await store.claimNextJob(request);
        if (job?.id === "J") offset = 600;
        return job;
      },
      renewAttemptLease: async (...args: Parameters<Store["renewAttemptLease"]>) => {
        const worker = (await other.listWorkers())[0]!;
        await other.requestStop([worker.id], "now");
        await waitFor("the worker to take the stop", () => stopSeen, 20_000, 10);
        return await store.renewAttemptLease(...args);
      },
      requestStop: (...args: Parameters<Store["requestStop"]>) => {
        stopSeen = true;
        return store.requestStop(...args);
      },
    });
    assert.equal(await runWorker(proxy, layout, { now: () => Date.now() + offset }), 0);
    const job = await other.getJob("J");
    assert.deepEqual([job?.state, job?.attempts], ["pending", 0]);
    assert.equal(await Deno.stat(`${home}/ran`).then(() => true, () => false), false);
  });
});

Deno.test("a worker outlives a heartbeat that recovers a job while it looks for work", async () => {
  await withRunnerHome(async ({ layout, store, other }) => {
    // No heartbeat but the ones asked for; the clock stands still, so the settings are read once.
    await store.writeConfigValue("lease_seconds", "300");
    const now = Date.now();
    let idle = false;
    let armed = false;
    let recovered: () => void;
    const recovery = new Promise<void>((resolve) => recovered = resolve);
    // The look for work after an empty claim reads the database's version; a heartbeat then
    // recovers a job and so forgets that the worker was idle, before that read returns.
    const proxy = storeWith(store, {
      nextRunAt: async (...args: Parameters<Store["nextRunAt"]>) => {
        const next = await store.nextRunAt(...args);
        idle = true;
        return next;
      },
      dataVersion: async () => {
        if (armed) {
          armed = false;
          const worker = (await other.listWorkers())[0]!;
          await pokeForHeartbeat([worker.wakeSocket!]);
          await recovery;
        }
        return await store.dataVersion();
      },
    });
    const lines: string[] = [];
    const log = (line: string) => {
      lines.push(line);
      // The worker forgets that it was idle in the same turn as it logs a recovery.
      if (line.startsWith("recovered job")) recovered();
    };
    const running = runWorker(proxy, layout, { log, now: () => now });
    await waitFor("the worker to find nothing to claim", () => idle);
    // A job naming the worker that it does not run, its lease run out: a heartbeat recovers it.
    await other.enqueueJob(newJobFixture(now, { id: "J" }), now);
    const worker = (await other.listWorkers())[0]!;
    await other.claimNextJob({ worker, now, lease: leaseFrom(now - 2000, null, 1000) });
    armed = true;
    await wakeWorkers(other);
    await recovery;
    await other.requestStop([worker.id], "graceful");
    await pokeForHeartbeat([worker.wakeSocket!]);
    assert.equal(await running, 0);
    assert.ok(lines.includes("recovered job J attempt 1: failed"), lines.join("\n"));
  });
});
