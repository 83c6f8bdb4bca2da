import assert from "node:assert/strict";
import type { JobJson } from "../../src/core/job.ts";
import { FakeCli } from "../helpers/fake_cli.ts";

/** Lines of every kind, more than one read (16 KiB) long, so that they come in several batches. */
function mixedInput(): string {
  const lines = [
    '{"command":"echo first","id":"first","queue":"build","priority":5}',
    "# a comment, then a blank line",
    "",
  ];
  for (let index = 0; index < 600; index++) lines.push(`echo plain ${index} 'quoted' "twice"`);
  lines.push(
    '{"command":"make","id":"made","after":["first"],"unique_key":"k1","env":{"MODE":"ci"}}',
    '{"command":"late","id":"late","delay":"5m","timeout":"90s","retry_on":[75],"max_retries":1}',
    '{"command":"skipped: k1 is held","unique_key":"k1"}',
    '{"command":"tests","id":"tests","after":"made,first","no_retry_on":"2"}',
    "echo tab\tand é 🙂\r",
  );
  return lines.join("\n");
}

async function storedJobs(cli: FakeCli): Promise<JobJson[]> {
  const listed = await cli.run(["list", "--limit", "10000", "--json"]);
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout);
}

/** Jobs as stored, generated ids replaced by their position (they are random). */
function comparable(jobs: readonly JobJson[]): unknown[] {
  return jobs.map((job, index) => ({ ...job, id: /^[0-9a-z]{10}$/.test(job.id) ? index : job.id }));
}

Deno.test("enqueue --file of a regular file and of stdin store the same jobs", async () => {
  await using fromFile = await FakeCli.create();
  await using fromStdin = await FakeCli.create();
  const input = mixedInput();
  const path = `${fromFile.home}/jobs.ndjson`;
  await Deno.writeTextFile(path, input);
  const file = await fromFile.run(["enqueue", "--file", path, "--json"]);
  const stdin = await fromStdin.run(["enqueue", "--file", "-", "--json"], { stdin: input });
  assert.equal(file.code, 0, file.stderr);
  assert.equal(stdin.code, 0, stdin.stderr);
  // One id per job line, in input order: the skipped line's is that of the job holding k1.
  const ids: string[] = JSON.parse(file.stdout).ids;
  assert.equal(ids.length, 606);
  assert.deepEqual([ids[0], ids[601], ids[602], ids[603], ids[604]], [
    "first",
    "made",
    "late",
    "made",
    "tests",
  ]);
  assert.equal(JSON.parse(stdin.stdout).ids.length, 606);
  const stored = await storedJobs(fromFile);
  assert.equal(stored.length, 605);
  assert.deepEqual(stored.map((job) => job.id), [...new Set(ids)]);
  assert.deepEqual(
    comparable(stored).map((job) => ({ ...(job as JobJson), cwd: "" })),
    comparable(await storedJobs(fromStdin)).map((job) => ({ ...(job as JobJson), cwd: "" })),
  );
  const byId = new Map(stored.map((job) => [job.id, job]));
  assert.deepEqual([...byId.get("tests")!.after].sort(), ["first", "made"]);
  assert.deepEqual(byId.get("made")?.env, { MODE: "ci" });
  assert.equal(stored.at(-1)?.command, "echo tab\tand é 🙂");
});

/** `count` plain commands: the first batches of the input. */
function plainLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `echo plain line number ${index}`);
}

Deno.test("enqueue --file names a bad line beyond the first batch and stores nothing", async () => {
  await using cli = await FakeCli.create();
  const lines = [...plainLines(1000), '{"command":"x","priority":"high"}', "echo after"];
  const path = `${cli.home}/jobs.ndjson`;
  await Deno.writeTextFile(path, lines.join("\n"));
  const result = await cli.run(["enqueue", "--file", path]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^queuectl: Line 1001: Invalid job: "priority" must be a whole number/,
  );
  assert.equal((await storedJobs(cli)).length, 0);
});

