import assert from "node:assert/strict";
import {
  type AttemptResult,
  decideAttemptOutcome,
  describeFailure,
  timedOut,
} from "../../src/core/attempt_outcome.ts";
import type { BackoffPolicy } from "../../src/core/backoff.ts";

const NOW = 1_800_000_000_000;
const ENQUEUED_RUN_AT = NOW - 60_000;
const BACKOFF: BackoffPolicy = { base: 2, unitMs: 1000, maxMs: 3_600_000 };

const FAILURES: readonly { result: AttemptResult; exitCode: number | null; lastError: string }[] = [
  {
    result: { kind: "exited", exitCode: 127, outputTail: "sh: 1: nosuchcmd: not found\n" },
    exitCode: 127,
    lastError: "exited with code 127: sh: 1: nosuchcmd: not found",
  },
  {
    result: { kind: "signaled", signal: "SIGKILL", exitCode: 137 },
    exitCode: 137,
    lastError: "killed by SIGKILL",
  },
  {
    result: { kind: "timed_out", timeoutMs: 30_000 },
    exitCode: null,
    lastError: "timed out after 30s",
  },
  {
    result: { kind: "start_failed", message: "No such file or directory" },
    exitCode: null,
    lastError: "could not start: No such file or directory",
  },
  {
    result: { kind: "worker_lost", workerPid: 4242 },
    exitCode: null,
    lastError: "worker lost (pid 4242)",
  },
];

function job(attempts: number, maxRetries: number) {
  return { attempts, maxRetries, runAt: ENQUEUED_RUN_AT };
}

Deno.test("decideAttemptOutcome() completes a job whose command exited 0", () => {
  const success: AttemptResult = { kind: "exited", exitCode: 0, outputTail: "done\n" };
  for (const [attempts, maxRetries] of [[1, 0], [1, 3], [4, 3]] as const) {
    assert.deepEqual(decideAttemptOutcome(job(attempts, maxRetries), success, BACKOFF, NOW), {
      state: "completed",
      runAt: ENQUEUED_RUN_AT,
      exitCode: 0,
      lastError: null,
    });
  }
});

for (const { result, exitCode, lastError } of FAILURES) {
  Deno.test(`decideAttemptOutcome() with max_retries 0 kills a job on its first ${result.kind}`, () => {
    assert.deepEqual(decideAttemptOutcome(job(1, 0), result, BACKOFF, NOW), {
      state: "dead",
      runAt: ENQUEUED_RUN_AT,
      exitCode,
      lastError,
    });
  });

  Deno.test(`decideAttemptOutcome() with max_retries 1 retries one ${result.kind} after 2s`, () => {
    assert.deepEqual(decideAttemptOutcome(job(1, 1), result, BACKOFF, NOW), {
      state: "failed",
      runAt: NOW + 2000,
      exitCode,
      lastError,
    });
    assert.equal(decideAttemptOutcome(job(2, 1), result, BACKOFF, NOW).state, "dead");
  });

  Deno.test(`decideAttemptOutcome() with max_retries 3 retries a ${result.kind} after 2s, 4s, 8s`, () => {
    const outcomes = [1, 2, 3, 4].map((attempts) =>
      decideAttemptOutcome(job(attempts, 3), result, BACKOFF, NOW)
    );
    assert.deepEqual(outcomes.map((outcome) => outcome.state), [
      "failed",
      "failed",
      "failed",
      "dead",
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.runAt), [
      NOW + 2000,
      NOW + 4000,
      NOW + 8000,
      ENQUEUED_RUN_AT,
    ]);
    for (const outcome of outcomes) {
      assert.equal(outcome.exitCode, exitCode);
      assert.equal(outcome.lastError, lastError);
    }
  });
}

Deno.test("decideAttemptOutcome() retries while attempts <= max_retries, for every count to 3", () => {
  const failure: AttemptResult = { kind: "exited", exitCode: 1, outputTail: "" };
  for (const maxRetries of [0, 1, 2, 3]) {
    for (let attempts = 1; attempts <= maxRetries + 2; attempts++) {
      const { state } = decideAttemptOutcome(job(attempts, maxRetries), failure, BACKOFF, NOW);
      assert.equal(
        state,
        attempts <= maxRetries ? "failed" : "dead",
        `attempt ${attempts} of max_retries ${maxRetries}`,
      );
    }
  }
});

Deno.test("decideAttemptOutcome() caps the retry delay at the policy's maximum", () => {
  const failure: AttemptResult = { kind: "exited", exitCode: 1, outputTail: "" };
  const outcome = decideAttemptOutcome(job(20, 100), failure, BACKOFF, NOW);
  assert.equal(outcome.runAt, NOW + 3_600_000);
});

Deno.test("describeFailure() keeps the last non-empty line of the output", () => {
  assert.equal(
    describeFailure({
      kind: "exited",
      exitCode: 2,
      outputTail: "step 1\r\nerror: boom  \r\n\n  \n",
    }),
    "exited with code 2: error: boom",
  );
});

Deno.test("describeFailure() gives the exit code alone when there was no output", () => {
  assert.equal(
    describeFailure({ kind: "exited", exitCode: 3, outputTail: "" }),
    "exited with code 3",
  );
  assert.equal(
    describeFailure({ kind: "exited", exitCode: 3, outputTail: " \n\n" }),
    "exited with code 3",
  );
});

Deno.test("describeFailure() formats the timeout as a duration", () => {
  assert.equal(describeFailure({ kind: "timed_out", timeoutMs: 1500 }), "timed out after 1.5s");
  assert.equal(describeFailure({ kind: "timed_out", timeoutMs: 120_000 }), "timed out after 2m");
});

Deno.test("timedOut() recognises only the last_error of an attempt its timeout ended", () => {
  const timeout = describeFailure({ kind: "timed_out", timeoutMs: 1500 });
  assert.equal(timedOut({ exitCode: null, lastError: timeout }), true);
  const said = describeFailure({ kind: "exited", exitCode: 5, outputTail: timeout });
  assert.equal(timedOut({ exitCode: 5, lastError: said }), false);
  assert.equal(timedOut({ exitCode: null, lastError: "worker lost (pid 7)" }), false);
  assert.equal(
    timedOut({ exitCode: null, lastError: "could not start: timed out after 1s" }),
    false,
  );
  assert.equal(timedOut({ exitCode: null, lastError: null }), false);
});

Deno.test("describeFailure() says 'worker lost' without a pid when none is known", () => {
  assert.equal(describeFailure({ kind: "worker_lost", workerPid: null }), "worker lost");
});

Deno.test("describeFailure() cuts a long message to 300 characters ending in ...", () => {
  const text = describeFailure({ kind: "exited", exitCode: 1, outputTail: "x".repeat(1000) });
  assert.equal(text.length, 300);
  assert.ok(text.startsWith("exited with code 1: xxx"));
  assert.ok(text.endsWith("x..."));
});

Deno.test("describeFailure() always returns one line", () => {
  assert.equal(
    describeFailure({ kind: "start_failed", message: "first\r\n  second\nthird" }),
    "could not start: first second third",
  );
});
