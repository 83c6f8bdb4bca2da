import { type AttemptResult, decideAttemptOutcome } from "../core/attempt_outcome.ts";
import { formatAttemptHeader } from "../core/attempt_log.ts";
import type { BackoffPolicy } from "../core/backoff.ts";
import { type Config, configFromStored } from "../core/config.ts";
import { formatDuration } from "../core/duration.ts";
import type { Job } from "../core/job.ts";
import { TERMINAL_STATES } from "../core/job_state.ts";
import { OperationalError } from "../core/errors.ts";
import { type HomeLayout, jobLogPath } from "../core/paths.ts";
import type { AttemptRef, ClaimRequest, Lease, Store, WorkerRecord } from "../store/store.ts";
import { appendToLog } from "./job_log.ts";
import {
  describeLauncher,
  jobLauncher,
  readLogTail,
  type StartFailure,
  startJobProcess,
} from "./job_process.ts";
import { terminateGroup } from "./process_group.ts";
import { leaseFrom, monotonicNowMs } from "./lease_clock.ts";
import { loadLibc } from "./libc.ts";
import { reapOrphanedZombies } from "./orphan_reaper.ts";
import { StartShortage } from "./start_shortage.ts";
import { hostName, processStartTime } from "./process_info.ts";
import { pruneTerminalJobs } from "./prune.ts";
import { recoverLostAttempts } from "./recovery.ts";
import type { ExitStatus } from "./wait_status.ts";
import { describeLeftJobs } from "./drain_report.ts";
import { idleWaitMs } from "./idle_wait.ts";
import { setLongTimeout } from "./long_timer.ts";
import { listenForWakeups, pokeWakeSockets, wakeWorkers } from "./wake_socket.ts";
import { wakeSocketPath } from "./wake_socket_path.ts";
import { Waker } from "./waker.ts";

export interface WorkerOptions {
  readonly store: Store;
  readonly layout: HomeLayout;
  readonly queues: readonly string[] | null;
  readonly concurrency: number;
  readonly log: (line: string) => void;
  readonly now?: () => number;
  /** This host's CLOCK_MONOTONIC in ms, or null (default: lease_clock.ts). */
  readonly monotonicNow?: () => number | null;
  /** Stop once no job is left that the worker could run without someone acting (`--burst`). */
  readonly burst?: boolean;
}

interface RunningAttempt {
  readonly ref: AttemptRef;
  readonly job: Job;
  pgid: number | null;
  done: Promise<void>;
}

type StopMode = "none" | "graceful" | "now";

const CONFIG_REFRESH_MS = 1000;
/** How long a job's process record is tried without waiting for the write lock. */
const RECORD_TRY_MS = 1000;
/** The poll of a worker that nothing can poke (its wake socket could not be created). */
const POLL_WITHOUT_WAKEUPS_MS = 500;
const RETENTION_INTERVAL_MS = 60_000;
/** After a busy database's quick retries, how often an attempt's end is tried again. */
const RECORD_END_RETRY_MS = 1000;
const RETENTION_BATCH = 10_000;
/** How long claims pause after a start failed for want of the worker's resources: doubling. */
const SHORTAGE_PAUSE_MIN_MS = 1000;
const SHORTAGE_PAUSE_MAX_MS = 30_000;

/**
 * One worker process: claims due jobs (up to `concurrency` at a time), runs each in its own
 * process group, records the outcome fenced by the attempt number, renews its leases by
 * heartbeat, recovers jobs of lost workers, and stops gracefully on SIGTERM/SIGINT or a stop
 * request (a second signal, or `--now`, kills running jobs and gives them back uncounted).
 */
