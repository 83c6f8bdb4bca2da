import assert from "node:assert/strict";
import {
  describeType,
  formatDuration,
  formatDurationExact,
  MAX_DURATION_MS,
  parseDuration,
  parseDurationValue,
} from "../../src/core/duration.ts";
import { UsageError } from "../../src/core/errors.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const VALID: readonly [string, number][] = [
  ["500ms", 500],
  ["30s", 30 * SECOND],
  ["5m", 5 * MINUTE],
  ["2h", 2 * HOUR],
  ["1d", DAY],
  ["1h30m", HOUR + 30 * MINUTE],
  ["1m30s500ms", MINUTE + 30 * SECOND + 500],
  ["1.5s", 1500],
  ["0.5h", 30 * MINUTE],
  ["90", 90 * SECOND],
  ["1.5", 1500],
  ["0", 0],
  ["0s", 0],
  [" 30s ", 30 * SECOND],
  ["36500d", MAX_DURATION_MS],
];

for (const [text, expected] of VALID) {
  Deno.test(`parseDuration() accepts ${JSON.stringify(text)} as ${expected}ms`, () => {
    assert.equal(parseDuration(text), expected);
  });
}

const INVALID = [
  "",
  "   ",
  "abc",
  "-5s",
  "-1",
  "5 s",
  "5x",
  "s",
  "1e3",
  "5S",
  ".5s",
  "5s-",
  "1h 30m",
];

for (const text of INVALID) {
  Deno.test(`parseDuration() rejects ${JSON.stringify(text)} naming it and the accepted forms`, () => {
    assert.throws(() => parseDuration(text), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.exitCode, 2);
      assert.equal(
        error.message,
        `Invalid duration "${text}": use a number with a unit, such as 500ms, 30s, 5m, 2h or 1d`,
      );
      return true;
    });
  });
}

Deno.test("parseDuration() names the option it parses in its error", () => {
  assert.throws(() => parseDuration("soon", "--delay"), {
    name: "UsageError",
    message: /^Invalid --delay "soon": use a number with a unit/,
  });
});

Deno.test("parseDuration() rejects more than 100 years", () => {
  assert.throws(() => parseDuration("36501d"), {
    name: "UsageError",
    message: 'Invalid duration "36501d": at most 100 years',
  });
  assert.throws(() => parseDuration("99999999999"), { message: /at most 100 years/ });
});

Deno.test("parseDuration() rounds to whole milliseconds", () => {
  assert.equal(parseDuration("1.0004s"), 1000);
  assert.equal(parseDuration("1.0006s"), 1001);
  assert.equal(parseDuration("0.5ms"), 1);
  assert.equal(parseDuration("0ms"), 0);
});

Deno.test("parseDuration() refuses a duration that is not zero but would round to zero", () => {
  // A timeout of 0 means none: 0.0001s must not turn into no timeout at all.
  assert.throws(() => parseDuration("0.0001s", "job_timeout"), {
    name: "UsageError",
    message: 'Invalid job_timeout "0.0001s": under 1ms; give at least 1ms, or 0 for none',
  });
  assert.throws(() => parseDuration("0.25ms"), { name: "UsageError" });
  assert.throws(() => parseDurationValue(1e-7, '"timeout"'), {
    name: "UsageError",
    message: 'Invalid "timeout" 1e-7: under 1ms; give at least 1ms, or 0 for none',
  });
});

Deno.test("parseDurationValue() reads a JSON number as seconds", () => {
  assert.equal(parseDurationValue(30, '"delay"'), 30 * SECOND);
  assert.equal(parseDurationValue(1.5, '"delay"'), 1500);
  assert.equal(parseDurationValue(0, '"delay"'), 0);
});

Deno.test("parseDurationValue() reads a JSON string as a duration", () => {
  assert.equal(parseDurationValue("5m", '"timeout"'), 5 * MINUTE);
  assert.equal(parseDurationValue("90", '"timeout"'), 90 * SECOND);
});

Deno.test("parseDurationValue() rejects a negative number naming the field and value", () => {
  assert.throws(() => parseDurationValue(-1, '"delay"'), {
    name: "UsageError",
    message: 'Invalid "delay" -1: give a number of seconds of at least 0',
  });
});

