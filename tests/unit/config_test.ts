import assert from "node:assert/strict";
import {
  backoffNote,
  checkAgainstConfig,
  CONFIG_KEYS,
  configFromStored,
  DEFAULT_CONFIG,
  describeConfig,
  findConfigKey,
  showConfigValue,
} from "../../src/core/config.ts";
import { UsageError } from "../../src/core/errors.ts";

const KEY_NAMES = [
  "max_retries",
  "backoff_base",
  "backoff_unit",
  "backoff_max",
  "job_timeout",
  "poll_interval_ms",
  "lease_seconds",
  "kill_grace",
  "retry_on",
  "no_retry_on",
  "retention",
];

Deno.test("CONFIG_KEYS has the issue's keys and the worker's tuning keys", () => {
  assert.deepEqual(CONFIG_KEYS.map((definition) => definition.key), KEY_NAMES);
});

Deno.test("DEFAULT_CONFIG holds max_retries 3, backoff 2 × 1s up to 1h, no timeout, 5s fallback polls", () => {
  assert.deepEqual(DEFAULT_CONFIG, {
    maxRetries: 3,
    backoffBase: 2,
    backoffUnitMs: 1000,
    backoffMaxMs: 3_600_000,
    jobTimeoutMs: 0,
    pollIntervalMs: 5000,
    leaseSeconds: 30,
    killGraceMs: 5000,
    retryOn: null,
    noRetryOn: null,
    retentionMs: 0,
  });
});

for (const definition of CONFIG_KEYS) {
  Deno.test(`config key ${definition.key} formats its default as its documented default text`, () => {
    assert.equal(definition.format(DEFAULT_CONFIG[definition.field]), definition.defaultText);
  });
  Deno.test(`config key ${definition.key} parses its default text to its default value`, () => {
    assert.deepEqual(definition.parse(definition.defaultText), DEFAULT_CONFIG[definition.field]);
  });
}

Deno.test("findConfigKey() accepts dashes, any case and surrounding spaces", () => {
  for (const name of ["max_retries", "max-retries", "MAX-RETRIES", " Max_Retries "]) {
    assert.equal(findConfigKey(name).key, "max_retries", name);
  }
  assert.equal(findConfigKey("poll-interval-ms").field, "pollIntervalMs");
});

Deno.test("findConfigKey() rejects an unknown key listing every valid key", () => {
  assert.throws(() => findConfigKey("retries"), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.equal(
      error.message,
      `Unknown config key "retries": valid keys are ${KEY_NAMES.join(", ")}`,
    );
    return true;
  });
});

/** For each key: values at and inside its bounds (text → stored value), then values outside. */
const RANGES: Record<string, { valid: [string, number][]; invalid: string[]; range: string }> = {
  max_retries: {
    valid: [["0", 0], ["3", 3], ["1000", 1000], [" 7 ", 7]],
    invalid: ["-1", "1001", "1.5", "abc", "", "3x", "1e2"],
    range: "a whole number from 0 to 1000",
  },
  backoff_base: {
    valid: [["1", 1], ["1.5", 1.5], ["2", 2], ["100", 100]],
    invalid: ["0", "0.5", "0.99", "100.5", "101", "-2", "abc", "", "1e1"],
    range: "a number from 1 to 100",
  },
  backoff_unit: {
    valid: [["1ms", 1], ["10ms", 10], ["1s", 1000], ["1d", 86_400_000]],
    invalid: ["0", "0ms", "0.0001s", "1d1ms", "2d", "soon", "-1s", ""],
    range: "a duration from 1ms to 1d",
  },
  backoff_max: {
    valid: [["1ms", 1], ["1h", 3_600_000], ["30d", 2_592_000_000]],
    invalid: ["0", "0.0001s", "30d1ms", "31d", "forever", ""],
    range: "a duration from 1ms to 30d",
  },
  job_timeout: {
    valid: [["0", 0], ["0s", 0], ["1ms", 1], ["10m", 600_000], ["30d", 2_592_000_000]],
    invalid: ["0.0001s", "30d1ms", "31d", "-1", "none", ""],
    range: "0 or a duration from 1ms to 30d",
  },
  poll_interval_ms: {
    valid: [["10", 10], ["250", 250], ["60000", 60_000]],
    invalid: ["9", "0", "60001", "250ms", "1.5", "-10", ""],
    range: "a whole number from 10 to 60000",
  },
  lease_seconds: {
    valid: [["1", 1], ["30", 30], ["86400", 86_400]],
    invalid: ["0", "86401", "30s", "1.5", ""],
    range: "a whole number from 1 to 86400",
  },
  kill_grace: {
    valid: [["0", 0], ["500ms", 500], ["5s", 5000], ["1h", 3_600_000]],
    invalid: ["1h1ms", "2h", "-1s", "never", ""],
    range: "0 or a duration from 1ms to 1h",
  },
  retention: {
    valid: [["0", 0], ["1ms", 1], ["7d", 604_800_000], ["3650d", 315_360_000_000]],
    invalid: ["3651d", "-1d", "forever", ""],
    range: "0 or a duration from 1ms to 3650d",
  },
};

