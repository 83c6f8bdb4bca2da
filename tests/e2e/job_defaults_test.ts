import assert from "node:assert/strict";
import { type JobJson, TestHome } from "../helpers/cli.ts";

Deno.test("a job's own run_at or delay replaces --delay or --run-at, which are only defaults", async () => {
  await using home = await TestHome.create();
  const runAt = "2027-01-01T00:00:00.000Z";
  const job = await home.json<JobJson>(
    "enqueue",
    "--delay",
    "5m",
    "--priority",
    "3",
    JSON.stringify({ command: "echo b", run_at: runAt }),
  );
  assert.equal(job.run_at, runAt);
  assert.equal(job.priority, 3);
  const lines = [
    JSON.stringify({ id: "dated", command: "true", run_at: runAt }),
    JSON.stringify({ id: "delayed", command: "true", delay: "1h" }),
    JSON.stringify({ id: "default", command: "true" }),
  ].join("\n");
  const file = await home.run(["enqueue", "--run-at", "2028-01-01T00:00:00Z", "--file", "-"], {
    stdin: lines,
  });
  assert.equal(file.code, 0, file.stderr);
  assert.equal((await home.job("dated")).run_at, runAt);
  const delayed = await home.job("delayed");
  assert.equal(Date.parse(delayed.run_at) - Date.parse(delayed.created_at), 3_600_000);
  assert.equal((await home.job("default")).run_at, "2028-01-01T00:00:00.000Z");
});

Deno.test("a JSON job's null field is absent: the option's default applies; a null command is missing", async () => {
  await using home = await TestHome.create();
  const job = await home.json<JobJson>(
    "enqueue",
    "--queue",
    "mail",
    "--timeout",
    "30s",
    '{"command":"true","id":null,"timeout":null,"queue":null,"after":null,"env":null}',
  );
  assert.match(job.id, /^[a-z0-9]+$/);
  assert.deepEqual([job.queue, job.timeout, job.after, job.env], ["mail", 30, [], {}]);
  const file = await home.run(["enqueue", "--priority", "4", "--file", "-"], {
    stdin: '{"id":"a","command":"true","priority":null,"unique_key":null}\n',
  });
  assert.equal(file.code, 0, file.stderr);
  assert.equal((await home.job("a")).priority, 4);
  const missing = await home.run(["enqueue", '{"command":null,"id":"b"}']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'queuectl: Invalid job: "command" is required\n');
});
