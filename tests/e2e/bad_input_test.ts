import assert from "node:assert/strict";
import { pathExists, TestHome } from "../helpers/cli.ts";

/** Each case: arguments, and a pattern the one-line error must match. */
const CASES: [string[], RegExp][] = [
  [["enqueue", "{not json"], /^queuectl: Invalid JSON: /],
  [["enqueue", "{}"], /"command" is required/],
  [["enqueue", "[1]"], /Invalid job: expected a JSON object, got an array/],
  [
    ["enqueue", "--max-retries", "two", "x"],
    /--max-retries must be a whole number from 0 to 1000, got "two"/,
  ],
  [["enqueue", '{"command":""}'], /"command" is empty/],
  [
    ["enqueue", '{"command":"x","retries":1}'],
    /unknown field "retries"; valid fields are command, id/,
  ],
  [["enqueue", '{"command":5}'], /"command" must be a string, got a number/],
  // Stored, a lone surrogate would become U+FFFD: the command run would not be the one given.
  [["enqueue", '{"command":"echo \\ud800"}'], /^queuectl: Invalid job: "command" holds \\ud800, /],
  [
    ["enqueue", '{"command":"x","max_retries":-1}'],
    /"max_retries" must be a whole number from 0 to 1000, got -1/,
  ],
  [["enqueue", '{"command":"x","max_retries":1.5}'], /got 1.5/],
  [
    ["enqueue", '{"command":"x","max_retries":"3"}'],
    /"max_retries" must be a whole number from 0 to 1000, got "3"/,
  ],
  [
    ["enqueue", "--max-retries", "-1", "x"],
    /--max-retries must be a whole number from 0 to 1000, got -1/,
  ],
  [
    ["enqueue", "--delay", "5 minutes", "x"],
    /Invalid --delay "5 minutes": use a number with a unit/,
  ],
  [["enqueue", "--timeout", "10x", "x"], /Invalid --timeout "10x"/],
  [["enqueue", "--run-at", "tomorrow", "x"], /Invalid --run-at "tomorrow": use ISO-8601/],
  [["enqueue", "--run-at", "2026-02-30T10:00:00Z", "x"], /no such date or time/],
  [
    ["enqueue", '{"command":"x","run_at":"2026-12-01T00:00:00Z","delay":"5s"}'],
    /give "run_at" or "delay", not both/,
  ],
  [["enqueue", "--id", "has space", "x"], /Invalid --id "has space": use letters, digits/],
  [
    ["enqueue", "--id", "a".repeat(129), "x"],
    /\.\.\." \(129 characters\): at most 128 characters$/m,
  ],
  // A line break given is written escaped: the error stays one line.
  [["show", "build-1\n"], /^queuectl: Invalid job id "build-1\\n": use letters, digits/],
  [["enqueue", "--priority", "high", "x"], /--priority must be a whole number/],
  [["enqueue", "--queue", "bad queue", "x"], /Invalid --queue "bad queue"/],
  // A JSON field over an option's default is named as the JSON has it.
  [
    ["enqueue", "--queue", "ok", '{"command":"x","queue":"bad name!"}'],
    /^queuectl: Invalid "queue" "bad name!": use 1 to 64/,
  ],
  [
    ["enqueue", "--priority", "1", '{"command":"x","priority":"high"}'],
    /^queuectl: Invalid job: "priority" must be a whole number/,
  ],
  [
    ["enqueue", "--file", "timeout.txt", "--timeout", "1m"],
    /^queuectl: Line 1: Invalid "timeout" "soon": /,
  ],
  [["run", "--delay", "1m", '{"command":"x","delay":"soon"}'], /^queuectl: Invalid "delay" "soon"/],
  // A bad option is refused also where the JSON job replaces its value.
  [
    ["enqueue", "--queue", "bad name", '{"command":"x","queue":"ok"}'],
    /^queuectl: Invalid --queue "bad name": /,
  ],
  [
    ["run", "--timeout", "soon", '{"command":"x","timeout":"1m"}'],
    /^queuectl: Invalid --timeout "soon": /,
  ],
  // A switch is not turned on by any value: --all=0 cancelling every job would be a disaster.
  [["cancel", "--all=0"], /^queuectl: Option --all takes no value, got "0": give it alone, or as /],
  [["enqueue", "--quiet", "--json", "x"], /^queuectl: --quiet and --json cannot be used together/],
  [["enqueue", "--file", "empty.txt", "-q", "--json"], /--quiet and --json cannot be used/],
  [
    ["enqueue", "--retry-on", "75", "--no-retry-on", "75,2", "x"],
    /^queuectl: Invalid job: exit code 75 is in both --retry-on and --no-retry-on: /,
  ],
  [
    ["enqueue", '{"command":"x","retry_on":[75,124],"no_retry_on":"124,75"}'],
    /exit codes 75,124 are in both "retry_on" and "no_retry_on"/,
  ],
  [
    ["enqueue", "--file", "retry_both.txt", "--retry-on", "75"],
    /^queuectl: Line 2: Invalid job: exit code 75 is in both --retry-on and "no_retry_on"/,
  ],
  [
    ["enqueue", "--env", "MODE=ci", "--env", "QUEUECTL_JOB_ID=mine", "x"],
    /^queuectl: Invalid job: --env sets QUEUECTL_JOB_ID, which the worker sets for each attempt/,
  ],
  [
    ["enqueue", "--env", "MODE=ci", "--env", "MODE=dev", "x"],
    /^queuectl: Option --env sets MODE twice \("MODE=ci", "MODE=dev"\): give each variable once$/m,
  ],
  [
    ["run", '{"command":"x","env":{"QUEUECTL_ATTEMPT":"1"}}'],
    /^queuectl: Invalid job: "env" sets QUEUECTL_ATTEMPT, which the worker sets/,
  ],
  // Empty and blank values: refused, not read as unset, "none" or "match everything".
  [["list", "--state", ""], /^queuectl: Option --state needs a value: /],
  [
    ["list", "--state", " , "],
    /^queuectl: --state is empty: give states, comma-separated \(pending,/,
  ],
  [
    ["prune", "--older-than", "1d", "--state", ","],
    /^queuectl: --state is empty: give states, comma-separated \(completed,dead,cancelled\)$/m,
  ],
  [
    ["prune", "--older-than", "1d", "--state", "all"],
    /^queuectl: Unknown state "all": use completed, dead, cancelled$/m,
  ],
  [["list", "--queue", ""], /^queuectl: Option --queue needs a value: /],
  [["list", "--queue", " "], /^queuectl: --queue is empty: give queue names, comma-separated/],
  [["dlq", "list", "--queue", ""], /^queuectl: Option --queue needs a value: /],
  [["wait", "x", "--timeout", ""], /^queuectl: Option --timeout needs a value: /],
  [["wait"], /^queuectl: Give the ids of the jobs to wait for, or --queue <names> or --all /],
  [["wait", "x", "--all"], /^queuectl: Give job ids or --all, not both$/m],
  [["wait", "x", "--queue", "a"], /^queuectl: Give job ids or --queue <names>, not both$/m],
  [["wait", "--queue", "a", "--all"], /^queuectl: --all waits for the jobs of every queue: /],
  [["wait", "--queue", ","], /^queuectl: --queue is empty: give queue names/],
  [["wait", "--queue", "a,b c"], /^queuectl: Invalid --queue "b c": /],
  [["worker", "start", "--queue", ","], /^queuectl: --queue is empty: give queue names/],
  // An empty item is refused, not dropped, by every comma-separated option alike.
  ...([
    [["worker", "start", "--queue", "a,,b"], "--queue", "a,,b"],
    [["dlq", "retry", "--all", "--queue", ",a"], "--queue", ",a"],
    [["wait", "--queue", "a,"], "--queue", "a,"],
    [["list", "--state", "pending,,dead"], "--state", "pending,,dead"],
    [["prune", "--older-than", "1d", "--state", "dead,"], "--state", "dead,"],
    [["enqueue", "--after", "a,,b", "x"], "--after", "a,,b"],
    [["run", "--retry-on", "75,,124", "x"], "--retry-on", "75,,124"],
    [["enqueue", "--no-retry-on", "2,", "x"], "--no-retry-on", "2,"],
  ] as const).map(([args, option, value]): [string[], RegExp] => [
    [...args],
    new RegExp(`^queuectl: Invalid ${option} "${value}": an item is empty: separate items with `),
  ]),
  [
    ["enqueue", '{"command":"x","after":"a,,b"}'],
    /^queuectl: Invalid "after" "a,,b": an item is empty: separate items with single commas/,
  ],
  [["enqueue", "--retry-on", " ", "x"], /^queuectl: Invalid --retry-on " ": expected exit codes/],
  [["enqueue", '{"command":"x","no_retry_on":""}'], /^queuectl: Invalid "no_retry_on" "": /],
  [
    ["enqueue", '{"command":"x","retry_on":[]}'],
    /^queuectl: Invalid job: "retry_on" is an empty list: give exit codes such as \[75, 124\]/,
  ],
  [["enqueue", "--unique-key", "  ", "x"], /^queuectl: Invalid job: --unique-key must be a string/],
  [["config", "set", "retry_on", ""], /^queuectl: Invalid value "" for retry_on: .*, or none$/m],
  [["enqueue"], /No command given/],
  [["enqueue", "a", "b"], /Too many arguments: quote the command/],
  [["enqueue", "--bogus", "x"], /Unknown option --bogus for 'queuectl enqueue'/],
  [["enqueue", "--delay"], /Option --delay needs a value/],
  [["enqueue", "--file", "/nonexistent/jobs"], /Cannot read --file \/nonexistent\/jobs/],
  [
    ["list", "--state", "running"],
    /Unknown state "running": use pending, processing, completed, failed, dead/,
  ],
  [["list", "--limit", "0"], /Invalid --limit "0"/],
  [["show"], /Give exactly one job id/],
  [
    ["config", "get", "retries"],
    /Unknown config key "retries": valid keys are max_retries, backoff_base/,
  ],
  [
    ["config", "set", "max_retries", "-3"],
    /Invalid value "-3" for max_retries: expected a whole number from 0 to 1000/,
  ],
  [["config", "set", "backoff_base", "0.5"], /expected a number from 1 to 100/],
  [["config", "set", "job_timeout", "forever"], /Invalid value "forever" for job_timeout: /],
  [["config", "set", "kill_grace", "-1s"], /^queuectl: Invalid value "-1s" for kill_grace: /],
  [["config", "set", "poll_interval_ms", "1"], /from 10 to 60000/],
  [["config", "set", "max_retries"], /Give a key and a value/],
  [
    ["worker", "start", "--count", "0"],
    /Invalid --count "0": expected a whole number from 1 to 256/,
  ],
  [["worker", "stop", "--timeout", "soon"], /Invalid --timeout "soon"/],
  [
    ["worker", "run", "--log-file", "/nonexistent/x.log"],
    /^queuectl: Cannot write --log-file \/nonexistent\/x\.log: No such file or directory\n$/,
  ],
  [["dlq", "retry"], /Give the ids of dead jobs to retry, or --all/],
  [["frobnicate"], /Unknown command "frobnicate": the commands are enqueue/],
  [["worker"], /'queuectl worker' needs a command: one of start, run, stop, list/],
  [["worker", "go"], /Unknown command 'queuectl worker go'/],
  [["enqueue", "--file", "bad.txt"], /^queuectl: Line 2: Invalid job: "command" must be a string/],
  [["enqueue", "--file", "bad.txt", "--json"], /^queuectl: Line 2: Invalid job: /],
  [["enqueue", "--file", "dependent.txt", "-q"], /^queuectl: Line 2: Unknown job "nosuch"/],
  [
    ["enqueue", "--file", "empty.txt", "--priority", "abc", "--queue", "bad name"],
    /Invalid --queue "bad name"/,
  ],
  [["enqueue", "--file", "dependent.txt"], /^queuectl: Line 2: Unknown job "nosuch" in after/],
  [["enqueue", "--after", "nosuch", "--", "true"], /Unknown job "nosuch" in after/],
  [["dlq", "list", "--limit", "0"], /Invalid --limit "0"/],
  [["dlq", "list", "--queue", "bad queue"], /Invalid --queue "bad queue"/],
  // Every --queue says the same of a bad name, a list's as a single one's.
  ...[
    ["worker", "start", "--queue", "a,bad queue"],
    ["dlq", "retry", "--all", "--queue", "bad queue"],
    ["list", "--queue", "bad queue"],
    ["enqueue", "--queue", "bad queue", "x"],
  ].map((args): [string[], RegExp] => [
    args,
    /^queuectl: Invalid --queue "bad queue": use 1 to 64 letters, digits, '\.', '_' or '-', starting with a letter or digit\n$/,
  ]),
  [
    ["status", "garbage"],
    /^queuectl: Unexpected argument "garbage": see 'queuectl status --help'$/m,
  ],
  [["config", "list", "garbage"], /Unexpected argument "garbage"/],
  [
    ["worker", "start", "4"],
    /^queuectl: Unexpected argument "4": use --count 4 \(see 'queuectl worker start --help'\)$/m,
  ],
  [["worker", "run", "4"], /^queuectl: Unexpected argument "4": use --concurrency 4 \(see/],
  [
    ["cancel", "a", "--", "b"],
    /^queuectl: Unexpected argument "--": 'queuectl cancel' takes no command line \(see/,
  ],
  [["show", "x", "--"], /Unexpected argument "--"/],
  [["enqueue", "--file", "empty.txt", "--priority", "abc"], /--priority must be a whole number/],
  // A repeated single-value option would keep only its last value: `pending` silently dropped.
  [
    ["list", "--state", "pending", "--state", "dead"],
    /^queuectl: Option --state was given 2 times \("pending", "dead"\): give it once \(see 'queuectl list --help'\)$/m,
  ],
  [["enqueue", "--queue", "a", "--queue=b", "true"], /Option --queue was given 2 times/],
  [["worker", "stop", "--timeout", "1s", "--timeout", "0"], /Option --timeout was given 2 times/],
];

/** The inputs of the --file cases, in the directory the CLI runs in. */
const FILES: Record<string, string> = {
  "bad.txt": 'echo fine\n{"command": 5}\n',
  "empty.txt": "",
  "retry_both.txt": 'true\n{"command":"true","no_retry_on":[75]}\n',

  "timeout.txt": '{"command":"true","timeout":"soon"}\n',
  "dependent.txt": '{"id":"first","command":"true"}\n{"command":"true","after":"first,nosuch"}\n',
};

Deno.test("bad input: one line on stderr, exit 2, nothing on stdout, nothing written", async () => {
  await using home = await TestHome.create();
  for (const [name, text] of Object.entries(FILES)) {
    await Deno.writeTextFile(`${home.path}/${name}`, text);
  }
  // Each case runs on a data directory that does not exist yet: it must not be created.
  const fresh = `${home.path}/fresh`;
  const failures: string[] = [];
  for (const [args, pattern] of CASES) {
    const result = await home.run(args, { env: { QUEUECTL_HOME: fresh } });
    const lines = result.stderr.split("\n").filter(Boolean);
    const problems = [
      result.code !== 2 && `exit ${result.code}`,
      result.stdout !== "" && `stdout ${JSON.stringify(result.stdout)}`,
      lines.length !== 1 && `${lines.length} stderr lines`,
      !pattern.test(result.stderr) && `stderr ${JSON.stringify(result.stderr)}`,
      await pathExists(fresh) && "created the data directory",
    ].filter(Boolean);
    await Deno.remove(fresh, { recursive: true }).catch(() => {});
    if (problems.length > 0) {
      failures.push(`${args.join(" ").slice(0, 60)}: ${problems.join("; ")}`);
    }
  }
  assert.deepEqual(failures, []);
  const status = await home.json<{ total: number }>("status");
  assert.equal(status.total, 0);
  assert.equal(await home.ok("config", "get", "max_retries"), "3\n");
});

Deno.test("a 100 KB value is quoted cut to its start and length: the error stays short", async () => {
  await using home = await TestHome.create();
  const long = "x".repeat(100_000);
  const cases: string[][] = [
    ["enqueue", "--queue", long, "true"],
    ["enqueue", `{"command":"true","queue":"${long}"}`],
    ["enqueue", "--run-at", long, "true"],
    ["enqueue", "--id", long, "true"],
    ["list", "--state", long],
    ["config", "set", "max_retries", long],
    ["config", "set", long, "1"],
  ];
  const failures: string[] = [];
  for (const args of cases) {
    const result = await home.run(args);
    const lines = result.stderr.split("\n").filter(Boolean);
    const problems = [
      result.code !== 2 && `exit ${result.code}`,
      lines.length !== 1 && `${lines.length} stderr lines`,
      result.stderr.length > 400 && `stderr of ${result.stderr.length} characters`,
      !result.stderr.includes(`"${"x".repeat(60)}..." (100000 characters)`) &&
      `stderr ${JSON.stringify(result.stderr.slice(0, 200))}`,
    ].filter(Boolean);
    if (problems.length > 0) {
      failures.push(`${args.join(" ").slice(0, 40)}: ${problems.join("; ")}`);
    }
  }
  assert.deepEqual(failures, []);
});

Deno.test("a local time the clocks skip is refused; a repeated one is its first occurrence", async () => {
  await using home = await TestHome.create({}, { env: { TZ: "America/New_York" } });
  for (
    const args of [
      ["enqueue", "--run-at", "2026-03-08T02:30", "true"],
      ["enqueue", '{"command":"true","run_at":"2026-03-08T02:00:00"}'],
    ]
  ) {
    const result = await home.run(args);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^queuectl: Invalid (--run-at|"run_at") "2026-03-08T02:[03]0(:00)?": no such local time: the clocks of the local time zone skip it\n$/,
    );
  }
  const skipped = await home.json<{ run_at: string }>(
    "enqueue",
    "--json",
    "--run-at",
    "2026-03-08",
    "true",
  );
  assert.equal(skipped.run_at, "2026-03-08T05:00:00.000Z");
  const repeated = await home.json<{ run_at: string }>(
    "enqueue",
    "--json",
    "--run-at",
    "2026-11-01T01:30",
    "true",
  );
  assert.equal(repeated.run_at, "2026-11-01T05:30:00.000Z");
  assert.equal((await home.json<{ total: number }>("status")).total, 2);
});

Deno.test("a duplicate id is refused and the first job is kept", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "build-1", "echo first");
  const again = await home.run(["enqueue", "--id", "build-1", "echo second"]);
  assert.equal(again.code, 2);
  assert.equal(
    again.stderr,
    'queuectl: A job with id "build-1" already exists: choose another id, or omit it to get a generated one\n',
  );
  assert.equal((await home.job("build-1")).command, "echo first");
});

