import assert from "node:assert/strict";
import { optionFlag } from "../../src/cli/parse_args.ts";
import { COMMANDS, loadAllCommands } from "../../src/cli/registry.ts";
import { JOB_STATES } from "../../src/core/job_state.ts";
import { CONFIG_KEYS } from "../../src/core/config.ts";
import type { Store } from "../../src/store/store.ts";
import { FakeCli, type FakeRun, FIXED_NOW } from "../helpers/fake_cli.ts";

const COMMAND_WORDS = [...new Set(COMMANDS.map((entry) => entry.name.split(" ")[0]))];

/** A usage error: exit 2, nothing on stdout, exactly one line on stderr, nothing stored. */
function assertUsageError(result: FakeRun, message: string | RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, "");
  const lines = result.stderr.split("\n");
  assert.equal(lines.length, 2, `one line on stderr: ${JSON.stringify(result.stderr)}`);
  assert.equal(lines[1], "");
  const line = lines[0]!;
  assert.ok(line.startsWith("queuectl: "), line);
  const text = line.slice("queuectl: ".length);
  if (typeof message === "string") assert.equal(text, message);
  else assert.match(text, message);
}

/** Usage errors caught before the store is opened: a rejected command creates nothing. */
const USAGE_ERRORS: readonly [string[], string | RegExp][] = [
  [
    ["bogus"],
    `Unknown command "bogus": the commands are ${COMMAND_WORDS.join(", ")} (see 'queuectl --help')`,
  ],
  [["help", "bogus"], /^Unknown command "bogus"/],
  // --version is the command version, whose --json a script may give first.
  [["--json", "--version"], "Options go after the command, as in: queuectl version --json"],
  [["--json", "-V"], "Options go after the command, as in: queuectl version --json"],
  [
    ["--queue", "mail", "list", "--state", "dead"],
    "Options go after the command, as in: queuectl list --queue mail --state dead",
  ],
  [
    ["--json", "enqueue", "--", "echo", "a b"],
    "Options go after the command, as in: queuectl enqueue --json -- echo 'a b'",
  ],
  // An option the command does not take is refused as such, not moved after the command.
  [
    ["--queue", "x", "status"],
    "Unknown option --queue for 'queuectl status': see 'queuectl status --help'",
  ],
  [["-q", "list"], "Unknown option -q for 'queuectl list': see 'queuectl list --help'"],
  [["--json"], /^Unknown command "--json": the commands are /],
  [["--json", "--", "status"], /^Unknown command "--json": the commands are /],
  [
    ["enqueue", "--nope", "x"],
    "Unknown option --nope for 'queuectl enqueue': see 'queuectl enqueue --help'",
  ],
  [["list", "-z"], "Unknown option -z for 'queuectl list': see 'queuectl list --help'"],
  [["enqueue", "--id"], "Option --id needs a value: see 'queuectl enqueue --help'"],
  [["enqueue"], "No command given: quote it ('make test') or put it after --"],
  [["enqueue", "a", "b"], "Too many arguments: quote the command ('a b') or put it after --"],
  [
    ["enqueue", "a", "--", "b"],
    `Give the command either quoted or after --, not both (got "a" before --)`,
  ],
  [["enqueue", "--"], "No command after --: give it as -- <command> [args...]"],
  [["enqueue", "{"], /^Invalid JSON: /],
  [["enqueue", '{"command":""}'], 'Invalid job: "command" is empty'],
  [["enqueue", '{"id":"x"}'], 'Invalid job: "command" is required'],
  [
    ["enqueue", '{"command":"x","cmd":"y"}'],
    /^Invalid job: unknown field "cmd"; valid fields are command, id, /,
  ],
  [
    ["enqueue", '{"command":"x","max_retries":1.5}'],
    'Invalid job: "max_retries" must be a whole number from 0 to 1000, got 1.5',
  ],
  [
    ["enqueue", "--max-retries", "-1", "x"],
    "Invalid job: --max-retries must be a whole number from 0 to 1000, got -1",
  ],
  [["enqueue", "--priority", "high", "x"], /^Invalid job: --priority must be a whole number/],
  [["enqueue", "--delay", "soon", "x"], /^Invalid --delay "soon": use a number with a unit/],
  [["enqueue", "--timeout", "-5s", "x"], /^Invalid --timeout "-5s": use a number with a unit/],
  [["enqueue", "--run-at", "tomorrow", "x"], /^Invalid --run-at "tomorrow": use ISO-8601/],
  [
    ["enqueue", "--run-at", "2026-12-01T09:00Z", "--delay", "5m", "x"],
    "Invalid job: give --run-at or --delay, not both",
  ],
  [["enqueue", "--id", "has space", "x"], /^Invalid --id "has space": use letters, digits/],
  [
    ["enqueue", "--id", "a".repeat(129), "x"],
    /^Invalid --id "a{60}\.\.\." \(129 characters\): at most 128 characters$/,
  ],
  // A control character given is written escaped, as JSON would: the message stays one line.
  [
    ["show", "build-1\n"],
    `Invalid job id "build-1\\n": use letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`,
  ],
  [
    ["config", "set", "poll_interval_ms", "1\r\n"],
    'Invalid value "1\\r\\n" for poll_interval_ms: expected a whole number from 10 to 60000',
  ],
  [["enqueue", "--delay", "\x1b[2J5s", "x"], /^Invalid --delay "\\u001b\[2J5s": use a number/],
  [["enqueue", '{"command":"x","id":"a\\u2028b"}'], /^Invalid "id" "a\\u2028b": use letters/],
  [["list", "--state", "bogus"], `Unknown state "bogus": use ${JOB_STATES.join(", ")}`],
  [["list", "--state", "PENDİNG"], `Unknown state "PENDİNG": use ${JOB_STATES.join(", ")}`],
  [["list", "--limit", "0"], 'Invalid --limit "0": expected a whole number from 1 to 1000000'],
  [["list", "extra"], `Unexpected argument "extra": see 'queuectl list --help'`],
  [["list", "--queue", "a,,b"], /^Invalid --queue "a,,b": an item is empty/],
  [["dlq", "list", "--queue", "mail,bad name"], /^Invalid --queue "bad name": use 1 to 64/],
  [["show"], "Give exactly one job id: queuectl show <id>"],
  [["logs", "a", "b"], "Give exactly one job id: queuectl logs <id>"],
  [["config", "get"], "Give one key: queuectl config get <key>"],
  [
    ["config", "set", "max_retries", "1", "--json"],
    `Unexpected argument "--json" after 'max_retries 1': config set takes a key and one value (quote a value that has spaces)`,
  ],
  [["config", "set", "retry_on", "75,", "124"], /^Unexpected argument "124" after 'retry_on 75,'/],
  [
    ["config", "get", "nope"],
    `Unknown config key "nope": valid keys are ${CONFIG_KEYS.map((k) => k.key).join(", ")}`,
  ],
  [
    ["config", "set", "max_retries", "abc"],
    'Invalid value "abc" for max_retries: expected a whole number from 0 to 1000',
  ],
  [
    ["config", "set", "max_retries", "-1"],
    'Invalid value "-1" for max_retries: expected a whole number from 0 to 1000',
  ],
  [
    ["config", "set", "poll_interval_ms", "5"],
    'Invalid value "5" for poll_interval_ms: expected a whole number from 10 to 60000',
  ],
  [
    ["config", "set", "job_timeout", "forever"],
    'Invalid value "forever" for job_timeout: expected 0 or a duration from 1ms to 30d, such as 30s or 5m',
  ],
  [
    ["config", "set", "kill_grace", "-1s"],
    'Invalid value "-1s" for kill_grace: expected 0 or a duration from 1ms to 1h, such as 30s or 5m',
  ],
  [
    ["config", "set", "retry_on", "-x"],
    'Invalid value "-x" for retry_on: expected exit codes from 0 to 255, comma-separated (e.g. 75,124), or none',
  ],
  [
    ["config", "set", "backoff_unit", "0.0001s"],
    'Invalid value "0.0001s" for backoff_unit: expected a duration from 1ms to 1d',
  ],
  [["dlq", "retry"], "Give the ids of dead jobs to retry, or --all"],
  [["dlq", "retry", "--all", "x"], "Give job ids or --all, not both"],
  [
    ["worker", "start", "--count", "0"],
    'Invalid --count "0": expected a whole number from 1 to 256',
  ],
  [["worker", "start", "-n", "-2"], 'Invalid --count "-2": expected a whole number from 1 to 256'],
  [
    ["worker", "run", "--concurrency", "many"],
    'Invalid --concurrency "many": expected a whole number from 1 to 256',
  ],
  [["worker", "stop", "--timeout", "soon"], /^Invalid --timeout "soon": use a number with a unit/],
  [
    ["dlq", "list", "--limit", "0"],
    'Invalid --limit "0": expected a whole number from 1 to 1000000',
  ],
  [["status", "extra"], `Unexpected argument "extra": see 'queuectl status --help'`],
  [
    ["worker", "start", "4"],
    `Unexpected argument "4": use --count 4 (see 'queuectl worker start --help')`,
  ],
  [
    ["worker", "run", "4"],
    `Unexpected argument "4": use --concurrency 4 (see 'queuectl worker run --help')`,
  ],
  [["worker", "start", "4", "5"], `Unexpected argument "4": see 'queuectl worker start --help'`],
  [
    ["worker", "start", "4", "--count", "2"],
    `Unexpected argument "4": see 'queuectl worker start --help'`,
  ],
  [["worker", "start", "four"], `Unexpected argument "four": see 'queuectl worker start --help'`],
  [["worker", "stop", "4"], `Unexpected argument "4": see 'queuectl worker stop --help'`],
  [["config", "list", "extra"], `Unexpected argument "extra": see 'queuectl config list --help'`],
  [
    ["cancel", "a", "--", "b"],
    `Unexpected argument "--": 'queuectl cancel' takes no command line (see 'queuectl cancel --help')`,
  ],
  [["status", "--"], /^Unexpected argument "--": 'queuectl status' takes no command line/],
  [
    ["enqueue", "--after", "nosuch", "--", "true"],
    'Unknown job "nosuch" in after: a job can only run after jobs that exist',
  ],
  [["enqueue", "--file", "-", "--priority", "abc"], /^Invalid job: --priority must be a whole/],
];

