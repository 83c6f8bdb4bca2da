import assert from "node:assert/strict";
import { type JobJson, TestHome, waitForState } from "../helpers/cli.ts";
import { OUTPUTS } from "../helpers/json_contract.ts";
import { assertShape } from "../helpers/json_shape.ts";

interface WorkerJson {
  id: number;
  pid: number;
  host: string;
  queues: string[] | null;
  current_jobs: string[];
  stopping: boolean;
}

interface StatusJson {
  jobs: Record<string, number>;
  total: number;
  workers: WorkerJson[];
  oldest_pending_age_seconds: number | null;
  oldest_pending_due_at: string | null;
  oldest_pending_created_at: string | null;
}

Deno.test("every --json output has exactly the documented keys and value types", async () => {
  // A failed job's retry waits 20 minutes: `retry` finds it failed, whenever it looks.
  await using home = await TestHome.create({ backoff_unit: "10m" });
  const checked = new Set<string>();
  /** Checks one output against its contract shape (docs/json.md) and returns it typed. */
  const check = <T>(output: string, value: unknown): T => {
    const shape = OUTPUTS[output];
    assert.ok(shape, `no contract for ${output}`);
    assertShape(value, shape, output);
    checked.add(output);
    return value as T;
  };

  // Before any worker: a job with every optional field set, one bound for the DLQ, one that
  // waits for the first, one scheduled for later, and a batch with a duplicate unique key.
  const rich = check<JobJson>(
    "queuectl enqueue --json",
    JSON.parse(
      await home.ok(
        ...["enqueue", "--json", "--id", "ok-1", "--env", "GREETING=hi", "--unique-key", "greet"],
        ...[
          "--timeout",
          "30s",
          "--retry-on",
          "75",
          "--no-retry-on",
          "2",
          "--",
          "echo",
          "$GREETING",
        ],
      ),
    ),
  );
  assert.equal(rich.state, "pending");
  assert.deepEqual(rich.env, { GREETING: "hi" });
  assert.equal(rich.timeout, 30);
  assert.deepEqual([rich.retry_on, rich.no_retry_on, rich.unique_key], [[75], [2], "greet"]);
  assert.deepEqual([rich.started_at, rich.finished_at, rich.exit_code, rich.worker], [
    null,
    null,
    null,
    null,
  ]);
  await home.enqueue("--id", "bad-1", "--max-retries", "0", "echo broken >&2; exit 3");
  await home.enqueue("--id", "next-1", "--after", "ok-1", "true");
  await home.enqueue("--id", "later-1", "--delay", "1h", "true");
  const batch = await home.run(["enqueue", "--file", "-", "--json"], {
    stdin: '{"command": "true", "unique_key": "greet"}\ntrue\n',
  });
  assert.equal(batch.code, 0, batch.stderr);
  const { enqueued, duplicates, ids: batchIds } = check<
    { enqueued: number; duplicates: number; ids: string[] }
  >("queuectl enqueue --file <path> --json", JSON.parse(batch.stdout));
  assert.deepEqual([enqueued, duplicates], [1, 1]);
  assert.equal(batchIds[0], rich.id, "a skipped line gives the id of the job holding its key");
  assert.equal((await home.job(batchIds[1]!)).command, "true");

  const pids = check<number[]>(
    "queuectl worker start --json",
    await home.json("worker", "start", "--queue", "default"),
  );
  assert.equal(pids.length, 1);
  const waited = await home.run(["wait", "ok-1", "bad-1", "next-1", "--json"]);
  assert.equal(waited.code, 1, waited.stderr);
  const [done, dead, next] = check<JobJson[]>(
    "queuectl wait <id>... --json",
    JSON.parse(waited.stdout),
  );
  assert.deepEqual([done?.state, dead?.state, next?.state], ["completed", "dead", "completed"]);
  assert.equal(done!.exit_code, 0);
  assert.equal(done!.last_error, null);
  assert.ok(done!.started_at! <= done!.finished_at!);
  assert.equal(dead!.exit_code, 3);
  assert.equal(dead!.last_error, "exited with code 3: broken");
  assert.deepEqual(next!.after, ["ok-1"]);

  // A running job, for the views of workers, and a due one in a queue no worker serves.
  await home.enqueue("--id", "slow-1", "sleep 30");
  await waitForState(home, "slow-1", "processing");
  const side = await home.job(await home.enqueue("--id", "side-1", "--queue", "side", "true"));
  const status = check<StatusJson>("queuectl status --json", await home.json("status"));
  assert.deepEqual(status.jobs, {
    pending: 2,
    processing: 1,
    completed: 3,
    failed: 0,
    dead: 1,
    cancelled: 0,
  });
  assert.equal(status.total, 7);
  // side-1, not later-1, which was enqueued before it but is not due.
  assert.ok(status.oldest_pending_age_seconds! >= 0);
  assert.equal(status.oldest_pending_due_at, side.created_at);
  assert.equal(status.oldest_pending_created_at, side.created_at);
  const [worker] = check<WorkerJson[]>(
    "queuectl worker list --json",
    await home.json("worker", "list"),
  );
  assert.deepEqual(status.workers, [worker]);
  assert.deepEqual([worker!.pid, worker!.queues, worker!.current_jobs, worker!.stopping], [
    pids[0],
    ["default"],
    ["slow-1"],
    false,
  ]);
  const running = check<JobJson>("queuectl show <id> --json", await home.json("show", "slow-1"));
  assert.equal(running.worker, `${worker!.host}:${worker!.pid}`);
  assert.equal(running.finished_at, null);
  const listed = check<JobJson[]>("queuectl list --json", await home.json("list"));
  assert.equal(listed.length, 7);
  const dlq = check<JobJson[]>("queuectl dlq list --json", await home.json("dlq", "list"));
  assert.deepEqual(dlq.map((job) => job.id), ["bad-1"]);
  const queues = check<{ name: string }[]>(
    "queuectl queue list --json",
    await home.json("queue", "list"),
  );
  assert.deepEqual(queues.map((queue) => queue.name), ["default", "side"]);
  const config = check<Record<string, string>>(
    "queuectl config list --json",
    await home.json("config", "list"),
  );
  assert.equal(config.poll_interval_ms, 50);
  check("queuectl version --json", await home.json("version"));

  const logs = check<{ state: string; attempts: { attempt: number; output: string }[] }>(
    "queuectl logs <id> --json",
    await home.json("logs", "bad-1"),
  );
  assert.equal(logs.state, "dead");
  assert.ok(logs.attempts.length >= 1);
  assert.equal(logs.attempts[0]!.attempt, 1);

  // Changes.
  assert.deepEqual(
    check("queuectl cancel <id>... --json", await home.json("cancel", "slow-1")),
    ["slow-1"],
  );
  await home.enqueue("--id", "flaky-1", "--max-retries", "1", "false");
  await waitForState(home, "flaky-1", "failed");
  assert.deepEqual(
    check("queuectl retry --json", await home.json("retry", "flaky-1")),
    ["flaky-1"],
  );
  assert.deepEqual(
    check("queuectl dlq retry --json", await home.json("dlq", "retry", "bad-1")),
    ["bad-1"],
  );
  const pruned = check<{ deleted: number }>(
    "queuectl prune --json",
    await home.json("prune", "--older-than", "0s", "--state", "completed"),
  );
  assert.equal(pruned.deleted, 3);
  assert.deepEqual(
    check("queuectl worker stop --json", await home.json("worker", "stop")),
    { stopped: pids, remaining: [] },
  );

  assert.deepEqual([...checked].sort(), Object.keys(OUTPUTS).sort());
});