Deno.test("parseDurationValue() reads numbers that JSON writes in exponent form", () => {
  assert.equal(parseDurationValue(1e-3, '"delay"'), 1);
  assert.equal(parseDurationValue(2.5e3, '"delay"'), 2_500_000);
  assert.throws(() => parseDurationValue(1e21, '"delay"'), {
    name: "UsageError",
    message: 'Invalid "delay" 1e+21: at most 100 years',
  });
  assert.equal(parseDurationValue(MAX_DURATION_MS / 1000, '"delay"'), MAX_DURATION_MS);
  assert.throws(() => parseDurationValue(MAX_DURATION_MS / 1000 + 1, '"delay"'), {
    message: /at most 100 years/,
  });
});

Deno.test("parseDurationValue() rejects non-finite numbers", () => {
  assert.throws(() => parseDurationValue(Infinity, '"delay"'), { name: "UsageError" });
  assert.throws(() => parseDurationValue(NaN, '"delay"'), { name: "UsageError" });
});

Deno.test("parseDurationValue() rejects a bad string like parseDuration", () => {
  assert.throws(() => parseDurationValue("soon", '"timeout"'), {
    name: "UsageError",
    message: /^Invalid "timeout" "soon": use a number with a unit/,
  });
});

for (
  const [value, described] of [
    [true, "a boolean"],
    [null, "null"],
    [[30], "an array"],
    [{ seconds: 30 }, "an object"],
  ] as const
) {
  Deno.test(`parseDurationValue() rejects ${described} naming the expected forms`, () => {
    assert.throws(() => parseDurationValue(value, '"delay"'), {
      name: "UsageError",
      message:
        `Invalid "delay": expected a duration such as "30s" or a number of seconds, got ${described}`,
    });
  });
}

Deno.test("describeType() names JSON types with the right article", () => {
  assert.equal(describeType(null), "null");
  assert.equal(describeType([]), "an array");
  assert.equal(describeType({}), "an object");
  assert.equal(describeType("x"), "a string");
  assert.equal(describeType(1), "a number");
  assert.equal(describeType(false), "a boolean");
});

const FORMATTED: readonly [number, string][] = [
  [0, "0ms"],
  [1, "1ms"],
  [250, "250ms"],
  [999, "999ms"],
  [1000, "1s"],
  [1500, "1.5s"],
  [1549, "1.5s"],
  [30 * SECOND, "30s"],
  [59_949, "59.9s"],
  [59_950, "1m"],
  [MINUTE, "1m"],
  [90 * SECOND, "1m30s"],
  [HOUR, "1h"],
  [HOUR + 30 * MINUTE, "1h30m"],
  [HOUR + SECOND, "1h1s"],
  [HOUR + MINUTE + 29_999, "1h1m"],
  [HOUR + MINUTE + 30 * SECOND, "1h2m"],
  [2 * HOUR - SECOND, "2h"],
  [DAY, "1d"],
  [DAY - 30 * SECOND, "1d"],
  [DAY + 59 * MINUTE + 30 * SECOND, "1d1h"],
  [3 * DAY + 4 * HOUR + 5 * MINUTE, "3d4h"],
  [3 * DAY + 4 * HOUR + 59 * MINUTE, "3d5h"],
];

for (const [ms, expected] of FORMATTED) {
  Deno.test(`formatDuration() writes ${ms}ms as ${expected}`, () => {
    assert.equal(formatDuration(ms), expected);
  });
}

Deno.test("formatDuration() output parses back to the same value for whole units", () => {
  for (const ms of [0, 250, 1000, 1500, 30 * SECOND, 90 * SECOND, HOUR, 36 * HOUR, 7 * DAY]) {
    assert.equal(parseDuration(formatDuration(ms)), ms, `round trip of ${ms}ms`);
  }
});

const EXACT: readonly [number, string][] = [
  [0, "0"],
  [1, "1ms"],
  [1000, "1s"],
  [1234, "1s234ms"],
  [59_950, "59s950ms"],
  [90_500, "1m30s500ms"],
  [HOUR + 30 * MINUTE + 15 * SECOND, "1h30m15s"],
  [DAY + HOUR + MINUTE, "1d1h1m"],
  [30 * DAY, "30d"],
];

for (const [ms, expected] of EXACT) {
  Deno.test(`formatDurationExact() writes ${ms}ms as ${expected}, losing nothing`, () => {
    assert.equal(formatDurationExact(ms), expected);
    assert.equal(parseDuration(expected), ms);
  });
}