for (const [argv, message] of USAGE_ERRORS) {
  Deno.test(`runCli() ${JSON.stringify(argv.join(" ").slice(0, 60))} exits 2 with one line on stderr`, async () => {
    await using cli = await FakeCli.create();
    const result = await cli.run(argv);
    assertUsageError(result, message);
    assert.equal(result.openedStore, false, "the store was not opened");
  });
}

// Every option of every command, through the parsing each command goes through.
for (const { name, definition } of await loadAllCommands()) {
  Deno.test(`runCli() ${name}: an option without its value, or a switch given one, exits 2`, async () => {
    await using cli = await FakeCli.create();
    const help = `see 'queuectl ${name} --help'`;
    for (const [key, spec] of Object.entries(definition.options)) {
      const flag = optionFlag(key);
      const [argv, message] = spec.type === Boolean
        ? [
          [`${flag}=0`],
          `Option ${flag} takes no value, got "0": give it alone, or as ${flag}=true or ${flag}=false (${help})`,
        ]
        : [[flag], `Option ${flag} needs a value: ${help}`];
      const result = await cli.run([...name.split(" "), ...argv]);
      assertUsageError(result, message);
      assert.equal(result.openedStore, false, `${name} ${argv.join(" ")}`);
    }
  });
}

Deno.test("runCli() without arguments prints the root help on stderr and exits 2", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run([]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^Usage: queuectl <command> \[options\]$/m);
});

