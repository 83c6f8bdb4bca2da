import assert from "node:assert/strict";
import { type JobJson, readStderr, TestHome } from "../helpers/cli.ts";

const RESUME_NOTE =
  `queuectl: queue "held" is paused: the job runs after 'queuectl queue resume held'\n`;

Deno.test("enqueue into a paused queue stores the job, says how it runs on stderr, stdout unchanged", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "held");
  const plain = await home.run(["enqueue", "--queue", "held", "--id", "a", "true"]);
  assert.deepEqual(plain, { code: 0, stdout: "Enqueued job a\n", stderr: RESUME_NOTE });
  // --quiet and --json keep stdout for the id and the job; the note is on stderr as with a held
  // unique key.
  const quiet = await home.run(["enqueue", "--queue", "held", "--id", "b", "--quiet", "true"]);
  assert.deepEqual(quiet, { code: 0, stdout: "b\n", stderr: RESUME_NOTE });
  const json = await home.run(["enqueue", "--queue", "held", "--id", "c", "--json", "true"]);
  assert.equal(json.code, 0);
  assert.equal((JSON.parse(json.stdout) as JobJson).state, "pending");
  assert.equal(json.stderr, RESUME_NOTE);
  // Another queue, or the same once resumed: nothing to say.
  assert.deepEqual(await home.run(["enqueue", "--id", "d", "true"]), {
    code: 0,
    stdout: "Enqueued job d\n",
    stderr: "",
  });
  await home.ok("queue", "resume", "held");
  assert.equal((await home.run(["enqueue", "--queue", "held", "--id", "e", "true"])).stderr, "");
});

Deno.test("enqueue --file says how many of its jobs wait for each paused queue's resume", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "held");
  await home.ok("queue", "pause", "idle");
  const lines = [
    "true",
    `{"command": "true", "queue": "held"}`,
    `{"command": "true", "queue": "held"}`,
    `{"command": "true", "queue": "other"}`,
  ].join("\n");
  const result = await home.run(["enqueue", "--file", "-"], { stdin: lines });
  assert.deepEqual(result, {
    code: 0,
    stdout: "Enqueued 4 jobs\n",
    stderr: `queuectl: queue "held" is paused: 2 jobs run after 'queuectl queue resume held'\n`,
  });
  const one = await home.run(["enqueue", "--file", "-", "--queue", "idle"], { stdin: "true" });
  assert.equal(
    one.stderr,
    `queuectl: queue "idle" is paused: 1 job runs after 'queuectl queue resume idle'\n`,
  );
});

Deno.test("enqueue --file counts only the jobs it stored that wait for a paused queue", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "held");
  await home.ok("enqueue", "--queue", "open", "--unique-key", "k", "--id", "holder", "true");
  await home.ok("enqueue", "--queue", "open", "--id", "gone", "true");
  await home.ok("cancel", "gone");
  const lines = [
    `{"command": "true", "unique_key": "k"}`,
    `{"command": "true", "unique_key": "k"}`,
    `{"command": "true", "after": ["gone"]}`,
    "true",
  ].join("\n");
  const result = await home.run(["enqueue", "--file", "-", "--queue", "held"], { stdin: lines });
  assert.equal(result.code, 0);
  assert.equal(
    result.stderr,
    [
      `queuectl: queue "held" is paused: 1 job runs after 'queuectl queue resume held'`,
      "queuectl: Skipped 2 job(s) whose unique key is held by an unfinished job",
      "",
    ].join("\n"),
  );
  // Nothing stored: nothing waits for the resume.
  const skipped = await home.run(["enqueue", "--file", "-", "--queue", "held"], {
    stdin: `{"command": "true", "unique_key": "k"}`,
  });
  assert.equal(
    skipped.stderr,
    "queuectl: Skipped 1 job(s) whose unique key is held by an unfinished job\n",
  );
});

