import type { Store } from "../store/store.ts";

/** Without file-system events (none on this file system, or the watch failed): look this often. */
const POLL_MS = 20;
/** With them, look at least this often anyway: an event can be lost (a full inotify queue). */
const FALLBACK_MS = 1_000;
/**
 * After an event, look this long after it, then again at the later ones: a commit writes the
 * write-ahead log before it becomes visible to other connections, so the first look can come
 * too early, and nothing else may be written after it.
 */
const LOOK_AFTER_EVENT_MS = [2, 10, 50];
/**
 * The least time between two looks: short while events are rare, so that one commit is seen
 * within milliseconds; longer while they keep coming (a busy queue, a job writing its log), so
 * that a waiting command does not look after every write.
 */
const QUIET_GAP_MS = 2;
const BUSY_GAP_MS = 20;
/** Events are "coming" while the previous look that followed one is this recent. */
const BUSY_WINDOW_MS = 100;
/**
 * This many events within FLOOD_WINDOW_MS flood the watcher. Each event costs this process
 * ~170 µs of CPU in Deno's watcher, however little it then does: a drain by two workers writes
 * the write-ahead log ~700 times a second, and a `wait` on a job of another queue spent ~12% of a
 * core on the events alone. Flooded, it stops watching and looks every POLL_MS, as often as it
 * looked while busy anyway (BUSY_GAP_MS), for FLOOD_POLL_MS, then watches again.
 */
const FLOOD_EVENTS = 25;
const FLOOD_WINDOW_MS = 100;
const FLOOD_POLL_MS = 2_000;

export interface ChangeWatcherOptions {
  /** The longest time between two looks when file-system events work (tests lengthen it). */
  readonly fallbackMs?: number;
  /** How long a flooded watcher polls before it watches again (tests shorten it). */
  readonly floodPollMs?: number;
}

/**
 * Tells a waiting command (`wait`, `run`, `logs --follow`) when to look at the queue again: soon
 * after a file-system event on the watched paths (the store's commit file, the write-ahead log
 * that every commit writes; the logs directory, where jobs write their output), otherwise
 * rarely. Before, they looked every 20 ms whatever happened: ~14 CPU-ms per second for a
 * `wait` on a job that runs for hours, and up to 20 ms to see its end.
 *
 * Never the data directory: Deno's watcher opens and closes each file an event names, to compare
 * it with the watched paths, and closing the database or its `-shm` file dropped this process's
 * SQLite locks (POSIX drops all of a process's locks on a file when it closes any descriptor of
 * it). Another process then took the shared memory for its own, truncating it under this one's
 * mapping: a `wait` died of SIGBUS (exit 135), or read "database is locked".
 */
export class ChangeWatcher implements Disposable {
  /** What to watch again after a flood; null: nothing can be watched, or the watcher is closed. */
  #paths: readonly string[] | null;
  #fsWatcher: Deno.FsWatcher | null;
  readonly #fallbackMs: number;
  readonly #floodPollMs: number;
  #lastEventAt = -Infinity;
  #lastEventLookAt = -Infinity;
  #floodWindowStart = -Infinity;
  #floodWindowEvents = 0;
  /** While flooded: when to watch again (a `performance.now()` time). */
  #pollingUntil = -Infinity;
  #onEvent: (() => void) | null = null;
  #lookNow: (() => void) | null = null;

  private constructor(
    paths: readonly string[] | null,
    fsWatcher: Deno.FsWatcher | null,
    options: ChangeWatcherOptions,
  ) {
    this.#paths = paths;
    this.#fsWatcher = fsWatcher;
    this.#fallbackMs = options.fallbackMs ?? FALLBACK_MS;
    this.#floodPollMs = options.floodPollMs ?? FLOOD_POLL_MS;
    if (fsWatcher) this.#listen(fsWatcher);
  }

  /**
   * Watches `paths` (a null stands for a path the store does not have); polls instead when they
   * cannot be watched.
   */
  static open(
    paths: readonly (string | null)[],
    options: ChangeWatcherOptions = {},
  ): ChangeWatcher {
    let fsWatcher: Deno.FsWatcher | null = null;
    const watched = paths.filter((path) => path !== null);
    try {
      if (watched.length === paths.length) {
        fsWatcher = Deno.watchFs(watched, { recursive: false });
      }
    } catch {
      // No watch (a missing path, the inotify limit): looking every POLL_MS still works.
    }
    return new ChangeWatcher(fsWatcher ? watched : null, fsWatcher, options);
  }