for (const argv of [["--help"], ["-h"], ["help"]]) {
  Deno.test(`runCli() ${argv.join(" ")} prints the root help listing every command`, async () => {
    await using cli = await FakeCli.create();
    const result = await cli.run(argv);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /Usage: queuectl <command> \[options\]/);
    for (const entry of COMMANDS) assert.ok(result.stdout.includes(`  ${entry.name} `), entry.name);
    assert.match(result.stdout, /Example:\n {2}queuectl /);
  });
}

for (const entry of COMMANDS) {
  for (const argv of [[...entry.name.split(" "), "--help"], ["help", ...entry.name.split(" ")]]) {
    Deno.test(`runCli() "${argv.join(" ")}" prints usage and an example`, async () => {
      await using cli = await FakeCli.create();
      const result = await cli.run(argv);
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.ok(result.stdout.startsWith(`Usage: queuectl ${entry.name}`), result.stdout);
      assert.match(result.stdout, /\nExamples?:\n {2}queuectl \S/);
      assert.match(result.stdout, /\n {2}-h, --help +show this help\n/);
      assert.equal(result.openedStore, false);
    });
  }
}

Deno.test("runCli() takes -h among other arguments as a request for help", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["list", "--state", "bogus", "-h"]);
  assert.equal(result.code, 0);
  assert.ok(result.stdout.startsWith("Usage: queuectl list"));
});

