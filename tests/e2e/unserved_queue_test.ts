import assert from "node:assert/strict";
import { readStderr, TestHome, waitForState } from "../helpers/cli.ts";

Deno.test("enqueue into a queue only other queues' workers serve names the worker start that serves it", async () => {
  await using home = await TestHome.create();
  // No worker at all: enqueueing first and starting workers later is the usual order.
  assert.equal((await home.run(["enqueue", "--queue", "b", "true"])).stderr, "");
  await home.ok("worker", "start", "--queue", "a");
  const unserved = await home.run(["enqueue", "--queue", "b", "--id", "b1", "--quiet", "true"]);
  assert.deepEqual(unserved, {
    code: 0,
    stdout: "b1\n",
    stderr:
      `queuectl: no running worker serves queue "b": the job runs after 'queuectl worker start --queue b'\n`,
  });
  assert.equal((await home.run(["enqueue", "--queue", "a", "true"])).stderr, "");
  // The command it names is the one that serves the queue.
  await home.ok("worker", "start", "--queue", "b");
  assert.equal((await home.run(["enqueue", "--queue", "b", "true"])).stderr, "");
  await home.ok("wait", "b1", "--timeout", "20s");
});

Deno.test("run --wait-for-worker into a queue only other queues' workers serve names the worker start that serves it", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--queue", "a");
  const child = home.spawn(["run", "--wait-for-worker", "--queue", "b", "--", "echo", "late"]);
  const stdout = new Response(child.stdout).text();
  const note =
    `queuectl: no running worker serves queue "b": the job runs after 'queuectl worker start --queue b'\n`;
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const seen = await readStderr(child, reader, (text) => text.includes(note));
  assert.match(seen, /^queuectl: job \S+ enqueued\n/);
  await home.ok("worker", "start", "--queue", "b");
  assert.equal((await child.status).code, 0);
  assert.equal(await stdout, "late\n");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
});

Deno.test("wait names the queues of its waiting jobs that no running worker serves, once, at the start", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start", "--queue", "a");
  await home.enqueue("--queue", "a", "--id", "a1", "true");
  await home.enqueue("--queue", "b", "--id", "b1", "true");
  await home.enqueue("--queue", "c", "--id", "c1", "--delay", "1h", "true");
  const waited = await home.run(["wait", "a1", "b1", "c1", "--timeout", "1s"]);
  assert.equal(waited.code, 124);
  assert.equal(waited.stdout, "a1 completed\n");
  assert.equal(
    waited.stderr,
    [
      `queuectl: no running worker serves queue "b": 1 of the 3 jobs runs after 'queuectl worker start --queue b'`,
      `queuectl: no running worker serves queue "c": 1 of the 3 jobs runs after 'queuectl worker start --queue c'`,
      "queuectl: Timed out after 1s waiting for 2 job(s): b1, c1",
      "",
    ].join("\n"),
  );
  // A job that is no longer waiting for a worker needs none: nothing is said of it.
  await home.ok("worker", "start", "--queue", "b");
  assert.deepEqual(await home.run(["wait", "a1", "b1", "--timeout", "20s"]), {
    code: 0,
    stdout: "a1 completed\nb1 completed\n",
    stderr: "",
  });
});

Deno.test("enqueue --file says how many of its jobs wait for a worker of a queue only other queues' workers serve", async () => {
  await using home = await TestHome.create();
  const lines = ["true", "true", `{"command": "true", "queue": "a"}`].join("\n");
  // No worker at all: nothing is said, as for one job.
  const before = await home.run(["enqueue", "--file", "-", "--queue", "b"], { stdin: lines });
  assert.equal(before.stderr, "");
  await home.ok("worker", "start", "--queue", "a");
  const unserved = await home.run(["enqueue", "--file", "-", "--queue", "b"], { stdin: lines });
  assert.deepEqual(unserved, {
    code: 0,
    stdout: "Enqueued 3 jobs\n",
    stderr:
      `queuectl: no running worker serves queue "b": 2 jobs run after 'queuectl worker start --queue b'\n`,
  });
  const one = await home.run(["enqueue", "--file", "-", "--queue", "b"], { stdin: "true" });
  assert.equal(
    one.stderr,
    `queuectl: no running worker serves queue "b": 1 job runs after 'queuectl worker start --queue b'\n`,
  );
});