export class WorkerRunner {
  readonly #options: WorkerOptions;
  readonly #store: Store;
  readonly #now: () => number;
  readonly #monotonicNow: () => number | null;
  readonly #waker = new Waker();
  /** A set, not a map by job id: a retry may start before its failed attempt's end is done. */
  readonly #running = new Set<RunningAttempt>();
  readonly #host = hostName();
  #worker: WorkerRecord | null = null;
  #config: Config | null = null;
  #configReadAt = 0;
  #configVersion = -1;
  #stop: StopMode = "none";
  /** SIGTERM/SIGINT received: the second means now, a stop seen in the database does not count. */
  #signals = 0;
  #abandoning: Promise<void> | null = null;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  /** While commands cannot start for want of the worker's own resources: claims pause. */
  readonly #shortage = new StartShortage(SHORTAGE_PAUSE_MIN_MS, SHORTAGE_PAUSE_MAX_MS);
  /** A burst worker stopped by a shortage that outlasted its longest pause. */
  #gaveUpOnShortage = false;
  /** The heartbeat under way: the worker unregisters only after it. */
  #beating: Promise<void> | null = null;
  #beatAgain = false;
  #nextHeartbeatAt = 0;
  /** Whether pokes can reach this worker; without a wake socket it polls often. */
  #wakeable = false;
  #finished = false;
  #prunedAt = 0;
  /** The database file this worker opened, as dev:inode; null where the OS gives none. */
  #databaseIdentity: string | null = null;
  /** Set when the database file was removed or replaced: why the worker stopped. */
  #databaseLost: OperationalError | null = null;
  /** The failure of the claims since the last one that worked, and how many failed. */
  #claimFailure: { message: string; count: number } | null = null;
  /** Set when a claim found nothing: the database's version then and the next due time. */
  #idle: { version: number; until: number } | null = null;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#monotonicNow = options.monotonicNow ?? monotonicNowMs;
  }

  /** Runs until stopped; resolves with the process exit status. */
  async run(): Promise<number> {
    const socketPath = wakeSocketPath(this.#options.layout.workers, Deno.pid, this.#host);
    const listener = listenForWakeups(
      socketPath,
      () => this.#waker.wake(),
      () => void this.#beat(),
    );
    this.#wakeable = listener !== null;
    const worker = await this.#store.registerWorker({
      host: this.#host,
      pid: Deno.pid,
      procStart: processStartTime(Deno.pid),
      queues: this.#options.queues,
      concurrency: this.#options.concurrency,
      wakeSocket: listener ? socketPath : null,
      burst: this.#options.burst === true,
    }, this.#now());
    this.#worker = worker;
    this.#databaseIdentity = fileIdentity(this.#options.layout.database);
    const removeSignals = this.#listenForSignals();
    this.#options.log(
      `worker ${worker.id} (pid ${worker.pid}) started; queues ${
        worker.queues?.join(",") ?? "all"
      }, concurrency ${worker.concurrency}; jobs start through ${describeLauncher(jobLauncher())}`,
    );
    if (!listener) {
      this.#options.log(
        `cannot listen on ${socketPath} for wake-ups; polling every ${POLL_WITHOUT_WAKEUPS_MS} ms`,
      );
    }
    try {
      await this.#beat();
      await this.#claimLoop();
      if (this.#stop === "now") await this.#abandonRunning();
      // Until none is left: a finish may have claimed the next job just before the stop.
      while (this.#running.size > 0) {
        await Promise.all([...this.#running.values()].map((attempt) => attempt.done));
      }
      // A second signal while waiting: its requeues finish after the attempts did.
      if (this.#abandoning) await this.#abandoning;
    } finally {
      this.#finished = true;
      clearTimeout(this.#heartbeatTimer);
      // The one that saw a stop request goes on to recovery: the worker's row serves it still.
      await this.#beating;
      removeSignals();
      listener?.close();
      try {
        Deno.removeSync(socketPath);
      } catch {
        // Never created, or removed already.
      }
      await this.#store.unregisterWorker(worker.id);
    }
    this.#options.log(`worker ${worker.id} stopped`);
    if (this.#databaseLost) throw this.#databaseLost;
    return this.#gaveUpOnShortage ? 1 : 0;
  }

  async #claimLoop(): Promise<void> {
    while (this.#stop === "none") {
      const config = await this.#currentConfig().catch((error) => {
        if (this.#config === null) throw error;
        // A passing fault: the settings last read serve until the next look.
        this.#options.log(`reading the settings failed: ${(error as Error).message}`);
        return this.#config;
      });
      let claimed = false;
      let found = true;
      while (this.#stop === "none" && this.#running.size < this.#options.concurrency) {
        if (this.#shortage.remainingMs(performance.now()) > 0 || !await this.#mayHaveWork()) {
          found = false;
          break;
        }
        const now = this.#now();
        let version: number;
        let job: Job | null;
        try {
          // Read before the claim: a commit landing after it must count as a change.
          version = await this.#store.dataVersion();
          job = await this.#store.claimNextJob({
            worker: this.#worker!,
            now,
            lease: this.#leaseFrom(now, config),
          });
        } catch (error) {
          // A busy database (or any passing fault) costs a poll interval, never the worker.
          this.#noteClaimFailure((error as Error).message);
          break;
        }
        this.#noteClaimWorks();
        if (!job) {
          await this.#rememberIdle(version, now);
          if (this.#options.burst && this.#running.size === 0 && await this.#drained()) return;
          found = false;
          break;
        }
        claimed = true;
        this.#startAttempt(job, config);
      }
      if (this.#stop !== "none") break;
      if (claimed && found && this.#running.size < this.#options.concurrency) continue;
      await this.#waker.wait(this.#idleWaitMs(config));
    }
  }

  /**
   * Logs a failed claim once while the same failure repeats at each poll (a full disk, a file
   * system remounted read-only): a line every poll_interval_ms would fill the worker's log, which
   * may be on that disk, for as long as it lasts.
   */
  #noteClaimFailure(message: string): void {
    if (this.#claimFailure?.message === message) {
      this.#claimFailure.count++;
      return;
    }
    this.#options.log(`claim failed: ${message}`);
    this.#claimFailure = { message, count: 1 };
  }

  #noteClaimWorks(): void {
    if (this.#claimFailure === null) return;
    const { count } = this.#claimFailure;
    this.#claimFailure = null;
    if (count > 1) this.#options.log(`claims work again after ${count} failures`);
  }

  /**
   * Whether a claim could find anything: not when the database is unchanged (SQLite's
   * data_version: no other connection committed) since a claim found nothing, and no job
   * scheduled then has come due. An idle worker's poll then costs one read of shared memory.
   */
  async #mayHaveWork(): Promise<boolean> {
    if (this.#idle === null || this.#now() >= this.#idle.until) return true;
    const version = await this.#store.dataVersion().catch(() => -1);
    // Looked at after the read: a job's end or a heartbeat's recovery may have cleared it.
    return this.#idle === null || version !== this.#idle.version;
  }

  /**
   * After a claim at `claimedAt` found nothing: the next due time after that same moment. Asked
   * after the claim's own `now`, a job coming due in between was neither claimed nor named, and
   * the worker slept until another connection committed (its own commits do not count).
   */
  async #rememberIdle(version: number, claimedAt: number): Promise<void> {
    const next = await this.#store.nextRunAt(this.#options.queues, claimedAt).catch(() => null);
    this.#idle = { version, until: next ?? Infinity };
  }

  /**
   * A burst worker's look, after a claim found nothing and with nothing running: whether its
   * queues hold no job it could run now or later without someone acting. If so it says what it
   * leaves behind. Asked only then, so a drain costs no query per job, and an idle burst worker
   * asks again only after a commit or a due time made it claim again.
   */
  async #drained(): Promise<boolean> {
    try {
      if (await this.#store.workRemains(this.#options.queues)) return false;
    } catch (error) {
      this.#options.log(`looking for work left failed: ${(error as Error).message}`);
      // Not idle: the next poll claims, and so looks, again.
      this.#idle = null;
      return false;
    }
    this.#options.log("queue drained: no job left that it could run; stopping");
    const summaries = await this.#store.listQueues(this.#now()).catch((error) => {
      this.#options.log(`listing the jobs left failed: ${(error as Error).message}`);
      return [];
    });
    for (const line of describeLeftJobs(this.#options.queues, summaries)) this.#options.log(line);
    return true;
  }

  #idleWaitMs(config: Config): number {
    const busy = this.#running.size >= this.#options.concurrency || this.#idle === null;
    const now = this.#now();
    const pausedMs = this.#shortage.remainingMs(performance.now());
    return idleWaitMs({
      now,
      pollMs: this.#wakeable
        ? config.pollIntervalMs
        : Math.min(config.pollIntervalMs, POLL_WITHOUT_WAKEUPS_MS),
      dueAt: Math.min(
        busy ? Infinity : this.#idle!.until,
        pausedMs > 0 ? now + pausedMs : Infinity,
      ),
      nextHeartbeatAt: this.#nextHeartbeatAt,
    });
  }

  #startAttempt(job: Job, config: Config): void {
    const ref: AttemptRef = { jobId: job.id, attempt: job.attempts, workerId: this.#worker!.id };
    const attempt: RunningAttempt = { ref, job, pgid: null, done: Promise.resolve() };
    this.#running.add(attempt);
    // A claim that returned after a stop --now began (its request made before): not started.
    const work = this.#stop === "now" ? this.#giveBack(attempt) : this.#runAttempt(attempt, config);
    attempt.done = work
      .catch((error) => this.#options.log(`job ${job.id}: ${(error as Error).message}`))
      .finally(() => {
        this.#running.delete(attempt);
        this.#reapOrphans();
        // Our own commits leave data_version unchanged: a finished job may unblock others.
        this.#idle = null;
        this.#waker.wake();
      });
  }

  /** Gives an attempt back uncounted without starting it, as a stop --now does. */
  async #giveBack(attempt: RunningAttempt): Promise<void> {
    if (await withRetries(() => this.#store.requeueAttempt(attempt.ref, this.#now()))) {
      await wakeWorkers(this.#store).catch(() => {});
    }
  }

  async #runAttempt(attempt: RunningAttempt, config: Config): Promise<void> {
    const { job, ref } = attempt;
    const logPath = jobLogPath(this.#options.layout, job.id);
    const startedAt = this.#now();
    const timeoutMs = job.timeoutMs ?? config.jobTimeoutMs;
    if (!await this.#mayStart(job, ref, config)) {
      this.#options.log(
        `job ${job.id}: attempt ${job.attempts} was recovered or cancelled while this worker stalled; not started`,
      );
      return;
    }
    // A stop --now taken since the claim (during the renewal) found no process group of this
    // attempt to kill: it gives the attempt back once this returns, unstarted.
    if (this.#stop === "now") return;
    const started = startJobProcess({
      command: job.command,
      cwd: job.cwd,
      logPath,
      header: (newlineAdded) =>
        formatAttemptHeader(job.id, {
          attempt: job.attempts,
          of: job.maxRetries + 1,
          startedAt,
          worker: `${this.#host}:${Deno.pid}`,
          newlineAdded,
        }),
      env: { ...job.env, QUEUECTL_JOB_ID: job.id, QUEUECTL_ATTEMPT: String(job.attempts) },
    });
    if ("failure" in started && started.shortage) return await this.#startShort(attempt, started);
    this.#noteStartsWork();
    if ("failure" in started) {
      const message = await describeStartFailure(started.failure, job.cwd);
      appendToLog(logPath, `queuectl: ${message}`);
      return await this.#finish(attempt, { kind: "start_failed", message }, config);
    }
    const { process, header } = started;
    attempt.pgid = process.pid;
    const held = await this.#recordProcess(ref, process.pid, process.startTime, process.status)
      .catch((error) => {
        this.#options.log(`job ${job.id}: recording its process failed: ${error.message}`);
        return true;
      });
    if (held === false) {
      // Cancelled between the claim and the start: nobody else knows this process group.
      await terminateGroup(process.pid, config.killGraceMs);
    }
    const result = await this.#awaitExit(
      process.pid,
      process.status,
      timeoutMs,
      config,
      logPath,
      header,
    );
    // Reaped: its pid, and so its group id, may be another process's by now.
    attempt.pgid = null;
    await this.#finish(attempt, result, config);
  }

  /**
   * A command that could not start for want of the worker's own processes, open files or memory
   * is no fault of its job: the attempt goes back uncounted (other workers may start it), and
   * this worker claims nothing for a pause, doubling while starts keep failing so (1 s to 30 s),
   * saying so once. A burst worker whose starts still fail after its longest pause stops (exit
   * 1) rather than wait for ever.
   */
  async #startShort(attempt: RunningAttempt, { failure }: StartFailure): Promise<void> {
    const { began, exhausted } = this.#shortage.failed(performance.now());
    if (began) {
      this.#options.log(
        `cannot start jobs: ${failure}; giving them back and trying again, at longest every ${
          SHORTAGE_PAUSE_MAX_MS / 1000
        }s`,
      );
    }
    appendToLog(
      jobLogPath(this.#options.layout, attempt.job.id),
      `queuectl: could not start (${failure}): the worker is short of resources; the job goes back to pending`,
    );
    await this.#giveBack(attempt);
    if (exhausted && this.#options.burst && this.#stop === "none") {
      this.#gaveUpOnShortage = true;
      this.#options.log("jobs still cannot start; stopping (--burst)");
      this.#requestStop("graceful");
    }
  }

  /** A command started (or failed for a reason of its own): a shortage, if any, is over. */
  #noteStartsWork(): void {
    if (this.#shortage.started()) this.#options.log("jobs start again");
  }

  /**
   * Whether a claimed attempt may still start. A worker stalled between its claim and the
   * start (stopped, swapped out) for a whole lease has lost it: a recovery found no process of
   * the attempt to kill and counted it lost, and its retry may be running elsewhere. Started
   * anyway, the command ran beside the retry until the record of its process group was refused.
   * A lease cannot have expired before a third of it has passed since the claim (the heartbeat
   * interval), so only later is it renewed first, fenced by the attempt: a recovery that then
   * comes finds it unexpired, one that came before leaves nothing to renew.
   */
  async #mayStart(job: Job, ref: AttemptRef, config: Config): Promise<boolean> {
    const leaseMs = config.leaseSeconds * 1000;
    const now = this.#now();
    if (now - job.startedAt! < leaseMs / 3) return true;
    return await withRetries(() =>
      this.#store.renewAttemptLease(ref, this.#leaseFrom(now, config))
    );
  }

  /** A lease from `now`, by the wall clock and this host's monotonic clock (lease_clock.ts). */
  #leaseFrom(now: number, config: Config): Lease {
    return leaseFrom(now, this.#monotonicNow(), config.leaseSeconds * 1000);
  }

  /**
   * Records the attempt's process group for other processes (cancel, recovery). Another
   * worker's commit holds the write lock for ~1 ms (its fsync); waiting for it in SQLite's busy
   * handler blocked this worker's event loop ~0.9 ms per job in a two-worker drain, so the lock
   * is only tried, and tried again each millisecond while the job runs. A job that has ended
   * needs no record ("exited"; its finish clears it). After a second of that, it waits.
   * Resolves with whether the attempt is still this worker's.
   */
  async #recordProcess(
    ref: AttemptRef,
    pgid: number,
    startTime: string | null,
    status: Promise<ExitStatus>,
  ): Promise<boolean | "exited"> {
    let exited = false;
    const ended = status.then(() => exited = true, () => exited = true);
    const giveUpAt = performance.now() + RECORD_TRY_MS;
    for (;;) {
      const held = await this.#store.tryRecordAttemptProcess(ref, pgid, startTime);
      if (held !== null) return held;
      if (exited) return "exited";
      if (performance.now() > giveUpAt) {
        return await withRetries(() => this.#store.recordAttemptProcess(ref, pgid, startTime));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([ended, new Promise((resolve) => timer = setTimeout(resolve, 1))]);
      clearTimeout(timer);
      if (exited) return "exited";
    }
  }

  /** Records how the attempt ended, retrying while the database is busy. */
  async #finish(attempt: RunningAttempt, result: AttemptResult, config: Config): Promise<void> {
    const { job, ref } = attempt;
    // Stopped with --now: the attempt is given back uncounted (unless it just succeeded).
    if (this.#stop === "now" && !(result.kind === "exited" && result.exitCode === 0)) return;
    const now = this.#now();
    const outcome = decideAttemptOutcome(job, result, backoffOf(config), now, {
      retryOn: job.retryOn ?? config.retryOn,
      noRetryOn: job.noRetryOn ?? config.noRetryOn,
    });
    const current = await this.#currentConfig();
    const finished = await this.#untilRecorded(
      job.id,
      // The claim's lease counts from when it is made, which a full disk may have delayed.
      () =>
        this.#store.finishAttemptAndClaim(
          ref,
          outcome,
          now,
          this.#claimAlongside(this.#now(), current),
        ),
    );
    const { recorded, unblocked, freedSlotClaimable, burstWakeSockets, next } = finished;
    if (next) this.#startAttempt(next, current);
    // Jobs that waited for this one may belong to queues other workers serve; a retry tells idle
    // workers when to look again, since this one may be busy when it comes due. A slot freed in
    // a limited queue and not taken back by this claim (stopping, other queues, at its own
    // concurrency) is for an idle worker, which nothing else would tell before its poll.
    // A burst worker may wait for this end only, to find its queues drained.
    if (unblocked > 0 || freedSlotClaimable || recorded && outcome.state === "failed") {
      await wakeWorkers(this.#store).catch(() => {});
    } else if (burstWakeSockets.length > 0) {
      await pokeWakeSockets(burstWakeSockets);
    }
    if (!recorded) {
      this.#options.log(
        `job ${job.id}: attempt ${job.attempts} was cancelled or recovered meanwhile; result dropped`,
      );
      return;
    }
    this.#options.log(
      `job ${job.id} attempt ${job.attempts}: ${outcome.state}${
        outcome.lastError ? ` (${outcome.lastError})` : ""
      }`,
    );
  }

  /**
   * Records an attempt's end, trying again until the database takes it (a full disk, a file
   * system remounted read-only): given up, the job would stay `processing` with its outcome
   * lost, then be recovered as if its worker had died. The attempt stays running meanwhile, so
   * heartbeats keep its lease. Only a stop --now ends the wait, leaving the job to recovery; and
   * an error that is not the database's (a bug, which trying again would not mend) is given up
   * on after the quick retries, so that recovery, not a lease renewed forever, decides the job.
   */
  async #untilRecorded<T>(jobId: string, record: () => Promise<T>): Promise<T> {
    for (let failures = 0;; failures++) {
      try {
        return await withRetries(record);
      } catch (error) {
        if (this.#stop === "now" || !(error instanceof OperationalError)) throw error;
        if (failures === 0) {
          this.#options.log(
            `job ${jobId}: recording its end failed: ${
              (error as Error).message
            }; trying again every ${RECORD_END_RETRY_MS / 1000}s`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, RECORD_END_RETRY_MS));
      }
    }
  }

  /**
   * The claim to make in the same transaction as a finish, whose attempt gives its slot up:
   * none once the worker is stopping. Asked at each try, so a stop during a retry counts.
   */
  #claimAlongside(now: number, config: Config): ClaimRequest | null {
    if (this.#stop !== "none" || this.#running.size > this.#options.concurrency) return null;
    return { worker: this.#worker!, now, lease: this.#leaseFrom(now, config) };
  }

  async #awaitExit(
    pgid: number,
    status: Promise<ExitStatus>,
    timeoutMs: number,
    config: Config,
    logPath: string,
    header: string,
  ): Promise<AttemptResult> {
    let cancelTimeout = () => {};
    const timedOut = timeoutMs > 0
      ? new Promise<"timeout">((resolve) =>
        cancelTimeout = setLongTimeout(() => resolve("timeout"), timeoutMs)
      )
      : new Promise<never>(() => {});
    let first: ExitStatus | "timeout";
    try {
      first = await Promise.race([status, timedOut]);
    } catch (error) {
      // The process ended but how is unknown (reaped elsewhere): a failed attempt, never a job
      // left processing until the worker exits.
      cancelTimeout();
      appendToLog(logPath, `queuectl: the exit status was lost: ${(error as Error).message}`);
      return { kind: "worker_lost", workerPid: Deno.pid };
    }
    cancelTimeout();
    if (first === "timeout") {
      await terminateGroup(pgid, config.killGraceMs);
      await status.catch(() => {});
      appendToLog(logPath, `queuectl: timed out after ${formatDuration(timeoutMs)}; killed`);
      return { kind: "timed_out", timeoutMs };
    }
    if (first.signal !== null) {
      return { kind: "signaled", signal: first.signal, exitCode: first.code };
    }
    if (first.code === 0) return { kind: "exited", exitCode: 0, outputTail: "" };
    const tail = readLogTail(logPath);
    const headerAt = tail.lastIndexOf(header);
    return {
      kind: "exited",
      exitCode: first.code,
      outputTail: headerAt === -1 ? tail : tail.slice(headerAt + header.length),
    };
  }

  /** Stop --now: kill every running command and give its attempt back uncounted. */
  #abandonRunning(): Promise<void> {
    this.#abandoning ??= this.#killAndRequeueRunning();
    return this.#abandoning;
  }

  async #killAndRequeueRunning(): Promise<void> {
    const config = await this.#currentConfig();
    const requeued = await Promise.all([...this.#running.values()].map(async (attempt) => {
      if (attempt.pgid !== null) await terminateGroup(attempt.pgid, config.killGraceMs);
      await attempt.done;
      if (!await this.#store.requeueAttempt(attempt.ref, this.#now())) return false;
      appendToLog(
        jobLogPath(this.#options.layout, attempt.job.id),
        "queuectl: worker stopped with --now; the job goes back to pending",
      );
      return true;
    }));
    // A job given back is due at once: a worker that keeps running may take it now.
    if (requeued.includes(true)) await wakeWorkers(this.#store).catch(() => {});
  }

  /**
   * A heartbeat (`#maintain`), then the next one scheduled. One at a time: asked for while one
   * runs (a poke, the timer), another follows it at once, since the request that the poke
   * announces may have been committed after this one read the worker's row.
   */
  async #beat(): Promise<void> {
    // A heartbeat asked for on a connection accepted before the worker stopped: its row is gone.
    if (this.#finished) return;
    if (this.#beating) {
      this.#beatAgain = true;
      return;
    }
    this.#beating = this.#beatUntilCaughtUp().finally(() => this.#beating = null);
    await this.#beating;
  }

  async #beatUntilCaughtUp(): Promise<void> {
    clearTimeout(this.#heartbeatTimer);
    do {
      this.#beatAgain = false;
      try {
        await this.#maintain();
      } catch (error) {
        this.#options.log(`heartbeat failed: ${(error as Error).message}`);
      }
    } while (this.#beatAgain && !this.#finished);
    if (!this.#finished) this.#scheduleHeartbeat();
    // The poll that waited for this heartbeat (idleWaitMs).
    this.#waker.wake();
  }

  #scheduleHeartbeat(): void {
    const periodMs = (this.#config!.leaseSeconds * 1000) / 3;
    this.#nextHeartbeatAt = this.#now() + periodMs;
    this.#heartbeatTimer = setTimeout(() => void this.#beat(), periodMs);
  }

  /** Heartbeat, stop requests, and recovery of jobs whose workers were lost. */
  async #maintain(): Promise<void> {
    this.#reapOrphans();
    if (this.#databaseRemoved()) return;
    const config = await this.#currentConfig();
    const now = this.#now();
    const monotonicNow = this.#monotonicNow();
    const running = [...this.#running];
    const me = await this.#store.heartbeat(
      this.#worker!.id,
      running.map((attempt) => attempt.ref),
      now,
      leaseFrom(now, monotonicNow, config.leaseSeconds * 1000),
    );
    if (me === null) {
      this.#options.log("this worker's record was removed (judged lost); stopping now");
      this.#requestStop("now");
      return;
    }
    if (me.stopRequest !== "none") this.#requestStop(me.stopRequest);
    await this.#killAttemptsTakenAway(running, me, config);
    const recovered = await recoverLostAttempts(this.#store, {
      now,
      host: this.#host,
      self: this.#worker!.id,
      leaseMs: config.leaseSeconds * 1000,
      backoff: backoffOf(config),
      layout: this.#options.layout,
      monotonicNow,
    });
    for (const line of recovered) this.#options.log(line);
    if (recovered.length > 0) {
      this.#idle = null;
      this.#waker.wake();
      await wakeWorkers(this.#store).catch(() => {});
    }
    await this.#applyRetention(config, now);
  }

  /**
   * Whether the database file was removed or replaced (`rm -rf` of the home) since this worker
   * opened it; if so, stops now. SQLite goes on with the unlinked file, so the worker would run
   * on unseen by anyone: no command reaches its jobs, and it never sees a new home's.
   */
  #databaseRemoved(): boolean {
    if (this.#databaseIdentity === null || this.#databaseLost !== null) return false;
    const path = this.#options.layout.database;
    if (fileIdentity(path) === this.#databaseIdentity) return false;
    this.#databaseLost = new OperationalError(
      `The database ${path} was removed or replaced while this worker ran: start workers again for the new one ('queuectl worker start')`,
    );
    this.#options.log(`the database ${path} was removed or replaced; stopping now`);
    this.#requestStop("now");
    return true;
  }

  /**
   * Kills running commands whose jobs are no longer this worker's (cancelled, or recovered
   * after a stall): `cancel` kills them itself on this host; this covers every other case.
   * Only attempts that ran before the heartbeat read the worker's jobs are judged: one claimed
   * since is not among them.
   */
  async #killAttemptsTakenAway(
    before: readonly RunningAttempt[],
    me: WorkerRecord,
    config: Config,
  ): Promise<void> {
    const mine = new Set(me.currentJobs);
    await Promise.all(before.map(async (attempt) => {
      if (mine.has(attempt.job.id) || attempt.pgid === null || !this.#running.has(attempt)) {
        return;
      }
      this.#options.log(`job ${attempt.job.id}: no longer held by this worker; killing it`);
      await terminateGroup(attempt.pgid, config.killGraceMs);
    }));
  }

  /**
   * With `retention` set, deletes old terminal jobs in bounded batches, at most once a minute
   * (or once per retention period, if shorter, but not more than once a second).
   */
  async #applyRetention(config: Config, now: number): Promise<void> {
    const interval = Math.min(RETENTION_INTERVAL_MS, Math.max(1000, config.retentionMs));
    if (config.retentionMs === 0 || now - this.#prunedAt < interval) return;
    this.#prunedAt = now;
    const deleted = await pruneTerminalJobs(
      this.#store,
      this.#options.layout,
      { states: TERMINAL_STATES, finishedBefore: now - config.retentionMs, now },
      RETENTION_BATCH,
    );
    if (deleted > 0) this.#options.log(`retention: deleted ${deleted} old job(s)`);
  }

  /**
   * The settings, re-read at most once a second and only when another connection has
   * committed since (`config set` is such a commit), so an idle worker reads nothing.
   */
  async #currentConfig(): Promise<Config> {
    if (this.#config !== null && this.#now() - this.#configReadAt < CONFIG_REFRESH_MS) {
      return this.#config;
    }
    const version = await this.#store.dataVersion();
    if (this.#config === null || version !== this.#configVersion) {
      this.#config = configFromStored(await this.#store.readConfigValues());
      this.#configVersion = version;
    }
    this.#configReadAt = this.#now();
    return this.#config;
  }

  #requestStop(mode: "graceful" | "now"): void {
    if (mode === "now" && this.#stop !== "now") {
      this.#stop = "now";
      this.#options.log(
        this.#running.size === 0
          ? "stopping now: no job running"
          : `stopping now: killing ${this.#running.size} running job(s)`,
      );
      if (this.#running.size > 0) void this.#abandonRunning();
    } else if (this.#stop === "none") {
      this.#stop = mode;
      this.#options.log(
        this.#running.size === 0
          ? "stopping: no job running"
          : `stopping: waiting for ${this.#running.size} running job(s)`,
      );
    }
    this.#waker.wake();
    // Recorded so that `worker list` and `status` show the worker as stopping.
    this.#store.requestStop([this.#worker!.id], this.#stop === "now" ? "now" : "graceful")
      .catch((error) => this.#options.log(`recording the stop failed: ${error.message}`));
  }

  /** As a container's first process: reaps the processes its jobs left (orphan_reaper.ts). */
  #reapOrphans(): void {
    if (Deno.pid !== 1) return;
    const libc = loadLibc();
    if (libc === null) return;
    const ownChildren = new Set<number>();
    for (const attempt of this.#running) if (attempt.pgid !== null) ownChildren.add(attempt.pgid);
    reapOrphanedZombies(libc, ownChildren);
  }

  #listenForSignals(): () => void {
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    const handler = async () => {
      // A double Ctrl-C. Not "any signal while stopping": a worker that saw a graceful stop
      // request at its heartbeat and then gets that same stop's SIGTERM would kill its jobs.
      if (++this.#signals > 1) {
        this.#requestStop("now");
        return;
      }
      const record = await this.#store.getWorker(this.#worker!.id).catch(() => null);
      this.#requestStop(record?.stopRequest === "now" ? "now" : "graceful");
    };
    for (const signal of signals) Deno.addSignalListener(signal, handler);
    // A write past the file size limit (ulimit -f) kills a process by SIGXFSZ, which left no
    // word in the worker's log and its jobs to lease recovery. Caught, the write fails with
    // EFBIG instead, reported as a full disk is. Caught, not ignored: a caught signal is reset
    // to its default at exec, so a job's command gets the default, as an ignored one it would
    // inherit. Only here: a listener costs each short command ~2.4 ms of startup.
    const fileSizeLimit = Deno.build.os === "windows" ? null : () => {};
    if (fileSizeLimit) Deno.addSignalListener("SIGXFSZ", fileSizeLimit);
    return () => {
      for (const signal of signals) Deno.removeSignalListener(signal, handler);
      if (fileSizeLimit) Deno.removeSignalListener("SIGXFSZ", fileSizeLimit);
    };
  }
}

const RETRIES = 5;

/**
 * Runs a store call again after a busy database (the lock hand-over is unfair under load); a
 * result lost for good would leave the job to lease recovery, counted as a failed attempt.
 */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** A file's device and inode, "missing" when it is not there, null where the OS gives none. */
function fileIdentity(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    return info.ino === null ? null : `${info.dev}:${info.ino}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    throw error;
  }
}

function backoffOf(config: Config): BackoffPolicy {
  return { base: config.backoffBase, unitMs: config.backoffUnitMs, maxMs: config.backoffMaxMs };
}

async function describeStartFailure(failure: string, cwd: string): Promise<string> {
  try {
    const info = await Deno.stat(cwd);
    if (!info.isDirectory) return `${cwd} is not a directory`;
  } catch {
    return `directory ${cwd} does not exist`;
  }
  return failure;
}
