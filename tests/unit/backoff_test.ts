import assert from "node:assert/strict";
import { type BackoffPolicy, retryDelayMs } from "../../src/core/backoff.ts";
import { DEFAULT_CONFIG } from "../../src/core/config.ts";

const DEFAULTS: BackoffPolicy = {
  base: DEFAULT_CONFIG.backoffBase,
  unitMs: DEFAULT_CONFIG.backoffUnitMs,
  maxMs: DEFAULT_CONFIG.backoffMaxMs,
};

Deno.test("retryDelayMs() defaults are base 2, unit 1s, cap 1h", () => {
  assert.deepEqual(DEFAULTS, { base: 2, unitMs: 1000, maxMs: 3_600_000 });
});

Deno.test("retryDelayMs() with the defaults waits 2s, 4s, 8s, ... then 1h from attempt 12", () => {
  const delays = Array.from({ length: 14 }, (_, index) => retryDelayMs(index + 1, DEFAULTS));
  assert.deepEqual(delays, [
    2_000,
    4_000,
    8_000,
    16_000,
    32_000,
    64_000,
    128_000,
    256_000,
    512_000,
    1_024_000,
    2_048_000,
    3_600_000,
    3_600_000,
    3_600_000,
  ]);
});

Deno.test("retryDelayMs() stays at the cap when base^attempts overflows", () => {
  assert.equal(retryDelayMs(2000, DEFAULTS), 3_600_000);
  assert.equal(retryDelayMs(10_000, { base: 100, unitMs: 1000, maxMs: 5000 }), 5000);
});

Deno.test("retryDelayMs() grows with the base", () => {
  const policy = { base: 3, unitMs: 1000, maxMs: 3_600_000 };
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, policy)), [3000, 9000, 27_000, 81_000]);
});

Deno.test("retryDelayMs() with base 1 waits one unit every time", () => {
  const policy = { base: 1, unitMs: 1500, maxMs: 3_600_000 };
  assert.deepEqual([1, 2, 10].map((n) => retryDelayMs(n, policy)), [1500, 1500, 1500]);
});

Deno.test("retryDelayMs() rounds a fractional base to whole milliseconds", () => {
  const policy = { base: 1.5, unitMs: 1000, maxMs: 3_600_000 };
  assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(n, policy)), [1500, 2250, 3375]);
});

Deno.test("retryDelayMs() scales with a millisecond unit (as tests configure)", () => {
  const policy = { base: 2, unitMs: 10, maxMs: 100 };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy)), [20, 40, 80, 100, 100]);
});

Deno.test("retryDelayMs() never exceeds a cap below the first delay", () => {
  assert.equal(retryDelayMs(1, { base: 2, unitMs: 1000, maxMs: 500 }), 500);
});
