import assert from "node:assert/strict";
import { describeWorkers, renderWorkerTable, workerToJson } from "../../src/cli/render/workers.ts";
import type { LiveWorker } from "../../src/worker/live_workers.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

function worker(fields: Partial<LiveWorker>): LiveWorker {
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
    burst: false,
    currentJobs: [],
    stale: false,
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

Deno.test("renderWorkerTable() names the host of each worker when they are on more than one", () => {
  const workers = [
    worker({ pid: 100 }),
    worker({ pid: 1, host: "box/pidns-4026532177", currentJobs: ["a"] }),
  ];
  assert.equal(
    renderWorkerTable(workers, NOW, null),
    [
      "HOST                  PID  STARTED  HEARTBEAT  QUEUES  BUSY  STATUS  JOBS",
      "box                   100  1m ago   2s ago     all     0/1   active  -",
      "box/pidns-4026532177  1    1m ago   2s ago     all     1/1   active  a",
      "",
    ].join("\n"),
  );
});

Deno.test("renderWorkerTable() shows a worker without a heartbeat for a lease as stale", () => {
  const workers = [
    worker({ pid: 100, heartbeatAt: NOW - 9000, stale: true, currentJobs: ["a"] }),
    worker({ pid: 101, heartbeatAt: NOW - 9000, stale: true, stopRequest: "graceful" }),
  ];
  assert.equal(
    renderWorkerTable(workers, NOW, null),
    [
      "PID  STARTED  HEARTBEAT  QUEUES  BUSY  STATUS  JOBS",
      "100  1m ago   9s ago     all     1/1   stale   a",
      "101  1m ago   9s ago     all     0/1   stale   -",
      "",
    ].join("\n"),
  );
  assert.deepEqual(workers.map(workerToJson).map((json) => [json.stale, json.stopping]), [
    [true, false],
    [true, true],
  ]);
});

Deno.test("describeWorkers() counts running and busy workers and names stale ones apart", () => {
  assert.equal(
    describeWorkers([]),
    "Workers: none running (start some with 'queuectl worker start')",
  );
  assert.equal(
    describeWorkers([worker({}), worker({ pid: 101, currentJobs: ["a"] })]),
    "Workers: 2 running, 1 busy",
  );
  assert.equal(
    describeWorkers([
      worker({}),
      worker({ pid: 101, currentJobs: ["a"], stale: true }),
      worker({ pid: 102, stale: true }),
    ]),
    "Workers: 3 running, 1 busy, 2 stale (no heartbeat for a lease; see 'queuectl worker list')",
  );
});

Deno.test("renderWorkerTable() and workerToJson() show a burst worker's mode", () => {
  const workers = [
    worker({ pid: 100, burst: true }),
    worker({ pid: 101, burst: true, stopRequest: "graceful" }),
    worker({ pid: 102 }),
  ];
  assert.equal(
    renderWorkerTable(workers, NOW, null),
    [
      "PID  STARTED  HEARTBEAT  QUEUES  BUSY  STATUS          JOBS",
      "100  1m ago   2s ago     all     0/1   active (burst)  -",
      "101  1m ago   2s ago     all     0/1   stopping        -",
      "102  1m ago   2s ago     all     0/1   active          -",
      "",
    ].join("\n"),
  );
  assert.deepEqual(workers.map(workerToJson).map((json) => json.burst), [true, true, false]);
});
