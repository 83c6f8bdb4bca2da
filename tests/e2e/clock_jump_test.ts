import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TestHome, waitForState } from "../helpers/cli.ts";

const AN_HOUR = 3_600_000;

Deno.test({
  name: "a jump of the wall clock past every lease leaves the jobs of live workers running",
  // The host's monotonic clock is read through glibc (lease_clock.ts).
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    // Heartbeats every 100 s: none renews the lease during the test.
    await using home = await TestHome.create({ lease_seconds: "300" });
    await home.ok("worker", "start");
    const release = `${home.path}/release`;
    const id = await home.enqueue(`until [ -e ${release} ]; do sleep 0.05; done; echo done`);
    await waitForState(home, id, "processing");
    // What a laptop woken an hour later, or an NTP step, looks like to the next process to look:
    // the lease ran out an hour ago by the wall clock; the host's monotonic clock did not move.
    const db = new DatabaseSync(`${home.path}/queue.db`);
    try {
      db.exec("PRAGMA busy_timeout = 5000");
      db.prepare("UPDATE jobs SET lease_expires_at = lease_expires_at - ? WHERE id = ?")
        .run(AN_HOUR + 300_000, id);
    } finally {
      db.close();
    }
    // A starting worker recovers lost jobs first, as each worker's heartbeat does.
    await home.ok("worker", "start");
    const after = await home.job(id);
    assert.deepEqual([after.state, after.attempts, after.last_error], ["processing", 1, null]);
    await Deno.writeTextFile(release, "");
    const done = await waitForState(home, id, "completed");
    assert.equal(done.attempts, 1);
    const log = await home.ok("logs", id);
    assert.doesNotMatch(log, /lost with its worker/);
    assert.match(log, /^done$/m);
  },
});