for (const group of ["worker", "dlq", "config"]) {
  const subcommands = COMMANDS.filter((entry) => entry.name.startsWith(`${group} `));
  Deno.test(`runCli() "${group} --help" lists the ${group} commands on stdout`, async () => {
    await using cli = await FakeCli.create();
    const result = await cli.run([group, "--help"]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.ok(result.stdout.startsWith(`Usage: queuectl ${group} <command> [options]`));
    for (const entry of subcommands) assert.ok(result.stdout.includes(entry.name), entry.name);
  });

  Deno.test(`runCli() "${group}" alone shows its commands and exits 2 naming them`, async () => {
    await using cli = await FakeCli.create();
    const result = await cli.run([group]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(
      lines.at(-1),
      `queuectl: 'queuectl ${group}' needs a command: one of ${
        subcommands.map((entry) => entry.name.split(" ")[1]).join(", ")
      }`,
    );
  });
}

Deno.test("runCli() names an unknown subcommand of a group", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["worker", "bogus"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr.trimEnd().split("\n").at(-1),
    "queuectl: Unknown command 'queuectl worker bogus': see 'queuectl worker --help'",
  );
});

Deno.test("runCli() does not take --help after -- as a request for help", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["enqueue", "--json", "--", "grep", "--help", "-h"]);
  assert.equal(result.code, 0, result.stderr);
  const job = JSON.parse(result.stdout);
  assert.equal(job.command, "grep --help -h");
});

Deno.test({
  name: "runCli() leaves --debug after -- to the job's command",
  async fn() {
    await using cli = await FakeCli.create();
    const result = await cli.run(["enqueue", "--json", "--", "mytool", "--debug"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).command, "mytool --debug");
  },
});

Deno.test("runCli() enqueue stores the job with the context's clock and directory", async () => {
  await using cli = await FakeCli.create();
  const created = await cli.run([
    "enqueue",
    "--json",
    "--id",
    "job-1",
    "--priority",
    "-5",
    "echo hi",
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stderr, "");
  const job = JSON.parse(created.stdout);
  assert.equal(job.id, "job-1");
  assert.equal(job.command, "echo hi");
  assert.equal(job.state, "pending");
  assert.equal(job.priority, -5);
  assert.equal(job.max_retries, 3);
  assert.equal(job.attempts, 0);
  assert.equal(job.created_at, new Date(FIXED_NOW).toISOString());
  assert.equal(job.run_at, new Date(FIXED_NOW).toISOString());
  assert.equal(job.cwd, cli.home);
  const shown = await cli.run(["show", "job-1", "--json"]);
  assert.deepEqual(JSON.parse(shown.stdout), job);
});

Deno.test("runCli() enqueue prints one line naming the id, or only the id with --quiet", async () => {
  await using cli = await FakeCli.create();
  const plain = await cli.run(["enqueue", "--id", "a", "true"]);
  assert.equal(plain.stdout, "Enqueued job a\n");
  const quiet = await cli.run(["enqueue", "-q", "--id", "b", "true"]);
  assert.equal(quiet.stdout, "b\n");
  const later = await cli.run(["enqueue", "--id", "c", "--delay", "5m", "true"]);
  assert.equal(later.stdout, "Enqueued job c (runs in 5m)\n");
});

Deno.test("runCli() enqueue says when a delayed job runs, a delay under a second too", async () => {
  await using cli = await FakeCli.create();
  const lines = [];
  for (const delay of ["500ms", "1ms", "1500ms", "90s"]) {
    lines.push((await cli.run(["enqueue", "--id", `d${delay}`, "--delay", delay, "true"])).stdout);
  }
  assert.deepEqual(lines, [
    "Enqueued job d500ms (runs in 500ms)\n",
    "Enqueued job d1ms (runs in 1ms)\n",
    "Enqueued job d1500ms (runs in 1.5s)\n",
    "Enqueued job d90s (runs in 1m30s)\n",
  ]);
});

Deno.test("runCli() enqueue calls a job due at once due, however the clock moves meanwhile", async () => {
  let clock = FIXED_NOW;
  await using cli = await FakeCli.create();
  const plain = await cli.run(["enqueue", "--id", "a", "true"], { now: () => clock++ });
  assert.equal(plain.stdout, "Enqueued job a\n");
});

Deno.test("runCli() enqueue of a duplicate id exits 2 and keeps the first job", async () => {
  await using cli = await FakeCli.create();
  assert.equal((await cli.run(["enqueue", "--id", "dup", "echo first"])).code, 0);
  const result = await cli.run(["enqueue", "--id", "dup", "echo second"]);
  assertUsageError(
    result,
    'A job with id "dup" already exists: choose another id, or omit it to get a generated one',
  );
  const shown = JSON.parse((await cli.run(["show", "dup", "--json"])).stdout);
  assert.equal(shown.command, "echo first");
});

Deno.test("runCli() enqueue --file - reads stdin and reports the count", async () => {
  await using cli = await FakeCli.create();
  const stdin = '{"command":"echo 1","id":"one"}\r\n\n# comment\necho 2\n';
  const result = await cli.run(["enqueue", "--file", "-"], { stdin });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "Enqueued 2 jobs\n");
  const jobs = JSON.parse((await cli.run(["list", "--json"])).stdout);
  assert.deepEqual(jobs.map((job: { command: string }) => job.command), ["echo 1", "echo 2"]);
});