Deno.test("enqueue while every worker is stopping says the job runs after the next worker start", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const busy = await home.enqueue("--", "sh", "-c", "while [ ! -e go ]; do sleep 0.05; done");
  await waitForState(home, busy, "processing");
  // Asked to stop, the worker finishes its job first and takes no new one meanwhile.
  const stop = await home.run(["worker", "stop", "--timeout", "0"]);
  assert.equal(stop.code, 1, stop.stderr);
  const note =
    "queuectl: every running worker is stopping: the job runs after 'queuectl worker start'\n";
  const one = await home.run(["enqueue", "--id", "late", "--quiet", "true"]);
  assert.deepEqual(one, { code: 0, stdout: "late\n", stderr: note });
  const file = await home.run(["enqueue", "--file", "-"], { stdin: "true\ntrue\n" });
  assert.equal(
    file.stderr,
    "queuectl: every running worker is stopping: 2 jobs run after 'queuectl worker start'\n",
  );
  await Deno.writeTextFile(`${home.path}/go`, "");
  await waitForState(home, busy, "completed");
  // The command it names is the one that serves the job.
  await home.ok("worker", "start");
  await home.ok("wait", "late", "--timeout", "20s");
});

Deno.test("run, wait and retry while every worker is stopping say the job runs after the next worker start", async () => {
  // A failed job's retry is an hour away: the worker does not take it while this test runs.
  await using home = await TestHome.create({ backoff_unit: "1h" });
  await home.ok("worker", "start");
  const failed = await home.enqueue("--id", "failed", "--max-retries", "1", "exit 3");
  await waitForState(home, failed, "failed");
  const busy = await home.enqueue("--", "sh", "-c", "while [ ! -e go ]; do sleep 0.05; done");
  await waitForState(home, busy, "processing");
  const stop = await home.run(["worker", "stop", "--timeout", "0"]);
  assert.equal(stop.code, 1, stop.stderr);
  const note = (subject: string) =>
    `queuectl: every running worker is stopping: ${subject} after 'queuectl worker start'\n`;

  assert.deepEqual(await home.run(["run", "true"]), {
    code: 1,
    stdout: "",
    stderr:
      "queuectl: Every running worker is stopping: start one with 'queuectl worker start', or pass --wait-for-worker\n",
  });
  await home.ok("queue", "pause", "p");
  assert.equal(
    (await home.run(["run", "--queue", "p", "true"])).stderr,
    `queuectl: Queue "p" is paused and every running worker is stopping: resume it with 'queuectl queue resume p' and start one with 'queuectl worker start', or pass --wait-for-worker\n`,
  );
  assert.deepEqual(await home.run(["retry", "failed"]), {
    code: 0,
    stdout: "Retrying 1 job now: failed\n",
    stderr: note("the job runs"),
  });
  await home.enqueue("--id", "late", "true");
  const waited = await home.run(["wait", "late", "--timeout", "1ms"]);
  assert.equal(waited.code, 124);
  assert.equal(waited.stderr.split("\n")[0] + "\n", note("the job runs"));

  const child = home.spawn(["run", "--wait-for-worker", "--", "echo", "late"]);
  const stdout = new Response(child.stdout).text();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  await readStderr(child, reader, (text) => text.includes(note("the job runs")));
  await Deno.writeTextFile(`${home.path}/go`, "");
  await waitForState(home, busy, "completed");
  await home.ok("worker", "start");
  assert.equal((await child.status).code, 0);
  assert.equal(await stdout, "late\n");
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
});
