import assert from "node:assert/strict";
import { homeLayout } from "../../src/core/paths.ts";
import { prepareHome } from "../../src/store/home.ts";
import { openStore } from "../../src/store/open_store.ts";
import { type CliResult, pathExists, TestHome } from "../helpers/cli.ts";

Deno.test("wait on an unknown id in a data directory not created yet exits 2 and creates nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const result = await home.run(["wait", "nosuch"], { env: { QUEUECTL_HOME: fresh } });
  assert.equal(result.code, 2);
  assert.equal(result.stderr, 'queuectl: No job with id "nosuch": nothing to wait for\n');
  await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
});

Deno.test("show and logs of an unknown id in a data directory not created yet create nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  for (const command of ["show", "logs"]) {
    const result = await home.run([command, "nosuch"], { env: { QUEUECTL_HOME: fresh } });
    assert.equal(result.code, 1, command);
    assert.equal(
      result.stderr,
      `queuectl: No job with id "nosuch": see 'queuectl list' for the ids\n`,
      command,
    );
    await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound);
  }
});

Deno.test("cancel, retry, dlq retry and run --after of unknown ids in a data directory not created yet create nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  const unknown =
    'queuectl: Unknown job "nosuch" in after: a job can only run after jobs that exist\n';
  const cases: [string[], number, string][] = [
    [["cancel", "nosuch"], 1, 'queuectl: No job with id "nosuch": nothing was cancelled\n'],
    [["retry", "nosuch"], 1, 'queuectl: No job with id "nosuch": nothing was retried\n'],
    [["retry", "--all"], 0, "queuectl: No failed jobs\n"],
    [["retry", "--all", "--queue", "mail"], 0, "queuectl: No failed jobs in queue mail\n"],
    [["dlq", "retry", "nosuch"], 1, 'queuectl: No job with id "nosuch": nothing was retried\n'],
    [["dlq", "retry", "--all"], 0, "queuectl: The dead-letter queue is empty\n"],
    // Bad input before the missing worker: exit 2 either way.
    [["run", "--after", "nosuch", "--", "true"], 2, unknown],
    [["run", "--wait-for-worker", "--after", "nosuch", "--", "true"], 2, unknown],
  ];
  for (const [args, code, stderr] of cases) {
    const result = await home.run(args, { env: { QUEUECTL_HOME: fresh } });
    const name = args.join(" ");
    assert.equal(result.code, code, name);
    assert.equal(result.stderr, stderr, name);
    assert.equal(result.stdout, "", name);
    assert.equal(await pathExists(fresh), false, `${name} created the data directory`);
  }
});

Deno.test("cancel, retry and dlq retry of an unknown id say the same with a database", async () => {
  await using home = await TestHome.create();
  const cancel = await home.run(["cancel", "nosuch"]);
  assert.equal(cancel.code, 1);
  assert.equal(cancel.stderr, 'queuectl: No job with id "nosuch": nothing was cancelled\n');
  for (const args of [["retry", "nosuch"], ["dlq", "retry", "nosuch"]]) {
    const retry = await home.run(args);
    assert.equal(retry.code, 1, args.join(" "));
    assert.equal(retry.stderr, 'queuectl: No job with id "nosuch": nothing was retried\n');
  }
});

/** Commands that only read, or change only what exists: each must create nothing. */
const READING_COMMANDS: readonly string[][] = [
  ["status"],
  ["status", "--json"],
  ["list"],
  ["list", "--json"],
  ["list", "--state", "dead,failed", "--queue", "mail", "--limit", "5"],
  ["worker", "list"],
  ["worker", "list", "--json"],
  ["queue", "list"],
  ["queue", "list", "--json"],
  ["config", "list"],
  ["config", "list", "--json"],
  ["config", "get", "max_retries"],
  ["config", "get", "retention"],
  ["dlq", "list"],
  ["dlq", "list", "--json", "--queue", "mail"],
  ["worker", "stop"],
  ["worker", "stop", "--json"],
  ["worker", "stop", "--now", "--timeout", "1s"],
  ["prune", "--older-than", "1d"],
  ["prune", "--older-than", "0s", "--state", "completed", "--json"],
  ["wait", "nosuch"],
  ["wait", "--json", "nosuch", "other"],
  ["show", "nosuch"],
  ["show", "--json", "nosuch"],
  ["logs", "nosuch"],
  ["logs", "--json", "nosuch"],
  ["logs", "--follow", "nosuch"],
  ["cancel", "nosuch"],
  ["retry", "nosuch"],
  ["retry", "--all"],
  ["retry", "--all", "--queue", "mail", "--json"],
  ["dlq", "retry", "nosuch"],
  ["dlq", "retry", "--all"],
  ["queue", "resume", "mail"],
  ["queue", "set", "mail", "--concurrency", "none"],
];