const EXIT_CODE_LIST_KEYS = ["retry_on", "no_retry_on"];

Deno.test("every config key has a range test", () => {
  assert.deepEqual(
    [...Object.keys(RANGES), ...EXIT_CODE_LIST_KEYS].sort(),
    [...KEY_NAMES].sort(),
  );
});

for (const key of EXIT_CODE_LIST_KEYS) {
  const definition = findConfigKey(key);
  Deno.test(`config key ${key} takes exit codes 0 to 255, sorted and unique, or none`, () => {
    assert.deepEqual(definition.parse("124,75,75"), [75, 124]);
    assert.deepEqual(definition.parse(" 0 , 255 "), [0, 255]);
    assert.equal(definition.parse("none"), null);
    assert.equal(definition.format([75, 124]), "75,124");
    assert.equal(definition.format(null), "none");
    // Blank is refused, not read as none: more likely an unset variable (`set retry_on "$X"`).
    for (const text of ["256", "-1", "a", "1,,2", "1.5", "", "  "]) {
      assert.throws(() => definition.parse(text), (error: unknown) => {
        assert.ok(error instanceof UsageError, text);
        assert.ok(
          error.message.startsWith(`Invalid value "${text}" for ${key}: expected exit codes`),
          error.message,
        );
        return true;
      });
    }
  });
}

for (const [key, { valid, invalid, range }] of Object.entries(RANGES)) {
  const definition = findConfigKey(key);
  Deno.test(`config key ${key} accepts ${valid.map(([text]) => JSON.stringify(text)).join(", ")}`, () => {
    for (const [text, value] of valid) assert.equal(definition.parse(text), value, text);
  });
  Deno.test(`config key ${key} rejects values outside ${range}`, () => {
    for (const text of invalid) {
      assert.throws(() => definition.parse(text), (error: unknown) => {
        assert.ok(error instanceof UsageError, text);
        // One shape for every refusal, naming the range (with 0 only where 0 is taken).
        assert.ok(
          error.message.startsWith(`Invalid value "${text}" for ${key}: expected ${range}`),
          error.message,
        );
        return true;
      });
    }
  });
}

/** Values a user may set, chosen to need every unit and sub-second precision. */
const ROUND_TRIPS: Record<string, string[]> = {
  max_retries: ["0", "5", "1000"],
  backoff_base: ["1", "1.5", "2", "2.25", "100"],
  backoff_unit: ["1ms", "10ms", "1234ms", "1.5s", "59.95s", "90s", "1d"],
  backoff_max: ["1ms", "1h", "1h30m15s", "1d1h1m", "29d23h59m59s999ms", "30d"],
  job_timeout: ["0", "1ms", "90500ms", "1h30m15s", "2d3h4m5s", "30d"],
  poll_interval_ms: ["10", "333", "60000"],
  lease_seconds: ["1", "45", "86400"],
  kill_grace: ["0", "1ms", "1500ms", "59999ms", "1h"],
};

for (const [key, texts] of Object.entries(ROUND_TRIPS)) {
  const definition = findConfigKey(key);
  Deno.test(`config key ${key} formats values so that they parse back unchanged`, () => {
    for (const text of texts) {
      const value = definition.parse(text);
      const formatted = definition.format(value);
      assert.equal(definition.parse(formatted), value, `${text} → ${formatted}`);
      assert.equal(definition.format(definition.parse(formatted)), formatted, formatted);
    }
  });
}

Deno.test("config durations are stored in their shortest exact form", () => {
  assert.equal(findConfigKey("backoff_unit").format(1000), "1s");
  assert.equal(findConfigKey("backoff_max").format(3_600_000), "1h");
  assert.equal(findConfigKey("job_timeout").format(0), "0");
  assert.equal(findConfigKey("job_timeout").format(600_000), "10m");
  assert.equal(findConfigKey("kill_grace").format(0), "0");
  assert.equal(findConfigKey("retention").format(0), "0");
});

