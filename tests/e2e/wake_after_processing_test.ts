/**
 * Whichever way a job leaves `processing`, the work it makes claimable goes to an idle worker
 * at once: the next job of a queue with a concurrency limit (the slot it freed), or the job
 * itself when it is given back. Every test sets a one-minute poll and a 100 s heartbeat, and
 * waits 15 s at most: only a wake-up can start the job in time.
 */
import assert from "node:assert/strict";
import { TestHome, waitFor, waitForState } from "../helpers/cli.ts";

const PROMPTLY_MS = 15_000;

interface WorkerJson {
  pid: number;
  stopping: boolean;
}

/** A home whose idle workers look again only after a minute unless woken. */
async function slowPollingHome(): Promise<TestHome> {
  return await TestHome.create({ poll_interval_ms: "60000", lease_seconds: "300" });
}

/** A command that runs until the gate's file exists. */
function gated(home: TestHome, name: string): string {
  return `while [ ! -f ${home.path}/${name} ]; do sleep 0.05; done`;
}

async function open(home: TestHome, gate: string): Promise<void> {
  await Deno.writeTextFile(`${home.path}/${gate}`, "");
}

/**
 * Queue "one" runs one job at a time. Worker A serves "one" and "other" and runs "first" of
 * "one"; worker B serves only "one" and idles, since "second" waits for the slot; "urgent", of
 * "other", waits for A. When "first" leaves, A's next claim takes "urgent", not "second".
 */
async function slotHeldByWorkerWithOtherWork(home: TestHome): Promise<void> {
  await home.ok("queue", "set", "one", "--concurrency", "1");
  await home.ok("worker", "start", "--queue", "one,other");
  await home.enqueue("--id", "first", "--queue", "one", gated(home, "first-ends"));
  await waitForState(home, "first", "processing");
  await home.ok("worker", "start", "--queue", "one");
  await home.enqueue("--id", "second", "--queue", "one", "true");
  await home.enqueue("--id", "urgent", "--queue", "other", "--priority", "10", gated(home, "end"));
}

Deno.test("a job that ends frees its queue's slot for an idle worker when its own takes other work", async () => {
  await using home = await slowPollingHome();
  try {
    await slotHeldByWorkerWithOtherWork(home);
    await open(home, "first-ends");
    await waitForState(home, "urgent", "processing");
    await waitForState(home, "second", "completed", PROMPTLY_MS);
    assert.equal((await home.job("first")).state, "completed");
  } finally {
    await open(home, "end");
  }
});

Deno.test("cancelling a running job frees its queue's slot for an idle worker", async () => {
  await using home = await slowPollingHome();
  try {
    await slotHeldByWorkerWithOtherWork(home);
    await home.ok("cancel", "first");
    await waitForState(home, "second", "completed", PROMPTLY_MS);
    assert.equal((await home.job("first")).state, "cancelled");
  } finally {
    await open(home, "end");
  }
});

Deno.test("a job given back by a worker stopped with --now goes to an idle worker", async () => {
  await using home = await slowPollingHome();
  try {
    const [stopped] = await home.json<number[]>("worker", "start");
    await home.enqueue("--id", "held", gated(home, "end"));
    await waitForState(home, "held", "processing");
    const [idle] = await home.json<number[]>("worker", "start");
    // A second signal to a stopping worker is `--now` for that worker alone.
    Deno.kill(stopped!, "SIGTERM");
    await waitFor("the worker to be stopping", async () => {
      const workers = await home.json<WorkerJson[]>("worker", "list");
      return workers.some((worker) => worker.pid === stopped && worker.stopping);
    });
    Deno.kill(stopped!, "SIGTERM");
    const job = await waitFor("the job to run on the idle worker", async () => {
      const job = await home.job("held");
      return job.state === "processing" && job.worker?.endsWith(`:${idle}`) && job;
    }, PROMPTLY_MS);
    assert.equal(job.attempts, 1, "the attempt given back was not counted");
  } finally {
    await open(home, "end");
  }
});

Deno.test("a job recovered by worker start frees its queue's slot for an idle worker", async () => {
  await using home = await slowPollingHome();
  try {
    await home.ok("queue", "set", "one", "--concurrency", "1");
    const [lost] = await home.json<number[]>("worker", "start", "--queue", "one");
    await home.enqueue("--id", "first", "--queue", "one", "--max-retries", "0", gated(home, "end"));
    await waitForState(home, "first", "processing");
    await home.ok("worker", "start", "--queue", "one");
    await home.enqueue("--id", "second", "--queue", "one", "true");
    Deno.kill(lost!, "SIGKILL");
    await waitFor("the killed worker to be gone", async () => {
      try {
        const stat = await Deno.readTextFile(`/proc/${lost}/stat`);
        return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
      } catch {
        return true;
      }
    });
    // The new worker serves another queue: only the idle one can take "second", and it learns of
    // the slot that the recovery of "first" freed only through a wake-up.
    await home.ok("worker", "start", "--queue", "other");
    await waitForState(home, "second", "completed", PROMPTLY_MS);
    assert.equal((await home.job("first")).state, "dead");
  } finally {
    await open(home, "end");
  }
});
