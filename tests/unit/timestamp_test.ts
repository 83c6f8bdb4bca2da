import assert from "node:assert/strict";
import { UsageError } from "../../src/core/errors.ts";
import { parseTimestamp, toIso } from "../../src/core/timestamp.ts";

const VALID_ZONED: readonly [string, number][] = [
  ["2026-12-01T09:30:00Z", Date.UTC(2026, 11, 1, 9, 30)],
  ["2026-12-01T09:30Z", Date.UTC(2026, 11, 1, 9, 30)],
  ["2026-12-01 09:30:00Z", Date.UTC(2026, 11, 1, 9, 30)],
  ["2026-12-01t09:30:00z", Date.UTC(2026, 11, 1, 9, 30)],
  ["2026-12-01T09:30:00.123Z", Date.UTC(2026, 11, 1, 9, 30, 0, 123)],
  ["2026-12-01T09:30:00.1Z", Date.UTC(2026, 11, 1, 9, 30, 0, 100)],
  ["2026-12-01T09:30:00.290Z", Date.UTC(2026, 11, 1, 9, 30, 0, 290)],
  ["2026-12-01T09:30:00.123456789Z", Date.UTC(2026, 11, 1, 9, 30, 0, 123)],
  ["2026-12-01T09:30:00+05:30", Date.UTC(2026, 11, 1, 4, 0)],
  ["2026-12-01T09:30:00+0530", Date.UTC(2026, 11, 1, 4, 0)],
  ["2026-12-01T09:30:00-08:00", Date.UTC(2026, 11, 1, 17, 30)],
  ["2026-12-01T09:30:00+00:00", Date.UTC(2026, 11, 1, 9, 30)],
  ["2028-02-29T00:00:00Z", Date.UTC(2028, 1, 29)],
  ["1970-01-01T00:00:00Z", 0],
  [" 2026-12-01T09:30:00Z ", Date.UTC(2026, 11, 1, 9, 30)],
];

for (const [text, expected] of VALID_ZONED) {
  Deno.test(`parseTimestamp() reads ${JSON.stringify(text)}`, () => {
    assert.equal(parseTimestamp(text), expected);
  });
}

Deno.test("parseTimestamp() reads a time without a zone as local time", () => {
  assert.equal(parseTimestamp("2026-12-01T09:30"), new Date(2026, 11, 1, 9, 30).getTime());
  assert.equal(
    parseTimestamp("2026-07-15T23:59:59.5"),
    new Date(2026, 6, 15, 23, 59, 59, 500).getTime(),
  );
});

Deno.test("parseTimestamp() reads a date alone as local midnight", () => {
  assert.equal(parseTimestamp("2026-12-01"), new Date(2026, 11, 1).getTime());
});

const MALFORMED = [
  "",
  "tomorrow",
  "2026-12-1",
  "2026/12/01",
  "12/01/2026",
  "2026-12-01T9:30",
  "1700000000",
];

for (const text of MALFORMED) {
  Deno.test(`parseTimestamp() rejects ${JSON.stringify(text)} with an example of ISO-8601`, () => {
    assert.throws(() => parseTimestamp(text, "--run-at"), {
      name: "UsageError",
      message:
        `Invalid --run-at "${text}": use ISO-8601, such as 2026-12-01T09:30:00Z or 2026-12-01T09:30`,
    });
  });
}

const IMPOSSIBLE = [
  "2026-13-01",
  "2026-00-10",
  "2026-02-29",
  "2026-04-31",
  "2026-12-00",
  "2026-12-01T24:00",
  "2026-12-01T09:60",
  "2026-12-01T09:30:60",
  "2026-12-01T09:30:00+24:00",
  "2026-12-01T09:30:00+05:60",
];

for (const text of IMPOSSIBLE) {
  Deno.test(`parseTimestamp() rejects the impossible ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseTimestamp(text, "run_at"), {
      name: "UsageError",
      message: `Invalid run_at "${text}": no such date or time`,
    });
  });
}

for (
  const text of [
    "1969-12-31T23:59:59Z",
    "0099-01-01T00:00:00Z",
    "0050-06-01",
    "1970-01-01T00:30:00+01:00",
  ]
) {
  Deno.test(`parseTimestamp() rejects ${JSON.stringify(text)}, before 1970, as out of range`, () => {
    assert.throws(() => parseTimestamp(text), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.ok(error.message.startsWith(`Invalid time "${text}": out of range`), error.message);
      return true;
    });
  });
}

Deno.test("toIso() writes UTC with milliseconds and passes null through", () => {
  assert.equal(toIso(0), "1970-01-01T00:00:00.000Z");
  assert.equal(toIso(Date.UTC(2026, 11, 1, 9, 30, 0, 5)), "2026-12-01T09:30:00.005Z");
  assert.equal(toIso(null), null);
});

Deno.test("parseTimestamp() reads back what toIso() writes", () => {
  for (const ms of [0, 1, 1_764_000_000_123, Date.UTC(2099, 11, 31, 23, 59, 59, 999)]) {
    assert.equal(parseTimestamp(toIso(ms)), ms);
  }
});

Deno.test("toIso() writes what Date.prototype.toISOString writes, across calendar edges", () => {
  const edges = [
    0,
    Date.UTC(1970, 11, 31, 23, 59, 59, 999),
    Date.UTC(1972, 1, 29, 12),
    Date.UTC(2000, 1, 29),
    Date.UTC(2000, 2, 1),
    Date.UTC(2100, 1, 28, 23, 59, 59, 999),
    Date.UTC(2100, 2, 1),
    Date.UTC(2400, 1, 29),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  ];
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const sampled = Array.from({ length: 5_000 }, () => Math.floor(random() * 253_402_300_800_000));
  for (const ms of [...edges, ...sampled]) {
    assert.equal(toIso(ms), new Date(ms).toISOString(), `at ${ms}`);
  }
});

Deno.test("toIso() leaves times outside its years to Date", () => {
  assert.equal(toIso(253_402_300_800_000), "+010000-01-01T00:00:00.000Z");
  assert.equal(toIso(1.5), new Date(1.5).toISOString());
});
