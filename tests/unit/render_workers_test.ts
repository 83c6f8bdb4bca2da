import assert from "node:assert/strict";
import { renderWorkerTable } from "../../src/cli/render/workers.ts";
import type { WorkerRecord } from "../../src/store/store.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

function worker(fields: Partial<WorkerRecord>): WorkerRecord {
  return {
    id: 1,
    host: "box",
    pid: 100,
    procStart: null,
    startedAt: NOW - 60_000,
    heartbeatAt: NOW - 2000,
    queues: null,
    concurrency: 1,
    stopRequest: "none",
    wakeSocket: null,
    currentJobs: [],
    ...fields,
  };
}

Deno.test("renderWorkerTable() shows each worker's concurrency, stop request and jobs", () => {
  const workers = [
    worker({ pid: 100 }),
    worker({ pid: 101, queues: ["mail", "pdf"], concurrency: 4, currentJobs: ["a", "b"] }),
    worker({ pid: 102, stopRequest: "graceful", currentJobs: ["c"] }),
    worker({ pid: 103, stopRequest: "now" }),
  ];
  assert.equal(
    renderWorkerTable(workers, NOW, null),
    [
      "PID  STARTED  HEARTBEAT  QUEUES    BUSY  STATUS    JOBS",
      "100  1m ago   2s ago     all       0/1   active    -",
      "101  1m ago   2s ago     mail,pdf  2/4   active    a,b",
      "102  1m ago   2s ago     all       1/1   stopping  c",
      "103  1m ago   2s ago     all       0/1   stopping  -",
      "",
    ].join("\n"),
  );
});