  /** Whether file-system events drive the looks (false: polling every 20 ms). */
  get watching(): boolean {
    return this.#fsWatcher !== null;
  }

  async #listen(fsWatcher: Deno.FsWatcher): Promise<void> {
    try {
      for await (const _event of fsWatcher) {
        // One closed for a flood may still hand over what it had read.
        if (fsWatcher !== this.#fsWatcher) return;
        const now = performance.now();
        this.#lastEventAt = now;
        if (now - this.#floodWindowStart > FLOOD_WINDOW_MS) {
          this.#floodWindowStart = now;
          this.#floodWindowEvents = 0;
        }
        if (++this.#floodWindowEvents >= FLOOD_EVENTS) this.#pollForAWhile(now);
        this.#onEvent?.();
      }
    } catch {
      // Closed, or the watch broke: the fallback looks go on.
    }
  }

  #pollForAWhile(now: number): void {
    this.#closeFsWatcher();
    this.#pollingUntil = now + this.#floodPollMs;
  }

  /** After a flood's polling time: watches again, or goes on polling if it cannot. */
  #watchAgainAfterFlood(): void {
    if (this.#fsWatcher || !this.#paths || performance.now() < this.#pollingUntil) return;
    try {
      this.#fsWatcher = Deno.watchFs([...this.#paths], { recursive: false });
    } catch {
      this.#paths = null;
      return;
    }
    this.#floodWindowEvents = 0;
    this.#listen(this.#fsWatcher);
    // A commit since the last look wrote before the watch began: look soon, as after an event.
    this.#lastEventAt = performance.now();
  }

  #closeFsWatcher(): void {
    try {
      this.#fsWatcher?.close();
    } catch {
      // Closed already.
    }
    this.#fsWatcher = null;
  }

  /**
   * Resolves when it is time to look again, after a look that found nothing new: shortly after
   * a file-system event, at the latest after the fallback interval, and no later than `until`
   * (a `Date.now()` time; Infinity for none), or at `wake()`.
   */
  pause(until: number): Promise<void> {
    this.#watchAgainAfterFlood();
    const lookedAt = performance.now();
    const end = lookedAt + Math.max(0, until - Date.now());
    const gap = lookedAt - this.#lastEventLookAt < BUSY_WINDOW_MS ? BUSY_GAP_MS : QUIET_GAP_MS;
    const nextLookAt = () => {
      if (!this.#fsWatcher) return Math.min(end, lookedAt + POLL_MS);
      const afterEvent = LOOK_AFTER_EVENT_MS.map((ms) => this.#lastEventAt + ms)
        .filter((at) => at > lookedAt);
      const soonest = Math.min(lookedAt + this.#fallbackMs, ...afterEvent);
      return Math.min(end, Math.max(lookedAt + gap, soonest));
    };
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const look = () => {
        clearTimeout(timer);
        this.#onEvent = null;
        this.#lookNow = null;
        if (this.#lastEventAt > lookedAt) this.#lastEventLookAt = performance.now();
        resolve();
      };
      const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(look, Math.max(0, nextLookAt() - performance.now()));
      };
      this.#onEvent = schedule;
      this.#lookNow = look;
      schedule();
    });
  }

  /**
   * Waits `ms`, whatever file-system events come, or until `wake()`: a command whose looks cost
   * much (`wait` for thousands of jobs) spaces them out, however busy the queue.
   */
  rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#lookNow?.(), Math.max(0, ms));
      this.#lookNow = () => {
        clearTimeout(timer);
        this.#lookNow = null;
        resolve();
      };
    });
  }

  /** Ends the pending pause now: the waiting command has something else to look at. */
  wake(): void {
    this.#lookNow?.();
  }

  [Symbol.dispose](): void {
    this.#onEvent = null;
    this.#lookNow = null;
    this.#paths = null;
    this.#closeFsWatcher();
  }
}

/**
 * Resolves once the database has changed since `version` (another connection committed),
 * `until` has come, or `stopped()` says so (it is asked at each look: `watcher.wake()` brings
 * one at once). Reads SQLite's data_version, which reads shared memory and no table, each time
 * the watcher says to look.
 */
export async function waitForChange(
  store: Pick<Store, "dataVersion">,
  watcher: ChangeWatcher,
  version: number,
  until: number,
  stopped: () => boolean = () => false,
): Promise<number> {
  for (;;) {
    const current = await store.dataVersion();
    if (current !== version || Date.now() >= until || stopped()) return current;
    await watcher.pause(until);
  }
}