Deno.test("run refuses a paused queue, naming the resume, and with no worker both commands", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "held");
  const unserved = await home.run(["run", "--queue", "held", "--", "true"]);
  assert.equal(unserved.code, 1);
  assert.equal(
    unserved.stderr,
    `queuectl: Queue "held" is paused and no worker is running for it: resume it with 'queuectl queue resume held' and start one with 'queuectl worker start', or pass --wait-for-worker\n`,
  );
  await home.ok("worker", "start");
  const paused = await home.run(["run", "--queue", "held", "--", "true"]);
  assert.equal(paused.code, 1);
  assert.equal(
    paused.stderr,
    `queuectl: Queue "held" is paused: resume it with 'queuectl queue resume held', or pass --wait-for-worker\n`,
  );
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
});

Deno.test("run --wait-for-worker into a paused queue says so and runs the job once it is resumed", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  await home.ok("queue", "pause", "held");
  const child = home.spawn(["run", "--wait-for-worker", "--queue", "held", "--", "echo", "late"]);
  const stdout = new Response(child.stdout).text();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const seen = await readStderr(child, stderr, (text) => text.includes(RESUME_NOTE));
  assert.match(seen, /^queuectl: job \S+ enqueued\nqueuectl: queue "held" is paused: /);
  await home.ok("queue", "resume", "held");
  assert.equal((await child.status).code, 0);
  assert.equal(await stdout, "late\n");
});

Deno.test("wait on jobs of paused queues names each queue once, at the start", async () => {
  await using home = await TestHome.create();
  await home.ok("queue", "pause", "held");
  await home.ok("queue", "pause", "other");
  await home.enqueue("--queue", "held", "--id", "h1", "true");
  await home.enqueue("--queue", "held", "--id", "h2", "true");
  await home.enqueue("--queue", "other", "--id", "o1", "true");
  await home.enqueue("--id", "d1", "true");
  const child = home.spawn(["wait", "h1", "h2", "o1", "d1", "--timeout", "20s"]);
  const stdout = new Response(child.stdout).text();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const expected = [
    `queuectl: queue "held" is paused: 2 of the 4 jobs run after 'queuectl queue resume held'\n`,
    `queuectl: queue "other" is paused: 1 of the 4 jobs runs after 'queuectl queue resume other'\n`,
    `queuectl: no worker is running: the jobs run after 'queuectl worker start'\n`,
  ].join("");
  let seen = await readStderr(child, stderr, (text) => text.length >= expected.length);
  assert.equal(seen, expected);
  await home.ok("worker", "start");
  await home.ok("queue", "resume", "held");
  await home.ok("queue", "resume", "other");
  assert.equal((await child.status).code, 0);
  for (let chunk = await stderr.read(); !chunk.done; chunk = await stderr.read()) {
    seen += chunk.value;
  }
  assert.equal(seen, expected, "the notes are not repeated");
  assert.equal(
    (await stdout).split("\n").filter(Boolean).sort().join(" "),
    "d1 completed h1 completed h2 completed o1 completed",
  );
  // One job, in a paused queue: "the job".
  await home.ok("queue", "pause", "held");
  await home.enqueue("--queue", "held", "--id", "h3", "true");
  const timedOut = await home.run(["wait", "h3", "--timeout", "100ms"]);
  assert.equal(timedOut.code, 124);
  assert.match(
    timedOut.stderr,
    /^queuectl: queue "held" is paused: the job runs after 'queuectl queue resume held'\nqueuectl: Timed out /,
  );
});

Deno.test("status names the paused queues, in its text and its JSON", async () => {
  await using home = await TestHome.create();
  const none = await home.ok("status");
  assert.doesNotMatch(none, /Paused/);
  assert.deepEqual((await home.json<{ paused_queues: string[] }>("status")).paused_queues, []);
  // A queue can be paused before its first job; a limited one is not paused.
  await home.ok("queue", "pause", "c");
  await home.enqueue("--queue", "b", "true");
  await home.ok("queue", "pause", "b");
  await home.ok("queue", "set", "limited", "--concurrency", "1");
  assert.match(await home.ok("status"), /^Paused queues: b, c$/m);
  assert.deepEqual((await home.json<{ paused_queues: string[] }>("status")).paused_queues, [
    "b",
    "c",
  ]);
  await home.ok("queue", "resume", "b");
  assert.match(await home.ok("status"), /^Paused queues: c$/m);
});
