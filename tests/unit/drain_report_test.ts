import assert from "node:assert/strict";
import { zeroStateCounts } from "../../src/core/job_state.ts";
import type { QueueSummary } from "../../src/store/store.ts";
import { describeLeftJobs } from "../../src/worker/drain_report.ts";

function queue(name: string, paused: boolean, pending: number, failed = 0): QueueSummary {
  return {
    name,
    paused,
    concurrency: null,
    jobs: { ...zeroStateCounts(), pending, failed, completed: 5, processing: 1 },
    heldSlots: 0,
  };
}

const QUEUES = [
  queue("ci", false, 0),
  queue("deploy", true, 2, 1),
  queue("empty", true, 0),
  queue("nightly", false, 3),
];

Deno.test("describeLeftJobs names each queue served that holds jobs, paused or waiting", () => {
  assert.deepEqual(describeLeftJobs(null, QUEUES), [
    "left 3 job(s) in paused queue deploy: 'queuectl queue resume deploy' lets them run",
    "left 3 job(s) in queue nightly waiting for dependencies that wait in a paused queue or in one no worker serves",
  ]);
});

Deno.test("describeLeftJobs leaves out the queues the worker does not serve", () => {
  assert.deepEqual(describeLeftJobs(["ci", "empty"], QUEUES), []);
  assert.deepEqual(describeLeftJobs(["deploy"], QUEUES), [
    "left 3 job(s) in paused queue deploy: 'queuectl queue resume deploy' lets them run",
  ]);
});
