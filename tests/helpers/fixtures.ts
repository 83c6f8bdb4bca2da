/** Builders of jobs for tests: every field filled with a plain default, overridable. */
import type { Job, NewJob } from "../../src/core/job.ts";

/** A job about to be stored: `command` "true" in /tmp, default queue, due at `runAt`. */
export function newJobFixture(runAt: number, fields: Partial<NewJob> = {}): NewJob {
  return {
    id: null,
    command: "true",
    cwd: "/tmp",
    queue: "default",
    maxRetries: 3,
    priority: 0,
    runAt,
    timeoutMs: null,
    uniqueKey: null,
    env: {},
    retryOn: null,
    noRetryOn: null,
    after: [],
    ...fields,
  };
}

/** A stored pending job "j1" (`echo hi` in /srv), enqueued 5 s before `now`. */
export function jobFixture(now: number, fields: Partial<Job> = {}): Job {
  return {
    id: "j1",
    command: "echo hi",
    cwd: "/srv",
    queue: "default",
    state: "pending",
    attempts: 0,
    maxRetries: 3,
    priority: 0,
    runAt: now,
    timeoutMs: null,
    createdAt: now - 5000,
    updatedAt: now - 5000,
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    lastError: null,
    worker: null,
    uniqueKey: null,
    env: {},
    retryOn: null,
    noRetryOn: null,
    after: [],
    ...fields,
  };
}
