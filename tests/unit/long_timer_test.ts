import assert from "node:assert/strict";
import { MAX_TIMER_MS, setLongTimeout, type TimerClock } from "../../src/worker/long_timer.ts";

const DAY_MS = 86_400_000;

/** A clock whose time moves only when told; it refuses delays setTimeout would not honour. */
class FakeClock implements TimerClock {
  time = 0;
  readonly delays: number[] = [];
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    assert.ok(ms >= 0 && ms <= MAX_TIMER_MS, `setTimeout(${ms}) would fire at once`);
    this.delays.push(ms);
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(id: number): void {
    this.#timers.delete(id);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time on by `ms`, firing the timers that come due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, timer]) => timer.at <= end)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      // A timer fires no earlier than its time, and never moves the clock back.
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
  }
}

Deno.test("setLongTimeout() fires after a delay setTimeout takes as it is", () => {
  const clock = new FakeClock();
  let fired = 0;
  setLongTimeout(() => fired++, 5_000, clock);
  assert.deepEqual(clock.delays, [5_000]);
  clock.advance(4_999);
  assert.equal(fired, 0);
  clock.advance(1);
  assert.equal(fired, 1);
});

Deno.test("setLongTimeout() waits out 30 days in chunks, firing once at the end", () => {
  const clock = new FakeClock();
  let fired = 0;
  setLongTimeout(() => fired++, 30 * DAY_MS, clock);
  clock.advance(30 * DAY_MS - 1);
  assert.equal(fired, 0);
  assert.ok(clock.delays.length >= 2, String(clock.delays));
  clock.advance(1);
  assert.equal(fired, 1);
  assert.equal(clock.pending, 0);
});

Deno.test("setLongTimeout() goes by the clock when a chunk's timer fires late", () => {
  const clock = new FakeClock();
  let firedAt = -1;
  setLongTimeout(() => firedAt = clock.now(), 100 * 365 * DAY_MS, clock);
  // A suspended machine: the first chunk's timer fires long after it was due.
  clock.time += 99 * 365 * DAY_MS;
  clock.advance(365 * DAY_MS);
  assert.equal(firedAt, 100 * 365 * DAY_MS);
});

Deno.test("setLongTimeout()'s cancel stops a long wait in any chunk", () => {
  const clock = new FakeClock();
  let fired = 0;
  const cancel = setLongTimeout(() => fired++, 60 * DAY_MS, clock);
  clock.advance(MAX_TIMER_MS + 1);
  cancel();
  assert.equal(clock.pending, 0);
  clock.advance(60 * DAY_MS);
  assert.equal(fired, 0);
});

Deno.test("setLongTimeout() with the real timers fires and leaves no timer behind", async () => {
  await new Promise<void>((resolve) => setLongTimeout(resolve, 5));
  const cancel = setLongTimeout(() => assert.fail("cancelled, yet fired"), 30 * DAY_MS);
  cancel();
});
