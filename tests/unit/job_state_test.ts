import assert from "node:assert/strict";
import { OperationalError } from "../../src/core/errors.ts";
import {
  applyJobEvent,
  InvalidTransitionError,
  isJobState,
  JOB_STATES,
  type JobEvent,
  type JobState,
  TERMINAL_STATES,
  TRANSITIONS,
} from "../../src/core/job_state.ts";

const EVENTS = Object.keys(TRANSITIONS) as JobEvent[];

/**
 * The lifecycle as the foundation issue states it, written out independently of TRANSITIONS:
 * pending → processing → completed; a failed attempt → failed (waiting) → processing again;
 * `retry` makes a failed job's retry due now, leaving it failed; after the last retry → dead;
 * `dlq retry` → pending, with the jobs its death cancelled;
 * `worker stop --now` → pending.
 */
const EXPECTED: Readonly<Record<JobState, Partial<Record<JobEvent, JobState>>>> = {
  pending: { claim: "processing", cancel: "cancelled" },
  processing: {
    succeed: "completed",
    fail_retry: "failed",
    fail_final: "dead",
    requeue: "pending",
    cancel: "cancelled",
  },
  completed: {},
  failed: { claim: "processing", retry_now: "failed", cancel: "cancelled" },
  dead: { revive: "pending" },
  cancelled: { revive_dependent: "pending" },
};

Deno.test("JOB_STATES lists the states in lifecycle order, cancelled last", () => {
  assert.deepEqual([...JOB_STATES], [
    "pending",
    "processing",
    "completed",
    "failed",
    "dead",
    "cancelled",
  ]);
});

Deno.test("TRANSITIONS covers exactly the events of the lifecycle", () => {
  assert.deepEqual(
    [...EVENTS].sort(),
    [
      "cancel",
      "claim",
      "fail_final",
      "fail_retry",
      "requeue",
      "retry_now",
      "revive",
      "revive_dependent",
      "succeed",
    ],
  );
});

for (const state of JOB_STATES) {
  for (const event of EVENTS) {
    const expected = EXPECTED[state][event];
    if (expected !== undefined) {
      Deno.test(`applyJobEvent() moves a ${state} job to ${expected} on ${event}`, () => {
        assert.equal(applyJobEvent(state, event), expected);
        assert.ok(TRANSITIONS[event].from.includes(state));
        assert.equal(TRANSITIONS[event].to, expected);
      });
    } else {
      Deno.test(`applyJobEvent() refuses ${event} on a ${state} job`, () => {
        assert.ok(!TRANSITIONS[event].from.includes(state));
        assert.throws(() => applyJobEvent(state, event), (error: unknown) => {
          assert.ok(error instanceof InvalidTransitionError);
          assert.ok(error instanceof OperationalError);
          assert.equal(error.exitCode, 1);
          assert.equal(error.message, `A ${state} job cannot ${event.replace("_", " ")}`);
          return true;
        });
      });
    }
  }
}

Deno.test("claimable states are pending and failed", () => {
  assert.deepEqual([...TRANSITIONS.claim.from].sort(), ["failed", "pending"]);
});

Deno.test("TERMINAL_STATES are left only by reviving a dead job and what its death cancelled", () => {
  assert.deepEqual([...TERMINAL_STATES].sort(), ["cancelled", "completed", "dead"]);
  const expected: Record<string, JobEvent[]> = {
    completed: [],
    dead: ["revive"],
    cancelled: ["revive_dependent"],
  };
  for (const state of TERMINAL_STATES) {
    const allowed = EVENTS.filter((event) => TRANSITIONS[event].from.includes(state));
    assert.deepEqual(allowed, expected[state], state);
  }
});

Deno.test("every state is reachable from pending", () => {
  const reached = new Set<JobState>(["pending"]);
  for (let changed = true; changed;) {
    changed = false;
    for (const state of [...reached]) {
      for (const event of EVENTS) {
        if (!TRANSITIONS[event].from.includes(state)) continue;
        const next = applyJobEvent(state, event);
        if (!reached.has(next)) {
          reached.add(next);
          changed = true;
        }
      }
    }
  }
  assert.deepEqual([...reached].sort(), [...JOB_STATES].sort());
});

Deno.test("isJobState() accepts the five states only, case-sensitively", () => {
  for (const state of JOB_STATES) assert.ok(isJobState(state));
  for (const text of ["", "Pending", "running", "done", "dlq"]) assert.ok(!isJobState(text));
});