Deno.test("runCli() enqueue --file with a bad line names the line and stores nothing", async () => {
  await using cli = await FakeCli.create();
  const stdin = 'echo 1\n\necho 3\n{"command": 5}\necho 5\n';
  const result = await cli.run(["enqueue", "--file", "-"], { stdin });
  assertUsageError(
    result,
    'Line 4: Invalid job: "command" must be a string, got a number (nothing was enqueued)',
  );
  const status = JSON.parse((await cli.run(["status", "--json"])).stdout);
  assert.equal(status.total, 0);
});

Deno.test("runCli() enqueue --file without a database takes the ids of earlier lines as dependencies", async () => {
  await using cli = await FakeCli.create();
  const chain = ['{"id":"first","command":"true"}', '{"command":"true","after":"first"}'];
  const result = await cli.run(["enqueue", "--file", "-"], { stdin: chain.join("\n") });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "Enqueued 2 jobs\n");
  await using fresh = await FakeCli.create();
  const refused = await fresh.run(["enqueue", "--file", "-"], {
    stdin: chain.toReversed().join("\n"),
  });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^queuectl: Line 1: Unknown job "first" in after/);
  assert.equal(refused.openedStore, false);
});

Deno.test("runCli() status --json counts every state, zeros included", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "true"]);
  const result = await cli.run(["status", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const status = JSON.parse(result.stdout);
  assert.deepEqual(status.jobs, {
    pending: 1,
    processing: 0,
    completed: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
  });
  assert.deepEqual(status.workers, []);
  assert.equal(status.oldest_pending_age_seconds, 0);
});

Deno.test("runCli() status ages the oldest due job by the context's clock", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "true"]);
  const status = JSON.parse(
    (await cli.run(["status", "--json"], { now: () => FIXED_NOW + 90_000 })).stdout,
  );
  assert.equal(status.oldest_pending_age_seconds, 90);
  assert.equal(status.oldest_pending_due_at, new Date(FIXED_NOW).toISOString());
  assert.equal(status.oldest_pending_created_at, new Date(FIXED_NOW).toISOString());
  const human = await cli.run(["status"], { now: () => FIXED_NOW + 90_000 });
  assert.match(human.stdout, /^Oldest due job: due 1m30s ago$/m);
});

Deno.test("runCli() status ages a delayed job from when it became due, and not before", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "--delay", "1m", "true"]);
  const early = JSON.parse(
    (await cli.run(["status", "--json"], { now: () => FIXED_NOW + 30_000 })).stdout,
  );
  assert.deepEqual(
    [
      early.oldest_pending_age_seconds,
      early.oldest_pending_due_at,
      early.oldest_pending_created_at,
    ],
    [null, null, null],
  );
  const quiet = await cli.run(["status"], { now: () => FIXED_NOW + 30_000 });
  assert.doesNotMatch(quiet.stdout, /Oldest/);
  const late = JSON.parse(
    (await cli.run(["status", "--json"], { now: () => FIXED_NOW + 90_000 })).stdout,
  );
  assert.equal(late.oldest_pending_age_seconds, 30);
  assert.equal(late.oldest_pending_due_at, new Date(FIXED_NOW + 60_000).toISOString());
  assert.equal(late.oldest_pending_created_at, new Date(FIXED_NOW).toISOString());
  const human = await cli.run(["status"], { now: () => FIXED_NOW + 90_000 });
  assert.match(human.stdout, /^Oldest due job: due 30s ago \(enqueued 1m30s ago\)$/m);
});

