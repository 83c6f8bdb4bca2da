import { MAX_TIMER_MS } from "./long_timer.ts";

/**
 * Lets an idle worker sleep until something happens: a timeout, a finished job, a signal, or a
 * poke on its wake socket. A wake that arrives while nobody waits is kept for the next wait.
 */
export class Waker {
  #pending = false;
  #resolve: (() => void) | null = null;

  wake(): void {
    if (this.#resolve) {
      const resolve = this.#resolve;
      this.#resolve = null;
      resolve();
    } else {
      this.#pending = true;
    }
  }

  /**
   * Resolves after `ms` or on the next wake, whichever comes first; Infinity sets no timer. A
   * wait past setTimeout's limit ends at the limit: the waiter looks again, and waits again.
   */
  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    if (ms === Infinity) {
      return new Promise((resolve) => this.#resolve = resolve);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#resolve = null;
        resolve();
      }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
      this.#resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
