import assert from "node:assert/strict";
import { type Job, jobToJson } from "../../src/core/job.ts";

const JOB: Job = {
  id: "build-42",
  command: "make test",
  cwd: "/srv/app",
  queue: "default",
  state: "failed",
  attempts: 2,
  maxRetries: 3,
  priority: 5,
  runAt: Date.UTC(2026, 11, 1, 9, 30, 4),
  timeoutMs: 1500,
  createdAt: Date.UTC(2026, 11, 1, 9, 0),
  updatedAt: Date.UTC(2026, 11, 1, 9, 30),
  startedAt: Date.UTC(2026, 11, 1, 9, 29, 58),
  finishedAt: null,
  exitCode: 2,
  lastError: "exited with code 2: boom",
  worker: "host:4242",
  uniqueKey: "nightly",
  env: { MODE: "ci" },
  retryOn: [75],
  noRetryOn: null,
  after: ["build-41"],
};

Deno.test("jobToJson() uses the issue's field names, ISO-8601 UTC times and seconds", () => {
  assert.deepEqual(jobToJson(JOB), {
    id: "build-42",
    command: "make test",
    state: "failed",
    attempts: 2,
    max_retries: 3,
    priority: 5,
    run_at: "2026-12-01T09:30:04.000Z",
    timeout: 1.5,
    created_at: "2026-12-01T09:00:00.000Z",
    updated_at: "2026-12-01T09:30:00.000Z",
    started_at: "2026-12-01T09:29:58.000Z",
    finished_at: null,
    exit_code: 2,
    last_error: "exited with code 2: boom",
    worker: "host:4242",
    queue: "default",
    cwd: "/srv/app",
    after: ["build-41"],
    unique_key: "nightly",
    env: { MODE: "ci" },
    retry_on: [75],
    no_retry_on: null,
  });
});

Deno.test("jobToJson() writes a job without its own timeout as null", () => {
  assert.equal(jobToJson({ ...JOB, timeoutMs: null }).timeout, null);
  assert.equal(jobToJson({ ...JOB, timeoutMs: 0 }).timeout, 0);
});

Deno.test("jobToJson() includes every field the issue names", () => {
  const fields = Object.keys(jobToJson(JOB));
  for (
    const field of [
      "id",
      "command",
      "state",
      "attempts",
      "max_retries",
      "priority",
      "run_at",
      "timeout",
      "created_at",
      "updated_at",
      "started_at",
      "finished_at",
      "exit_code",
      "last_error",
      "worker",
    ]
  ) {
    assert.ok(fields.includes(field), field);
  }
});
