import assert from "node:assert/strict";
import { cancelJobs } from "../../src/cli/cancel_jobs.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite_store.ts";
import type { WorkerRecord } from "../../src/store/store.ts";
import { leaseFrom } from "../../src/worker/lease_clock.ts";
import { newJobFixture } from "../helpers/fixtures.ts";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const SENTINEL = "sentinel";

/**
 * A socket standing for a worker's, which records what each connection to it says. What was
 * sent before a call of `said` is read in order, up to a connection that `said` makes itself:
 * nothing sleeps waiting for a poke that is not coming.
 */
class RecordingSocket implements Disposable {
  readonly path: string;
  readonly #listener: Deno.Listener;

  constructor(path: string) {
    this.path = path;
    this.#listener = Deno.listen({ transport: "unix", path });
  }

  /** What the connections made so far said, one entry each. */
  async said(): Promise<string[]> {
    const sentinel = await Deno.connect({ transport: "unix", path: this.path });
    await sentinel.write(new TextEncoder().encode(SENTINEL));
    sentinel.close();
    const messages: string[] = [];
    for (;;) {
      const connection = await this.#listener.accept();
      const message = await new Response(connection.readable).text();
      if (message === SENTINEL) return messages;
      messages.push(message);
    }
  }

  [Symbol.dispose](): void {
    this.#listener.close();
  }
}

Deno.test({
  name: "cancel asks for a heartbeat only the other host's worker that runs the cancelled job",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "queuectl-cancel-" });
    const store = new SqliteStore(`${dir}/queue.db`);
    try {
      using runner = new RecordingSocket(`${dir}/runner.sock`);
      using idle = new RecordingSocket(`${dir}/idle.sock`);
      const register = (pid: number, wakeSocket: string): Promise<WorkerRecord> =>
        store.registerWorker({
          host: "elsewhere",
          pid,
          procStart: null,
          queues: null,
          concurrency: 1,
          wakeSocket,
          burst: false,
        }, NOW);
      const worker = await register(101, runner.path);
      await register(102, idle.path);
      await store.enqueueJob(newJobFixture(NOW, { id: "running" }), NOW);
      await store.enqueueJob(newJobFixture(NOW, { id: "waiting" }), NOW);
      const claimed = await store.claimNextJob({
        worker,
        now: NOW,
        lease: leaseFrom(NOW, null, 30_000),
      });
      assert.equal(claimed?.id, "running");

      const { cancelled } = await cancelJobs(store, ["running", "waiting"], () => NOW);
      assert.deepEqual(cancelled.map((job) => job.id), ["running", "waiting"]);
      assert.deepEqual(await runner.said(), ["heartbeat"]);
      assert.deepEqual(await idle.said(), []);
    } finally {
      store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