Deno.test("operational failures exit 1: unknown job, retrying a job that is not dead", async () => {
  await using home = await TestHome.create();
  const show = await home.run(["show", "nope"]);
  assert.equal(show.code, 1);
  assert.equal(show.stderr, `queuectl: No job with id "nope": see 'queuectl list' for the ids\n`);
  const logs = await home.run(["logs", "nope"]);
  assert.equal(logs.code, 1);
  for (const command of [["dlq", "retry", "nope"], ["cancel", "nope"]]) {
    const unknown = await home.run(command);
    assert.equal(unknown.code, 1, command.join(" "));
    assert.match(unknown.stderr, /^queuectl: No job with id "nope": nothing was/);
  }
  const id = await home.enqueue("true");
  const retry = await home.run(["dlq", "retry", id]);
  assert.equal(retry.code, 2);
  assert.match(retry.stderr, /is pending, not dead: only jobs in the DLQ can be retried/);
});

Deno.test("a bad line in --file is reported with its number and nothing is enqueued", async () => {
  await using home = await TestHome.create();
  const input = ['{"command":"echo 1"}', "echo 2", "", '{"command":"x","max_retries":-2}', "echo 4"]
    .join("\n");
  const result = await home.run(["enqueue", "--file", "-"], { stdin: input });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^queuectl: Line 4: Invalid job: "max_retries" must be a whole number/,
  );
  assert.match(result.stderr, /\(nothing was enqueued\)\n$/);
  assert.equal((await home.json<{ total: number }>("status")).total, 0);

  const duplicate = ['{"command":"a","id":"same"}', '{"command":"b","id":"same"}'].join("\n");
  const dup = await home.run(["enqueue", "--file", "-"], { stdin: duplicate });
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /^queuectl: Line 2: A job with id "same" already exists/);
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
});

