/**
 * The pause of a worker's claims while commands cannot start for want of its own processes,
 * open files or memory (resource_shortage.ts): from `minMs`, doubling while starts keep failing
 * so, up to `maxMs`. Times are `performance.now()`: a step of the wall clock moves no pause.
 */
export class StartShortage {
  readonly #minMs: number;
  readonly #maxMs: number;
  #pauseMs = 0;
  #until = 0;

  constructor(minMs: number, maxMs: number) {
    this.#minMs = minMs;
    this.#maxMs = maxMs;
  }

  /** How long claims stay paused from `now`; 0: not paused. */
  remainingMs(now: number): number {
    return Math.max(0, this.#until - now);
  }

  /**
   * A start failed so at `now`. The starts of one round of claims fail together: a failure
   * within the pause changes nothing, so that the pause grows once a round, not once a job.
   * Says whether this one began a shortage, and whether the pause it ended was the longest.
   */
  failed(now: number): { readonly began: boolean; readonly exhausted: boolean } {
    if (now < this.#until) return { began: false, exhausted: false };
    const began = this.#pauseMs === 0;
    const exhausted = this.#pauseMs === this.#maxMs;
    this.#pauseMs = Math.min(this.#maxMs, Math.max(this.#minMs, this.#pauseMs * 2));
    this.#until = now + this.#pauseMs;
    return { began, exhausted };
  }

  /** A command started: whether that ended a shortage. */
  started(): boolean {
    const ended = this.#pauseMs !== 0;
    this.#pauseMs = 0;
    this.#until = 0;
    return ended;
  }
}
