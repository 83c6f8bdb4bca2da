import assert from "node:assert/strict";
import { findConfigKey } from "../../src/core/config.ts";
import { quoteJsonValue, UsageError } from "../../src/core/errors.ts";
import {
  JOB_FIELDS,
  type JobInput,
  type JobSpecContext,
  looksLikeJobJson,
  MAX_COMMAND_BYTES,
  MAX_PRIORITY,
  parseEnvAssignments,
  parseJobJson,
  resolveJobSpec,
  validateQueueName,
  withDefaults,
} from "../../src/core/job_spec.ts";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const CONTEXT: JobSpecContext = { now: NOW, cwd: "/srv/app", defaultMaxRetries: 3 };

function rejects(input: JobInput, message: string | RegExp, context = CONTEXT): void {
  assert.throws(() => resolveJobSpec(input, context), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("parseJobJson() returns the fields of a JSON object", () => {
  assert.deepEqual(parseJobJson('{"command":"echo hi","max_retries":2}'), {
    command: "echo hi",
    max_retries: 2,
  });
  assert.deepEqual(parseJobJson('  {"command": "x"}\n'), { command: "x" });
});

for (const text of ['{"command":', "{command: 'x'}", "{", '{"command":"x",}', ""]) {
  Deno.test(`parseJobJson() rejects malformed JSON ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseJobJson(text), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /^Invalid JSON: /);
      assert.ok(!error.message.includes("\n"), "one line");
      return true;
    });
  });
}

for (
  const [text, described] of [
    ["[]", "an array"],
    ['[{"command":"x"}]', "an array"],
    ['"echo hi"', "a string"],
    ["42", "a number"],
    ["true", "a boolean"],
    ["null", "null"],
  ]
) {
  Deno.test(`parseJobJson() rejects ${text}, which is not an object`, () => {
    assert.throws(() => parseJobJson(text!), {
      name: "UsageError",
      message: `Invalid job: expected a JSON object, got ${described}`,
    });
  });
}

for (const field of ["cmd", "Command", "retries", "__proto__", "run-at"]) {
  Deno.test(`parseJobJson() rejects the unknown field ${JSON.stringify(field)} listing the valid ones`, () => {
    assert.throws(() => parseJobJson(`{"command":"x",${JSON.stringify(field)}:1}`), {
      name: "UsageError",
      message: `Invalid job: unknown field "${field}"; valid fields are ${JOB_FIELDS.join(", ")}`,
    });
  });
}

for (
  const [text, field, escape] of [
    ['{"command":"echo \\ud800"}', "command", "\\ud800"],
    ['{"command":"x","env":{"A":"\\udc00b"}}', "env", "\\udc00"],
    ['{"command":"x","env":{"\\ud83d":"b"}}', "env", "\\ud83d"],
    ['{"command":"x","unique_key":"k\\udbff"}', "unique_key", "\\udbff"],
  ]
) {
  Deno.test(`parseJobJson() refuses ${text}, which UTF-8 could only store altered`, () => {
    assert.throws(() => parseJobJson(text!), {
      name: "UsageError",
      message: `Invalid job: "${field}" holds ${escape}, half of a surrogate pair, ` +
        "which UTF-8 cannot store: give both halves, or the character itself",
    });
  });
}

Deno.test("parseJobJson() takes a character escaped as its pair of surrogates", () => {
  assert.deepEqual(parseJobJson('{"command":"echo \\ud83d\\ude80"}'), { command: "echo 🚀" });
});

Deno.test("parseJobJson() leaves out a field whose value is null, as if absent", () => {
  const nulls = Object.fromEntries(JOB_FIELDS.map((field) => [field, null]));
  assert.deepEqual(parseJobJson(JSON.stringify({ ...nulls, command: "x" })), { command: "x" });
  // The defaults then apply to each, and a null command is missing, not mistyped.
  const job = resolveJobSpec(
    parseJobJson('{"command":"x","queue":null,"timeout":null,"id":null,"delay":null}'),
    CONTEXT,
    { queue: "mail", timeout: "30s", delay: "1m" },
  );
  assert.deepEqual([job.id, job.queue, job.timeoutMs, job.runAt], [
    null,
    "mail",
    30_000,
    NOW + 60_000,
  ]);
  rejects(parseJobJson('{"command":null,"id":"a"}'), 'Invalid job: "command" is required');
  // Only a field's own null: a null inside env is still a bad value.
  rejects(parseJobJson('{"command":"x","env":{"A":null}}'), /"env" value of A must be a string/);
});

Deno.test("resolveJobSpec() fills every default for a bare command", () => {
  assert.deepEqual(resolveJobSpec({ command: "echo hi" }, CONTEXT), {
    id: null,
    command: "echo hi",
    cwd: "/srv/app",
    queue: "default",
    maxRetries: 3,
    priority: 0,
    runAt: NOW,
    timeoutMs: null,
    uniqueKey: null,
    env: {},
    retryOn: null,
    noRetryOn: null,
    after: [],
  });
});

Deno.test("resolveJobSpec() keeps every field given", () => {
  const input = parseJobJson(JSON.stringify({
    command: "./deploy.sh --prod",
    id: "deploy-42",
    max_retries: 0,
    priority: -7,
    run_at: "2026-12-01T09:30:00Z",
    timeout: "90s",
    queue: "deploys",
  }));
  assert.deepEqual(resolveJobSpec(input, CONTEXT), {
    id: "deploy-42",
    command: "./deploy.sh --prod",
    cwd: "/srv/app",
    queue: "deploys",
    maxRetries: 0,
    priority: -7,
    runAt: Date.UTC(2026, 11, 1, 9, 30),
    timeoutMs: 90_000,
    uniqueKey: null,
    env: {},
    retryOn: null,
    noRetryOn: null,
    after: [],
  });
});

Deno.test("resolveJobSpec() keeps the command exactly, spaces and quotes included", () => {
  const command = "  printf '%s\\n' \"a b\"  ";
  assert.equal(resolveJobSpec({ command }, CONTEXT).command, command);
});

Deno.test("resolveJobSpec() schedules a delay after now", () => {
  assert.equal(resolveJobSpec({ command: "x", delay: "5m" }, CONTEXT).runAt, NOW + 300_000);
  assert.equal(resolveJobSpec({ command: "x", delay: 30 }, CONTEXT).runAt, NOW + 30_000);
  assert.equal(resolveJobSpec({ command: "x", delay: 0 }, CONTEXT).runAt, NOW);
});

Deno.test("resolveJobSpec() reads a timeout as a duration or seconds", () => {
  assert.equal(resolveJobSpec({ command: "x", timeout: "1h" }, CONTEXT).timeoutMs, 3_600_000);
  assert.equal(resolveJobSpec({ command: "x", timeout: 2.5 }, CONTEXT).timeoutMs, 2500);
  assert.equal(resolveJobSpec({ command: "x", timeout: 0 }, CONTEXT).timeoutMs, 0);
});

Deno.test("resolveJobSpec() takes a timeout up to 30d, the range of config job_timeout", () => {
  const jobTimeout = findConfigKey("job_timeout");
  for (const text of ["0", "1ms", "30d"]) {
    assert.equal(
      resolveJobSpec({ command: "x", timeout: text }, CONTEXT).timeoutMs,
      jobTimeout.parse(text),
      text,
    );
  }
  assert.equal(
    resolveJobSpec({ command: "x", timeout: 2_592_000 }, CONTEXT).timeoutMs,
    2_592_000_000,
  );
  for (const text of ["30d1ms", "31d", "1000d"]) {
    assert.throws(() => jobTimeout.parse(text), UsageError);
    rejects(
      { command: "x", timeout: text },
      `Invalid "timeout" "${text}": expected 0 or a duration from 1ms to 30d`,
    );
  }
  rejects(
    { command: "x", timeout: 2_592_001 },
    'Invalid "timeout" 2592001: expected 0 or a duration from 1ms to 30d',
  );
});

Deno.test("resolveJobSpec() accepts max_retries and priority at their bounds", () => {
  assert.equal(resolveJobSpec({ command: "x", max_retries: 1000 }, CONTEXT).maxRetries, 1000);
  assert.equal(resolveJobSpec({ command: "x", priority: MAX_PRIORITY }, CONTEXT).priority, 1e6);
  assert.equal(resolveJobSpec({ command: "x", priority: -MAX_PRIORITY }, CONTEXT).priority, -1e6);
});

Deno.test("resolveJobSpec() refuses whole numbers given as JSON strings", () => {
  rejects(
    { command: "x", max_retries: "5" },
    'Invalid job: "max_retries" must be a whole number from 0 to 1000, got "5"',
  );
  rejects(
    { command: "x", priority: "-5" },
    'Invalid job: "priority" must be a whole number from -1000000 to 1000000, got "-5"',
  );
});

Deno.test("resolveJobSpec() rejects a missing command", () => {
  rejects({}, 'Invalid job: "command" is required');
  rejects({ id: "a" }, 'Invalid job: "command" is required');
});

for (const command of ["", "   ", "\n\t"]) {
  Deno.test(`resolveJobSpec() rejects the empty command ${JSON.stringify(command)}`, () => {
    rejects({ command }, 'Invalid job: "command" is empty');
  });
}

for (
  const [command, described] of [
    [42, "a number"],
    [null, "null"],
    [["echo", "hi"], "an array"],
    [{ sh: "x" }, "an object"],
    [true, "a boolean"],
  ] as const
) {
  Deno.test(`resolveJobSpec() rejects a command that is ${described}`, () => {
    rejects({ command }, `Invalid job: "command" must be a string, got ${described}`);
  });
}

Deno.test("resolveJobSpec() rejects a command with a NUL character", () => {
  rejects({ command: "echo a\0b" }, 'Invalid job: "command" contains a NUL character');
});

const OVER_1_MB =
  'Invalid job: "command" is over 1 MB (1000000 bytes of UTF-8): put a long script in a file and enqueue the command that runs it';

Deno.test("resolveJobSpec() takes a command of up to 1 MB of ASCII", () => {
  rejects({ command: "x".repeat(MAX_COMMAND_BYTES + 1) }, OVER_1_MB);
  const command = "x".repeat(MAX_COMMAND_BYTES);
  assert.equal(resolveJobSpec({ command }, CONTEXT).command, command);
});

// Each "é" is one UTF-16 code unit but 2 bytes, "€" one unit but 3, "🙂" two units but 4.
for (const [character, bytes] of [["é", 2], ["€", 3], ["🙂", 4]] as const) {
  Deno.test(`resolveJobSpec() counts a command's size in UTF-8 bytes: "${character}" is ${bytes}`, () => {
    const count = Math.floor(MAX_COMMAND_BYTES / bytes);
    const atLimit = character.repeat(count) + "x".repeat(MAX_COMMAND_BYTES % bytes);
    assert.equal(new TextEncoder().encode(atLimit).length, MAX_COMMAND_BYTES);
    assert.equal(resolveJobSpec({ command: atLimit }, CONTEXT).command, atLimit);
    rejects({ command: atLimit + "x" }, OVER_1_MB);
    rejects({ command: character.repeat(count + 1) }, OVER_1_MB);
  });
}

for (const value of [-1, 1.5, 1001, "three", "1.0", true, null, [3], "", " "]) {
  Deno.test(`resolveJobSpec() rejects max_retries ${JSON.stringify(value)}`, () => {
    rejects(
      { command: "x", max_retries: value },
      `Invalid job: "max_retries" must be a whole number from 0 to 1000, got ${
        JSON.stringify(value)
      }`,
    );
  });
}

for (const value of [MAX_PRIORITY + 1, -MAX_PRIORITY - 1, 2.5, "high", false]) {
  Deno.test(`resolveJobSpec() rejects priority ${JSON.stringify(value)}`, () => {
    rejects(
      { command: "x", priority: value },
      `Invalid job: "priority" must be a whole number from -1000000 to 1000000, got ${
        JSON.stringify(value)
      }`,
    );
  });
}

Deno.test("resolveJobSpec() names a JSON number past the range of a double as read, not null", () => {
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would write as null.
  rejects(
    parseJobJson('{"command":"x","priority":1e400}'),
    'Invalid job: "priority" must be a whole number from -1000000 to 1000000, got Infinity',
  );
  rejects(
    parseJobJson('{"command":"x","max_retries":-1e400}'),
    'Invalid job: "max_retries" must be a whole number from 0 to 1000, got -Infinity',
  );
  rejects(parseJobJson('{"command":"x","queue":1e400}'), /^Invalid "queue" Infinity: use 1 to 64/);
});

Deno.test("resolveJobSpec() rejects run_at and delay together", () => {
  rejects(
    { command: "x", run_at: "2026-12-01T09:30:00Z", delay: "5m" },
    'Invalid job: give "run_at" or "delay", not both',
  );
});

Deno.test("withDefaults() fills what the job leaves out; its own time replaces the default's", () => {
  const defaults: JobInput = { priority: 7, queue: "q", delay: "5m" };
  assert.deepEqual(withDefaults(defaults, { command: "x", priority: 2 }), {
    command: "x",
    priority: 2,
    queue: "q",
    delay: "5m",
  });
  const runAt = "2027-01-01T00:00:00Z";
  const timed = withDefaults(defaults, { command: "x", run_at: runAt });
  assert.deepEqual(timed, { command: "x", priority: 7, queue: "q", run_at: runAt });
  assert.equal(resolveJobSpec(timed, CONTEXT).runAt, Date.parse(runAt));
  assert.deepEqual(withDefaults({ run_at: runAt }, { command: "x", delay: "1m" }), {
    command: "x",
    delay: "1m",
  });
  rejects(
    withDefaults({}, { command: "x", run_at: runAt, delay: "1m" }),
    'Invalid job: give "run_at" or "delay", not both',
  );
});

Deno.test("resolveJobSpec() rejects a run_at that is not ISO-8601", () => {
  rejects(
    { command: "x", run_at: "tomorrow" },
    'Invalid "run_at" "tomorrow": use ISO-8601, such as 2026-12-01T09:30:00Z or 2026-12-01T09:30',
  );
  rejects({ command: "x", run_at: "2026-02-30T10:00Z" }, /no such date or time/);
});

for (
  const [value, described] of [[1764000000, "a number"], [null, "null"], [
    true,
    "a boolean",
  ]] as const
) {
  Deno.test(`resolveJobSpec() rejects a run_at that is ${described}`, () => {
    rejects(
      { command: "x", run_at: value },
      `Invalid job: "run_at" must be an ISO-8601 string, got ${described}`,
    );
  });
}

for (
  const [field, value] of [["delay", "soon"], ["delay", "-5s"], ["timeout", "fast"], [
    "timeout",
    "5 m",
  ]]
) {
  Deno.test(`resolveJobSpec() rejects ${field} ${JSON.stringify(value)} naming the units`, () => {
    rejects(
      { command: "x", [field!]: value },
      `Invalid "${field}" "${value}": use a number with a unit, such as 500ms, 30s, 5m, 2h or 1d`,
    );
  });
}

for (const field of ["delay", "timeout"]) {
  Deno.test(`resolveJobSpec() rejects a negative ${field} in seconds`, () => {
    rejects(
      { command: "x", [field]: -5 },
      `Invalid "${field}" -5: give a number of seconds of at least 0`,
    );
  });
  Deno.test(`resolveJobSpec() rejects a ${field} of the wrong type`, () => {
    rejects(
      { command: "x", [field]: true },
      `Invalid "${field}": expected a duration such as "30s" or a number of seconds, got a boolean`,
    );
  });
}

for (const id of ["has space", " lead", "tab\there", "a/b", "../etc", "-flag", ".hidden", "é"]) {
  Deno.test(`resolveJobSpec() rejects the id ${JSON.stringify(id)} saying which characters to use`, () => {
    rejects(
      { command: "x", id },
      `Invalid "id" "${id}": use letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`,
    );
  });
}

Deno.test("resolveJobSpec() rejects an id over 128 characters and accepts 128", () => {
  const long = "a".repeat(129);
  rejects(
    { command: "x", id: long },
    `Invalid "id" "${"a".repeat(60)}..." (129 characters): at most 128 characters`,
  );
  assert.equal(resolveJobSpec({ command: "x", id: "b".repeat(128) }, CONTEXT).id, "b".repeat(128));
});

Deno.test("resolveJobSpec() rejects an empty id and an id that is not a string", () => {
  rejects({ command: "x", id: "" }, 'Invalid "id": it is empty');
  rejects({ command: "x", id: 42 }, 'Invalid job: "id" must be a string, got a number');
});

for (const queue of ["", "has space", "-x", "q".repeat(65), 5]) {
  Deno.test(`resolveJobSpec() rejects the queue ${JSON.stringify(queue).slice(0, 20)}`, () => {
    rejects(
      { command: "x", queue },
      `Invalid "queue" ${
        typeof queue === "string" ? quoteJsonValue(queue) : queue
      }: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  });
}

Deno.test("validateQueueName() accepts 64 characters and names its label", () => {
  assert.equal(validateQueueName("q".repeat(64)), "q".repeat(64));
  assert.throws(() => validateQueueName("a b", "--queue"), { message: /^Invalid --queue "a b": / });
});

const OPTION_CONTEXT: JobSpecContext = {
  ...CONTEXT,
  defaultLabel: (field) => `--${field.replaceAll("_", "-")}`,
};

/** Like rejects, for a job over defaults validated with OPTION_CONTEXT. */
function rejectsOver(defaults: JobInput, own: JobInput, message: string | RegExp): void {
  assert.throws(() => resolveJobSpec(own, OPTION_CONTEXT, defaults), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("resolveJobSpec() names a value the defaults gave by the defaults' label", () => {
  rejectsOver(
    { max_retries: "-1" },
    { command: "x" },
    'Invalid job: --max-retries must be a whole number from 0 to 1000, got "-1"',
  );
  rejectsOver({ run_at: "2026-12-01", delay: "5m" }, { command: "x" }, /give --run-at or --delay/);
  rejectsOver({ delay: "soon" }, { command: "x" }, /^Invalid --delay "soon": /);
  rejectsOver({ queue: "bad name" }, { command: "x" }, /^Invalid --queue "bad name": /);
});

Deno.test("resolveJobSpec() names a value the job gave over a default as its JSON field", () => {
  const cases: [JobInput, JobInput, RegExp][] = [
    [{ queue: "ok" }, { queue: "bad name!" }, /^Invalid "queue" "bad name!": /],
    [{ priority: 1 }, { priority: "x" }, /^Invalid job: "priority" must be a whole number/],
    [{ max_retries: 1 }, { max_retries: -1 }, /^Invalid job: "max_retries" must be a whole/],
    [{ timeout: "1m" }, { timeout: "soon" }, /^Invalid "timeout" "soon": /],
    [{ delay: "1m" }, { delay: "soon" }, /^Invalid "delay" "soon": /],
    [{ delay: "1m" }, { run_at: "tomorrow" }, /^Invalid "run_at" "tomorrow": /],
    [{ run_at: "2027-01-01" }, { run_at: "2027-01-01", delay: "1m" }, /give "run_at" or "delay"/],
    [{ after: "a" }, { after: "bad id" }, /^Invalid "after" "bad id": /],
    [{ unique_key: "k" }, { unique_key: "" }, /^Invalid job: "unique_key" must be a string/],
    [{ env: { A: "1" } }, { env: { "1A": "x" } }, /^Invalid job: "env" has an invalid variable/],
    [{ retry_on: "75" }, { retry_on: "x" }, /^Invalid "retry_on" "x": /],
    [{ no_retry_on: "2" }, { no_retry_on: [300] }, /^Invalid "no_retry_on" "300": /],
    [{ id: "a" }, { id: "bad id" }, /^Invalid "id" "bad id": /],
  ];
  for (const [defaults, own, message] of cases) {
    rejectsOver(defaults, { command: "x", ...own }, message);
  }
  // A field neither gave is named as in JSON too.
  rejectsOver({ queue: "q" }, {}, 'Invalid job: "command" is required');
});

Deno.test("looksLikeJobJson() tells JSON jobs from shell commands that start with a brace", () => {
  for (const json of ['{"command":"x"}', '{ "command": "x" }', "{}", "{\n}", "{bad", "[1, 2]"]) {
    assert.equal(looksLikeJobJson(json), true, json);
  }
  for (const shell of ["{ make; make test; }", "{\tmake; }", "[ -f x ] && make", "echo {}"]) {
    assert.equal(looksLikeJobJson(shell), false, shell);
  }
});

Deno.test("resolveJobSpec() refuses an exit code both retried and never retried, naming it", () => {
  rejects(
    { command: "x", retry_on: [75, 124], no_retry_on: "75" },
    'Invalid job: exit code 75 is in both "retry_on" and "no_retry_on": list each code in one of them',
  );
  rejects(
    { command: "x", retry_on: "1,2,3", no_retry_on: [3, 2] },
    /^Invalid job: exit codes 2,3 are in both "retry_on" and "no_retry_on"/,
  );
  rejectsOver(
    { retry_on: "75", no_retry_on: "75" },
    { command: "x" },
    /^Invalid job: exit code 75 is in both --retry-on and --no-retry-on: /,
  );
  // Across a default and the job's own field, each named as it was given.
  rejectsOver(
    { retry_on: "75" },
    { command: "x", no_retry_on: [75] },
    /^Invalid job: exit code 75 is in both --retry-on and "no_retry_on": /,
  );
  // Disjoint lists, or one list alone, are fine.
  const job = resolveJobSpec({ command: "x", retry_on: [75], no_retry_on: [2] }, CONTEXT);
  assert.deepEqual([job.retryOn, job.noRetryOn], [[75], [2]]);
  assert.deepEqual(resolveJobSpec({ command: "x", no_retry_on: "75" }, CONTEXT).noRetryOn, [75]);
});

Deno.test("resolveJobSpec() refuses an env setting a variable the worker sets, naming it", () => {
  for (const name of ["QUEUECTL_JOB_ID", "QUEUECTL_ATTEMPT"]) {
    rejects(
      { command: "x", env: { MODE: "ci", [name]: "1" } },
      `Invalid job: "env" sets ${name}, which the worker sets for each attempt: use another name`,
    );
    rejectsOver(
      { env: parseEnvAssignments([`${name}=1`]) },
      { command: "x" },
      new RegExp(`^Invalid job: --env sets ${name}, which the worker sets`),
    );
  }
  // Only those exact names: the worker sets nothing else over the job's env.
  const env = { QUEUECTL_HOME: "/srv/q", queuectl_job_id: "x", QUEUECTL_JOB: "y" };
  assert.deepEqual(resolveJobSpec({ command: "x", env }, CONTEXT).env, env);
});

Deno.test("parseEnvAssignments() refuses a variable given twice, as any option given twice", () => {
  assert.throws(
    () => parseEnvAssignments(["MODE=ci", "A=1", "MODE=ci"]),
    { message: 'Option --env sets MODE twice ("MODE=ci", "MODE=ci"): give each variable once' },
  );
  assert.deepEqual(parseEnvAssignments(["A=1", "B=", "C=x=y"]), { A: "1", B: "", C: "x=y" });
});

Deno.test("resolveJobSpec() refuses blank exit code lists and a blank unique key", () => {
  rejects({ command: "x", retry_on: " " }, /^Invalid "retry_on" " ": expected exit codes/);
  rejects({ command: "x", no_retry_on: "" }, /^Invalid "no_retry_on" "": expected exit codes/);
  rejects(
    { command: "x", retry_on: [] },
    'Invalid job: "retry_on" is an empty list: give exit codes such as [75, 124], or leave it out',
  );
  rejects({ command: "x", unique_key: " \t" }, /^Invalid job: "unique_key" must be a string of 1/);
  // "none" still says no list: the setting applies.
  assert.equal(resolveJobSpec({ command: "x", retry_on: "none" }, CONTEXT).retryOn, null);
  assert.equal(resolveJobSpec({ command: "x", unique_key: " k " }, CONTEXT).uniqueKey, " k ");
});
