import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

const NOTE = "queuectl: every retry waits backoff_max (1m30s), since backoff_unit × backoff_base " +
  "(1h30m × 2 = 3h) reaches it: raise backoff_max or lower backoff_unit for waits that grow\n";

Deno.test("config set of a backoff_unit at or above backoff_max stores it and notes what it means", async () => {
  await using home = await TestHome.create({ backoff_max: "1m30s" });
  const unit = await home.run(["config", "set", "backoff_unit", "1h30m"]);
  assert.deepEqual([unit.code, unit.stdout, unit.stderr], [0, "backoff_unit = 1h30m\n", NOTE]);
  assert.equal(await home.ok("config", "get", "backoff_unit"), "1h30m\n");
  // The other order, and its fix, stay possible.
  const max = await home.run(["config", "set", "backoff_max", "1m30s"]);
  assert.deepEqual([max.code, max.stdout, max.stderr], [0, "backoff_max = 1m30s\n", NOTE]);
  const fixed = await home.run(["config", "set", "backoff_max", "4h"]);
  assert.deepEqual([fixed.code, fixed.stdout, fixed.stderr], [0, "backoff_max = 4h\n", ""]);
});
