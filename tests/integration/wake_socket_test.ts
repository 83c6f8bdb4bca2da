import assert from "node:assert/strict";
import { listenForWakeups } from "../../src/worker/wake_socket.ts";

Deno.test({
  name: "a poke's connection that is never closed is closed by the worker, not kept for good",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const directory = await Deno.makeTempDir({ prefix: "queuectl-wake-" });
    let wakes = 0;
    const listener = listenForWakeups(`${directory}/w.sock`, () => wakes++, () => {});
    assert.ok(listener);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    try {
      using connection = await Deno.connect({ transport: "unix", path: `${directory}/w.sock` });
      // Neither written to nor closed by this side: only the worker can end it.
      const read = connection.read(new Uint8Array(1)).catch(() => null);
      const tooLate = new Promise<"open">((resolve) =>
        deadline = setTimeout(() => resolve("open"), 30_000)
      );
      assert.equal(await Promise.race([read, tooLate]), null);
      assert.equal(wakes, 1);
    } finally {
      clearTimeout(deadline);
      listener.close();
      await Deno.remove(directory, { recursive: true });
    }
  },
});