Deno.test("showConfigValue() says what 0 means where it means none", () => {
  assert.equal(showConfigValue(findConfigKey("job_timeout"), 0), "0 (no limit)");
  assert.equal(showConfigValue(findConfigKey("retention"), 0), "0 (kept forever)");
  assert.equal(showConfigValue(findConfigKey("kill_grace"), 0), "0");
  assert.equal(showConfigValue(findConfigKey("job_timeout"), 600_000), "10m");
});

Deno.test("configFromStored() gives the defaults for an empty database", () => {
  assert.deepEqual(configFromStored(new Map()), DEFAULT_CONFIG);
});

Deno.test("configFromStored() reads stored values by key", () => {
  const config = configFromStored(
    new Map([["max_retries", "5"], ["backoff_unit", "10ms"], ["job_timeout", "1m"]]),
  );
  assert.deepEqual(config, {
    ...DEFAULT_CONFIG,
    maxRetries: 5,
    backoffUnitMs: 10,
    jobTimeoutMs: 60_000,
  });
});

Deno.test("configFromStored() keeps the default for an invalid stored value or unknown key", () => {
  const config = configFromStored(
    new Map([["max_retries", "99999"], ["poll_interval_ms", "fast"], ["colour", "blue"]]),
  );
  assert.deepEqual(config, DEFAULT_CONFIG);
});

Deno.test("describeConfig() lists every key with value, default and meaning", () => {
  const entries = describeConfig({ ...DEFAULT_CONFIG, maxRetries: 7 });
  assert.deepEqual(entries.map((entry) => entry.key), KEY_NAMES);
  const maxRetries = entries[0]!;
  assert.equal(maxRetries.value, "7");
  assert.equal(maxRetries.default, "3");
  for (const entry of entries) assert.ok(entry.description.length > 0, entry.key);
});

Deno.test("checkAgainstConfig() refuses an exit code in both retry_on and no_retry_on", () => {
  const config = { ...DEFAULT_CONFIG, retryOn: [75, 124], noRetryOn: [2] };
  const noRetryOn = findConfigKey("no_retry_on");
  assert.throws(
    () => checkAgainstConfig(config, noRetryOn, [2, 75]),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        'Invalid value "2,75" for no_retry_on: exit code 75 is in retry_on (75,124) too: ' +
          "set retry_on without it first",
      );
      return true;
    },
  );
  assert.throws(
    () => checkAgainstConfig(config, findConfigKey("retry_on"), [1, 2]),
    { message: /^Invalid value "1,2" for retry_on: exit code 2 is in no_retry_on \(2\) too/ },
  );
  assert.throws(
    () => checkAgainstConfig(config, noRetryOn, [75, 124]),
    {
      message: /exit codes 75,124 are in retry_on \(75,124\) too: set retry_on without them first$/,
    },
  );
  // Disjoint, cleared (none), or another key: accepted.
  checkAgainstConfig(config, noRetryOn, [1]);
  checkAgainstConfig(config, noRetryOn, null);
  checkAgainstConfig(config, findConfigKey("retry_on"), null);
  checkAgainstConfig(config, findConfigKey("max_retries"), 5);
});

Deno.test("backoffNote() says when every retry waits backoff_max, for the backoff keys only", () => {
  const config = { ...DEFAULT_CONFIG, backoffUnitMs: 5_400_000, backoffMaxMs: 90_000 };
  const note = "every retry waits backoff_max (1m30s), since backoff_unit × backoff_base " +
    "(1h30m × 2 = 3h) reaches it: raise backoff_max or lower backoff_unit for waits that grow";
  for (const key of ["backoff_unit", "backoff_max", "backoff_base"]) {
    assert.equal(backoffNote(config, key), note, key);
  }
  assert.equal(backoffNote(config, "max_retries"), null);
  // The first retry waits exactly backoff_max: so does every later one.
  assert.match(
    backoffNote({ ...DEFAULT_CONFIG, backoffUnitMs: 1_800_000 }, "backoff_unit") ?? "",
    /^every retry waits backoff_max \(1h\), since backoff_unit × backoff_base \(30m × 2 = 1h\)/,
  );
  assert.equal(backoffNote({ ...DEFAULT_CONFIG, backoffUnitMs: 1_799_999 }, "backoff_unit"), null);
  assert.equal(backoffNote(DEFAULT_CONFIG, "backoff_max"), null);
});
