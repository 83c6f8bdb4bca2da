import assert from "node:assert/strict";
import { TestHome, waitFor, waitForState } from "../helpers/cli.ts";

/** A TestHome whose QUEUECTL_HOME is `name` in a temporary directory of its own. */
async function homeNamed(
  name: string,
  config: Record<string, string> = {},
): Promise<{ home: TestHome; path: string; parent: string }> {
  const parent = await Deno.makeTempDir({ prefix: "queuectl-home-path-" });
  const path = `${parent}/${name}`;
  const home = await TestHome.create(config, { env: { QUEUECTL_HOME: path } });
  return { home, path, parent };
}

Deno.test("worker start serves a home whose path holds {pid}, logging in its workers/", async () => {
  const { home, path, parent } = await homeNamed("jobs-{pid}");
  try {
    const started = await home.run(["worker", "start"]);
    assert.equal(started.code, 0, started.stderr);
    const id = (await home.ok("enqueue", "--quiet", "true")).trim();
    await waitForState(home, id, "completed");
    const [worker] = await home.json<{ pid: number }[]>("worker", "list");
    const log = await Deno.readTextFile(`${path}/workers/worker-${worker!.pid}.log`);
    assert.match(log, /worker 1 \(pid \d+\) started/);
  } finally {
    await home[Symbol.asyncDispose]();
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a background worker whose home is moved says why it stopped in the moved home", async () => {
  const { home, path, parent } = await homeNamed("before", { lease_seconds: "3" });
  const moved = `${parent}/after`;
  try {
    await home.ok("worker", "start");
    const [worker] = await home.json<{ pid: number }[]>("worker", "list");
    await Deno.rename(path, moved);
    const log = `${moved}/workers/worker-${worker!.pid}.log`;
    const text = await waitFor("the worker's last lines", async () => {
      const text = await Deno.readTextFile(log);
      return text.includes("worker failed:") && text;
    });
    assert.match(text, /the database .*\/before\/queue\.db was removed or replaced/);
  } finally {
    await home.run(["worker", "stop", "--now", "--timeout", "10s"], {
      env: { QUEUECTL_HOME: moved },
    });
    await home[Symbol.asyncDispose]();
    await Deno.remove(parent, { recursive: true });
  }
});