Deno.test("runCli() config set stores the canonical value and config get reads it", async () => {
  await using cli = await FakeCli.create();
  const set = await cli.run(["config", "set", "max-retries", "5"]);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout, "max_retries = 5\n");
  assert.equal((await cli.run(["config", "get", "max_retries"])).stdout, "5\n");
  const timeout = await cli.run(["config", "set", "job_timeout", "1h30m15s"]);
  assert.equal(timeout.stdout, "job_timeout = 1h30m15s\n");
  const list = JSON.parse((await cli.run(["config", "list", "--json"])).stdout);
  assert.equal(list.max_retries, 5);
  assert.equal(list.job_timeout, "1h30m15s");
  const job = JSON.parse((await cli.run(["enqueue", "--json", "true"])).stdout);
  assert.equal(job.max_retries, 5);
});

Deno.test("runCli() config set and get write a zero duration as 0, saying what it means", async () => {
  await using cli = await FakeCli.create();
  for (const [key, shown] of [["job_timeout", "0 (no limit)"], ["kill_grace", "0"]] as const) {
    assert.equal((await cli.run(["config", "set", key, "0ms"])).stdout, `${key} = ${shown}\n`);
    const got = (await cli.run(["config", "get", key])).stdout;
    assert.equal(got, "0\n");
    assert.equal((await cli.run(["config", "set", key, got.trim()])).code, 0);
  }
  const list = (await cli.run(["config", "list"])).stdout;
  assert.match(list, /^job_timeout +0 \(no limit\) +0 /m);
  assert.match(list, /^kill_grace +0 +5s /m);
  assert.equal(JSON.parse((await cli.run(["config", "list", "--json"])).stdout).kill_grace, "0");
});

Deno.test("runCli() show of an unknown id exits 1 with one line", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["show", "nope"]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, `queuectl: No job with id "nope": see 'queuectl list' for the ids\n`);
});

Deno.test("runCli() notes on stderr begin queuectl:, as its errors do", async () => {
  await using cli = await FakeCli.create();
  const empty = [["dlq", "list"], ["dlq", "retry", "--all"], ["worker", "list"], [
    "worker",
    "stop",
  ], ["queue", "list"]];
  for (const args of empty) {
    const result = await cli.run(args);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^queuectl: \S[^\n]*\n$/, args.join(" "));
  }
  await cli.run(["enqueue", "--id", "unrun", "true"]);
  assert.equal(
    (await cli.run(["logs", "unrun"])).stderr,
    "queuectl: Job unrun has no output yet (it is pending)\n",
  );
});

Deno.test("runCli() logs of a job that ended without running says so, without 'yet'", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "--id", "pc", "--delay", "1h", "true"]);
  await cli.run(["cancel", "pc"]);
  for (const args of [["logs", "pc"], ["logs", "-f", "pc"]]) {
    const result = await cli.run(args);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "", args.join(" "));
    assert.equal(
      result.stderr,
      "queuectl: Job pc has no output (it was cancelled before it ran)\n",
      args.join(" "),
    );
  }
});

Deno.test("runCli() dlq retry of a job that is not dead changes nothing", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "--id", "alive", "true"]);
  const result = await cli.run(["dlq", "retry", "alive"]);
  assertUsageError(
    result,
    'Job "alive" is pending, not dead: only jobs in the DLQ can be retried (nothing was retried)',
  );
});

Deno.test("runCli() list says 'No jobs match' on stderr, keeping stdout for data", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["list"]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, "queuectl: No jobs match\n");
  assert.equal((await cli.run(["list", "--json"])).stdout, "[]\n");
});

Deno.test("runCli() reports an unexpected error as internal, in one line, with exit 1", async () => {
  await using cli = await FakeCli.create();
  const broken = () => {
    throw new Error("disk on fire\nsecond line");
  };
  const result = await cli.run(["status"], { store: broken as () => Store });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    "queuectl: internal error: disk on fire (run again with --debug for details)\n",
  );
});

Deno.test("runCli() --debug adds the stack trace of an error", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["show", "nope", "--debug"]);
  assert.equal(result.code, 1);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines[0], `queuectl: No job with id "nope": see 'queuectl list' for the ids`);
  assert.ok(lines.length > 1);
  assert.match(lines.slice(1).join("\n"), /at /);
});

for (const flag of ["--version", "-V"]) {
  Deno.test({
    name: `runCli() ${flag} prints the version`,
    async fn() {
      await using cli = await FakeCli.create();
      const result = await cli.run([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^queuectl \d+\.\d+\.\d+/);
    },
  });
}

Deno.test("runCli() ignores a leading -- (as deno task queuectl -- <args> passes it)", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["--", "config", "get", "max_retries"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "3\n");
});
