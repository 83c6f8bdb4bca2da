import assert from "node:assert/strict";
import { pathExists, TestHome, waitFor, waitForState } from "../helpers/cli.ts";

interface LogsJson {
  id: string;
  state: string;
  attempts: { attempt: number | null; output: string }[];
}

const HEADER = (attempt: number) => `=== attempt ${attempt} of 3 · [^\n]* ===\n`;

/** A dead job of three attempts, each printing two lines. */
async function deadJob(home: TestHome): Promise<string> {
  const id = await home.enqueue(
    "--max-retries",
    "2",
    `echo "out $QUEUECTL_ATTEMPT"; echo "line two"; exit 1`,
  );
  await home.ok("worker", "start");
  await waitForState(home, id, "dead");
  return id;
}

Deno.test("logs --attempt, --last and --tail show one attempt, the newest, the last lines", async () => {
  await using home = await TestHome.create({ backoff_base: "1", backoff_unit: "10ms" });
  const id = await deadJob(home);
  assert.match(
    await home.ok("logs", "--attempt", "2", id),
    new RegExp(`^${HEADER(2)}out 2\nline two\n$`),
  );
  assert.match(await home.ok("logs", "--last", id), new RegExp(`^${HEADER(3)}out 3\nline two\n$`));
  // A header inside the window counts as a line and is printed as it is.
  assert.match(
    await home.ok("logs", "--tail", "4", id),
    new RegExp(`^line two\n${HEADER(3)}out 3\nline two\n$`),
  );
  assert.equal(await home.ok("logs", "-n", "1", id), "line two\n");
  assert.equal(await home.ok("logs", "--attempt", "1", "--tail", "2", id), "out 1\nline two\n");
  assert.equal(await home.ok("logs", "--last", "--tail", "1", id), "line two\n");
  assert.equal(await home.ok("logs", "--tail", "0", id), "");
  assert.equal(await home.ok("logs", "--tail", "99", id), await home.ok("logs", id));
});

Deno.test("logs --json with --attempt, --last and --tail keeps the attempts shown", async () => {
  await using home = await TestHome.create({ backoff_base: "1", backoff_unit: "10ms" });
  const id = await deadJob(home);
  const attempts = async (...args: string[]) =>
    (await home.json<LogsJson>("logs", ...args, id)).attempts.map(({ attempt, output }) => ({
      attempt,
      output,
    }));
  assert.deepEqual(await attempts("--attempt", "2"), [{ attempt: 2, output: "out 2\nline two\n" }]);
  assert.deepEqual(await attempts("--last"), [{ attempt: 3, output: "out 3\nline two\n" }]);
  // The last 4 lines: attempt 2's last line, then attempt 3's header and its output.
  assert.deepEqual(await attempts("--tail", "4"), [
    { attempt: 2, output: "line two\n" },
    { attempt: 3, output: "out 3\nline two\n" },
  ]);
  assert.deepEqual(await attempts("--last", "--tail", "1"), [{ attempt: 3, output: "line two\n" }]);
  assert.deepEqual(await attempts("--tail", "0"), []);
  const last = await home.json<LogsJson>("logs", "--last", id);
  assert.deepEqual([last.id, last.state], [id, "dead"]);
});

Deno.test("logs --attempt of an attempt the job does not have exits 1 naming those it has", async () => {
  await using home = await TestHome.create({ backoff_base: "1", backoff_unit: "10ms" });
  const id = await deadJob(home);
  for (const json of [[], ["--json"]]) {
    const missing = await home.run(["logs", "--attempt", "4", id, ...json]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, "");
    assert.equal(missing.stderr, `queuectl: Job ${id} has no attempt 4: its attempts are 1 to 3\n`);
  }
  const pending = await home.enqueue("--delay", "1h", "true");
  const notRun = await home.run(["logs", "--attempt", "1", pending]);
  assert.deepEqual([notRun.code, notRun.stdout], [1, ""]);
  assert.equal(
    notRun.stderr,
    `queuectl: Job ${pending} has no attempt 1: it has no output yet (it is pending)\n`,
  );
  // Nothing to show is no error, as for `logs` itself.
  const last = await home.run(["logs", "--last", "--tail", "5", pending]);
  assert.deepEqual([last.code, last.stdout], [0, ""]);
  assert.equal(last.stderr, `queuectl: Job ${pending} has no output yet (it is pending)\n`);
});

Deno.test("logs --tail with --follow starts with the last lines, then streams", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue(
    "--",
    "sh",
    "-c",
    "seq 1 5; while [ ! -e go ]; do sleep 0.02; done; echo after",
  );
  await home.ok("worker", "start");
  await waitFor("the job's first output", async () => (await home.ok("logs", id)).endsWith("5\n"));
  const child = home.spawn(["logs", "--tail", "2", "--follow", id]);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("4\n5\n")) {
    const { value, done } = await reader.read();
    assert.ok(!done, `stdout ended early: ${JSON.stringify(seen)}`);
    seen += value;
  }
  await Deno.writeTextFile(`${home.path}/go`, "");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  assert.deepEqual([status.code, stderr], [0, ""]);
  assert.equal(seen, "4\n5\nafter\n");
});

Deno.test("logs --last --follow follows the newest attempt", async () => {
  await using home = await TestHome.create({ backoff_base: "1", backoff_unit: "10ms" });
  const id = await deadJob(home);
  assert.match(
    await home.ok("logs", "--last", "--follow", id),
    new RegExp(`^${HEADER(3)}out 3\nline two\n$`),
  );
  assert.equal(await home.ok("logs", "--last", "-n", "1", "-f", id), "line two\n");
});

const BAD: [string[], RegExp][] = [
  [
    ["--tail", "-1"],
    /^queuectl: Invalid --tail "-1": expected a whole number from 0 to 1000000000$/,
  ],
  [["--tail", "x"], /^queuectl: Invalid --tail "x": expected a whole number from 0 to 1000000000$/],
  [["-n", "1.5"], /^queuectl: Invalid --tail "1.5": expected a whole number from 0 to 1000000000$/],
  [
    ["--attempt", "0"],
    /^queuectl: Invalid --attempt "0": expected a whole number from 1 to 1000000$/,
  ],
  [["--attempt", "two"], /^queuectl: Invalid --attempt "two": expected a whole number from 1/],
  [["--attempt", "1", "--last"], /^queuectl: Give --attempt or --last, not both$/],
  [
    ["--attempt", "1", "--follow"],
    /^queuectl: Give --attempt or --follow, not both: --last --follow /,
  ],
];

Deno.test("logs refuses bad --attempt and --tail values: exit 2, nothing written", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  for (const [args, pattern] of BAD) {
    const result = await home.run(["logs", ...args, "somejob"], { env: { QUEUECTL_HOME: fresh } });
    assert.equal(result.code, 2, args.join(" "));
    assert.equal(result.stdout, "");
    assert.match(result.stderr.trimEnd(), pattern);
    assert.equal(await pathExists(fresh), false);
  }
});