Deno.test("enqueue --file names the line of an id taken earlier in the file, in another batch", async () => {
  await using cli = await FakeCli.create();
  const lines = ['{"command":"a","id":"same"}', ...plainLines(1000), '{"command":"b","id":"same"}'];
  const result = await cli.run(["enqueue", "--file", "-"], { stdin: lines.join("\n") });
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'queuectl: Line 1002: A job with id "same" already exists: choose another id, or omit it to ' +
      "get a generated one (nothing was enqueued)\n",
  );
  assert.equal((await storedJobs(cli)).length, 0);
});

Deno.test("enqueue --file names the line of an unknown dependency, in a later batch", async () => {
  await using cli = await FakeCli.create();
  const lines = [...plainLines(1000), '{"command":"b","after":"nowhere"}'];
  const result = await cli.run(["enqueue", "--file", "-"], { stdin: lines.join("\n") });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^queuectl: Line 1001: Unknown job "nowhere" in after/);
  assert.equal((await storedJobs(cli)).length, 0);
});

Deno.test("enqueue --file skips jobs whose unique key is held, stored or earlier in the file", async () => {
  await using cli = await FakeCli.create();
  await cli.run(["enqueue", "--unique-key", "stored", "--id", "held", "true"]);
  const lines = [
    '{"command":"a","unique_key":"stored"}',
    '{"command":"b","unique_key":"fresh","id":"kept"}',
    ...plainLines(1000),
    '{"command":"c","unique_key":"fresh"}',
    '{"command":"d","unique_key":"other","id":"other"}',
  ];
  const result = await cli.run(["enqueue", "--file", "-", "--json"], { stdin: lines.join("\n") });
  assert.equal(result.code, 0, result.stderr);
  const { enqueued, duplicates, ids } = JSON.parse(result.stdout);
  assert.deepEqual([enqueued, duplicates, ids.length], [1002, 2, 1004]);
  assert.deepEqual([ids[0], ids[1], ids[1002], ids[1003]], ["held", "kept", "kept", "other"]);
  assert.equal(
    result.stderr,
    "queuectl: Skipped 2 job(s) whose unique key is held by an unfinished job\n",
  );
  const keyed = (await storedJobs(cli)).filter((job) => job.unique_key !== null);
  assert.deepEqual(keyed.map((job) => [job.id, job.unique_key]), [
    ["held", "stored"],
    ["kept", "fresh"],
    ["other", "other"],
  ]);
});

Deno.test("enqueue --file --quiet prints one id a line, in input order, across batches", async () => {
  await using cli = await FakeCli.create();
  const lines = ['{"command":"a","id":"one"}', ...plainLines(300), '{"command":"b","id":"last"}'];
  const result = await cli.run(["enqueue", "--file", "-", "--quiet"], { stdin: lines.join("\n") });
  assert.equal(result.code, 0, result.stderr);
  const ids = result.stdout.split("\n");
  assert.equal(ids.pop(), "");
  assert.deepEqual(ids, (await storedJobs(cli)).map((job) => job.id));
  assert.deepEqual([ids.length, ids[0], ids.at(-1)], [302, "one", "last"]);
});

Deno.test("enqueue --file --json and --quiet print nothing when the store refuses a line", async () => {
  await using cli = await FakeCli.create();
  // The id is taken in a later batch than the first: earlier batches were inserted, then undone.
  const lines = ['{"command":"a","id":"same"}', ...plainLines(1000), '{"command":"b","id":"same"}'];
  for (const flag of ["--json", "--quiet"]) {
    const result = await cli.run(["enqueue", "--file", "-", flag], { stdin: lines.join("\n") });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^queuectl: Line 1002: A job with id "same" already exists/);
  }
  assert.equal((await storedJobs(cli)).length, 0);
});

Deno.test("enqueue --file --json of no job prints no ids", async () => {
  await using cli = await FakeCli.create();
  const result = await cli.run(["enqueue", "--file", "-", "--json"], { stdin: "# none\n\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { enqueued: 0, duplicates: 0, ids: [] });
  const quiet = await cli.run(["enqueue", "--file", "-", "--quiet"], { stdin: "" });
  assert.equal(quiet.stdout, "");
});