Deno.test("reading commands answer on a data directory not created yet as on an empty one, and create nothing", async () => {
  await using home = await TestHome.create();
  // One path for both runs, so that the database's path (status --json) is the same in each.
  const path = `${home.path}/fresh`;
  const env = { QUEUECTL_HOME: path };
  const fresh: CliResult[] = [];
  for (const args of READING_COMMANDS) {
    fresh.push(await home.run(args, { env }));
    assert.equal(await pathExists(path), false, `${args.join(" ")} created the data directory`);
  }
  // An empty home, as the first command that writes leaves it: a database with no rows.
  const layout = homeLayout(path);
  prepareHome(layout);
  openStore(layout.database).close();
  for (const [index, args] of READING_COMMANDS.entries()) {
    const empty = await home.run(args, { env });
    assert.deepEqual(fresh[index], empty, args.join(" "));
  }
});

Deno.test("commands that write create the data directory", async () => {
  await using home = await TestHome.create();
  const commands = [
    ["enqueue", "--quiet", "true"],
    ["config", "set", "max_retries", "1"],
    ["queue", "pause", "mail"],
    ["queue", "set", "mail", "--concurrency", "2"],
  ];
  for (const [index, args] of commands.entries()) {
    const path = `${home.path}/fresh-${index}`;
    const result = await home.run(args, { env: { QUEUECTL_HOME: path } });
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(await pathExists(homeLayout(path).database), true, args.join(" "));
  }
});

Deno.test("reading commands need no directory but the database's: a file named workers is not in their way", async () => {
  await using home = await TestHome.create();
  const layout = homeLayout(home.path);
  await Deno.remove(layout.logs);
  await Deno.remove(layout.workers);
  await Deno.writeTextFile(layout.workers, "");
  const broken: CliResult[] = [];
  for (const args of READING_COMMANDS) broken.push(await home.run(args));
  assert.equal((await Deno.stat(layout.workers)).isFile, true);
  assert.equal(await pathExists(layout.logs), false, "a reading command created logs/");

  const enqueue = await home.run(["enqueue", "true"]);
  assert.deepEqual([enqueue.code, enqueue.stdout, enqueue.stderr], [
    1,
    "",
    `queuectl: Cannot create the data directory ${home.path}: ${layout.workers} exists and is not a directory: move or remove it\n`,
  ]);

  await Deno.remove(layout.workers);
  prepareHome(layout);
  for (const [index, args] of READING_COMMANDS.entries()) {
    assert.deepEqual(broken[index], await home.run(args), args.join(" "));
  }
});

Deno.test("a data directory that is a file is named, with the fix, by reading and writing commands", async () => {
  await using home = await TestHome.create();
  const file = `${home.path}/not-a-directory`;
  await Deno.writeTextFile(file, "x");
  for (const args of [["status"], ["list"], ["worker", "list"]]) {
    assert.deepEqual(await home.run(args, { env: { QUEUECTL_HOME: file } }), {
      code: 1,
      stdout: "",
      stderr:
        `queuectl: Cannot read the data directory ${file}: it, or a directory above it, is a file: move it aside, or set QUEUECTL_HOME to a directory\n`,
    }, args.join(" "));
  }
  const enqueued = await home.run(["enqueue", "true"], { env: { QUEUECTL_HOME: file } });
  assert.equal(enqueued.code, 1);
  assert.match(
    enqueued.stderr,
    /^queuectl: Cannot create the data directory .*: move or remove it\n$/,
  );
  assert.equal(await Deno.readTextFile(file), "x");
  // Below a file: named as such, without Deno's "(os error 20): mkdir '…'".
  const below = await home.run(["enqueue", "true"], { env: { QUEUECTL_HOME: `${file}/sub` } });
  assert.deepEqual(below, {
    code: 1,
    stdout: "",
    stderr:
      `queuectl: Cannot create the data directory ${file}/sub: it, or a directory above it, is a file: move it aside, or set QUEUECTL_HOME to a directory\n`,
  });
});
