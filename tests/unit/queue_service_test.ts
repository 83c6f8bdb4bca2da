import assert from "node:assert/strict";
import { queueService } from "../../src/core/queue_service.ts";

const serving = (queues: string[] | null) => ({ queues, stopping: false });
const stopping = (queues: string[] | null) => ({ queues, stopping: true });

Deno.test("queueService: no worker is null, whatever the queue", () => {
  assert.equal(queueService("a", []), null);
});

Deno.test("queueService: a worker not stopping for every queue, or for this one, serves it", () => {
  assert.equal(queueService("a", [serving(null)]), "served");
  assert.equal(queueService("a", [serving(["b"]), serving(["a", "c"])]), "served");
});

Deno.test("queueService: workers not stopping for other queues only leave it unserved", () => {
  assert.equal(queueService("a", [serving(["b"]), stopping(null)]), "other_queues");
});

Deno.test("queueService: every worker stopping is stopping, also those that served the queue", () => {
  assert.equal(queueService("a", [stopping(null), stopping(["a"])]), "stopping");
  assert.equal(queueService("a", [stopping(["b"])]), "stopping");
});
