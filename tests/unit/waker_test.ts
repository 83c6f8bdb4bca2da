import assert from "node:assert/strict";
import { MAX_TIMER_MS } from "../../src/worker/long_timer.ts";
import { Waker } from "../../src/worker/waker.ts";

/** Settles within `ms` (true) or not (false), without leaving a timer behind. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  const result = await Promise.race([promise.then(() => true), late]);
  clearTimeout(timer);
  return result;
}

Deno.test("Waker.wait() resolves when its time is up", async () => {
  assert.equal(await settlesWithin(new Waker().wait(10), 5_000), true);
});

Deno.test("Waker.wait() resolves on a wake before its time", async () => {
  const waker = new Waker();
  const waiting = waker.wait(60_000);
  waker.wake();
  assert.equal(await settlesWithin(waiting, 5_000), true);
});

Deno.test("Waker.wait(Infinity) sets no timer and resolves only on a wake", async () => {
  const waker = new Waker();
  const waiting = waker.wait(Infinity);
  // A timer left pending would fail this test through Deno's leak check.
  assert.equal(await settlesWithin(waiting, 50), false);
  waker.wake();
  assert.equal(await settlesWithin(waiting, 5_000), true);
});

Deno.test("Waker keeps a wake that came while nobody waited for the next wait", async () => {
  const waker = new Waker();
  waker.wake();
  assert.equal(await settlesWithin(waker.wait(Infinity), 50), true);
});

Deno.test("Waker.wait() past setTimeout's limit does not end at once", async () => {
  const waker = new Waker();
  // Deno runs a longer timer after 1 ms: an idle worker would then spin.
  const waiting = waker.wait(MAX_TIMER_MS + 1);
  assert.equal(await settlesWithin(waiting, 50), false);
  waker.wake();
  assert.equal(await settlesWithin(waiting, 5_000), true);
});
