import assert from "node:assert/strict";
import { homeLayout } from "../../src/core/paths.ts";
import { hostName } from "../../src/worker/process_info.ts";
import { wakeSocketPath } from "../../src/worker/wake_socket_path.ts";
import { pathExists, processRuns, TestHome, waitFor } from "../helpers/cli.ts";

Deno.test("a worker killed with SIGKILL leaves no wake-up socket once worker list has seen it gone", async () => {
  await using home = await TestHome.create();
  const [pid] = await home.json<number[]>("worker", "start");
  const socket = wakeSocketPath(homeLayout(home.path).workers, pid!, hostName());
  assert.equal(await pathExists(socket), true);
  Deno.kill(pid!, "SIGKILL");
  await waitFor(`worker ${pid} to be gone`, () => !processRuns(pid!));
  await waitFor(
    "worker list to show no worker",
    async () => (await home.json<unknown[]>("worker", "list")).length === 0,
  );
  assert.equal(await pathExists(socket), false);
});

Deno.test("recovery by the next worker start removes the wake-up socket of a worker killed with SIGKILL", async () => {
  await using home = await TestHome.create();
  const [pid] = await home.json<number[]>("worker", "start");
  const socket = wakeSocketPath(homeLayout(home.path).workers, pid!, hostName());
  Deno.kill(pid!, "SIGKILL");
  await waitFor(`worker ${pid} to be gone`, () => !processRuns(pid!));
  const [next] = await home.json<number[]>("worker", "start");
  assert.notEqual(next, pid);
  assert.equal(await pathExists(socket), false);
});

Deno.test("worker stop removes the wake-up socket of a worker killed with SIGKILL", async () => {
  await using home = await TestHome.create();
  const [pid] = await home.json<number[]>("worker", "start");
  const socket = wakeSocketPath(homeLayout(home.path).workers, pid!, hostName());
  Deno.kill(pid!, "SIGKILL");
  await waitFor(`worker ${pid} to be gone`, () => !processRuns(pid!));
  const stopped = await home.run(["worker", "stop"]);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(await pathExists(socket), false);
});
