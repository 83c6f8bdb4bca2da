import assert from "node:assert/strict";
import { relativeTime } from "../../src/cli/render/relative_time.ts";

const NOW = 1_800_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const CASES: readonly [number, string][] = [
  [0, "now"],
  [-999, "now"],
  [999, "now"],
  [-SECOND, "1s ago"],
  [SECOND, "in 1s"],
  [-1499, "1s ago"],
  [-1500, "2s ago"],
  [-1900, "2s ago"],
  [-1999, "2s ago"],
  [-3 * SECOND, "3s ago"],
  [-59_499, "59s ago"],
  [-59_500, "1m ago"],
  [-MINUTE, "1m ago"],
  [-90 * SECOND, "1m30s ago"],
  [-(MINUTE + 54_600), "1m55s ago"],
  [5 * MINUTE, "in 5m"],
  [2 * HOUR - 20 * SECOND, "in 2h"],
  [2 * HOUR, "in 2h"],
  [-(HOUR + 30 * MINUTE), "1h30m ago"],
  [-(HOUR + 30 * MINUTE + 29 * SECOND), "1h30m ago"],
  [-(HOUR + 30 * MINUTE + 30 * SECOND), "1h31m ago"],
  [3 * DAY + 4 * HOUR + 29 * MINUTE, "in 3d4h"],
  [3 * DAY + 4 * HOUR + 59 * MINUTE, "in 3d5h"],
];

for (const [delta, expected] of CASES) {
  Deno.test(`relativeTime() writes ${delta}ms from now as ${JSON.stringify(expected)}`, () => {
    assert.equal(relativeTime(NOW + delta, NOW), expected);
  });
}