Deno.test("--file takes JSON objects and plain commands, skips blanks and comments, applies option defaults", async () => {
  await using home = await TestHome.create();
  const path = `${home.path}/jobs.ndjson`;
  await Deno.writeTextFile(
    path,
    [
      '{"command":"echo a","priority":3}',
      "# a comment",
      "",
      "echo b\r",
      '{"command":"c","id":"c1"}',
    ]
      .join("\n"),
  );
  const out = await home.ok("enqueue", "--file", path, "--priority", "7", "--max-retries", "1");
  assert.equal(out, "Enqueued 3 jobs\n");
  const jobs = await home.json<{ command: string; priority: number; max_retries: number }[]>(
    "list",
  );
  assert.deepEqual(
    jobs.map((job) => [job.command, job.priority, job.max_retries]),
    [["echo a", 3, 1], ["echo b", 7, 1], ["c", 7, 1]],
  );
});

Deno.test("enqueue forms: JSON, a command string, argv or a command line after --; --json and --quiet outputs", async () => {
  await using home = await TestHome.create();
  const json = await home.json<{ id: string; command: string; priority: number; state: string }>(
    "enqueue",
    '{"command":"make test","id":"j1","priority":4,"timeout":"90s"}',
  );
  assert.deepEqual([json.id, json.command, json.priority, json.state], [
    "j1",
    "make test",
    4,
    "pending",
  ]);
  assert.equal((await home.job("j1")).timeout, 90);
  assert.match(await home.ok("enqueue", "echo plain"), /^Enqueued job [0-9a-z]{10}\n$/);
  const quiet = await home.enqueue("--", "printf", "%s\\n", "it's", "a b");
  assert.equal((await home.job(quiet)).command, `printf '%s\\n' 'it'\\''s' 'a b'`);
  const line = await home.enqueue("--", "echo hello | tr a-z A-Z");
  assert.equal((await home.job(line)).command, "echo hello | tr a-z A-Z");
  // After --, one argument is a command line, never JSON: '{ ...; }' is a shell group.
  const literal = await home.enqueue("--", '{"command":"x","priority":4}');
  assert.equal((await home.job(literal)).command, '{"command":"x","priority":4}');
  assert.match(await home.ok("enqueue", "--delay", "5m", "true"), /\(runs in 5m\)\n$/);
  const group = await home.enqueue("{ echo a; echo b; }");
  assert.equal((await home.job(group)).command, "{ echo a; echo b; }");
});

Deno.test("config set refuses an exit code already in the other retry list, naming it", async () => {
  await using home = await TestHome.create();
  await home.ok("config", "set", "no_retry_on", "2,75");
  const refused = await home.run(["config", "set", "retry_on", "75,124"]);
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, "");
  assert.equal(
    refused.stderr,
    'queuectl: Invalid value "75,124" for retry_on: exit code 75 is in no_retry_on (2,75) too: ' +
      "set no_retry_on without it first\n",
  );
  assert.equal(await home.ok("config", "get", "retry_on"), "none\n");
  await home.ok("config", "set", "no_retry_on", "2");
  await home.ok("config", "set", "retry_on", "75,124");
  assert.equal(await home.ok("config", "get", "retry_on"), "75,124\n");
});
