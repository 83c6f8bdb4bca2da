import assert from "node:assert/strict";
import type { WorkerRecord } from "../../src/store/store.ts";
import { removeLostWakeSocket } from "../../src/worker/lost_wake_socket.ts";
import { wakeSocketPath } from "../../src/worker/wake_socket_path.ts";
import { pathExists } from "../helpers/cli.ts";

const HOST = "h1";

function worker(fields: Partial<WorkerRecord>): WorkerRecord {
  return {
    id: 1,
    host: HOST,
    pid: 123,
    procStart: null,
    startedAt: 0,
    heartbeatAt: Date.now() + 60_000,
    queues: null,
    concurrency: 1,
    stopRequest: "none",
    wakeSocket: null,
    burst: false,
    currentJobs: [],
    ...fields,
  };
}

/** A workers directory with the socket a worker of pid 123 on `host` makes. */
async function withSocket(
  test: (workers: string, socket: string) => Promise<void>,
  host = HOST,
): Promise<void> {
  const workers = await Deno.makeTempDir({ prefix: "queuectl-workers-" });
  const socket = wakeSocketPath(workers, 123, host);
  // Open throughout: closing a listener removes its socket, as a worker's clean exit does.
  const listener = Deno.listen({ transport: "unix", path: socket });
  try {
    await test(workers, socket);
  } finally {
    listener.close();
    await Deno.remove(workers, { recursive: true });
  }
}

Deno.test("removeLostWakeSocket() removes the socket the lost worker made for its pid", async () => {
  await withSocket(async (workers, socket) => {
    await removeLostWakeSocket(worker({ wakeSocket: socket }), [], workers);
    assert.equal(await pathExists(socket), false);
  });
});

Deno.test("removeLostWakeSocket() removes the socket another host's lost worker made in the shared home", async () => {
  await withSocket(async (workers, socket) => {
    await removeLostWakeSocket(worker({ wakeSocket: socket, host: "h2" }), [], workers);
    assert.equal(await pathExists(socket), false);
  }, "h2");
});

Deno.test("removeLostWakeSocket() leaves a socket that is not the lost worker's", async () => {
  await withSocket(async (workers, socket) => {
    const cases: [string, WorkerRecord, WorkerRecord[], string][] = [
      [
        "made after its last heartbeat",
        worker({ wakeSocket: socket, heartbeatAt: 0 }),
        [],
        workers,
      ],
      ["of a worker still registered", worker({ wakeSocket: socket }), [
        worker({ id: 2, wakeSocket: socket }),
      ], workers],
      ["of another pid", worker({ wakeSocket: socket, pid: 124 }), [], workers],
      ["of the same pid on another host", worker({ wakeSocket: socket, host: "h2" }), [], workers],
      ["outside the workers directory", worker({ wakeSocket: socket }), [], `${workers}/sub`],
    ];
    for (const [what, lost, remaining, directory] of cases) {
      await removeLostWakeSocket(lost, remaining, directory);
      assert.equal(await pathExists(socket), true, what);
    }
  });
});

Deno.test("removeLostWakeSocket() leaves a regular file or a link under the socket's name", async () => {
  const workers = await Deno.makeTempDir({ prefix: "queuectl-workers-" });
  try {
    const path = wakeSocketPath(workers, 123, HOST);
    await Deno.writeTextFile(`${workers}/target`, "");
    await Deno.writeTextFile(path, "");
    await removeLostWakeSocket(worker({ wakeSocket: path }), [], workers);
    assert.equal(await pathExists(path), true, "a regular file");
    await Deno.remove(path);
    await Deno.symlink(`${workers}/target`, path);
    await removeLostWakeSocket(worker({ wakeSocket: path }), [], workers);
    assert.equal((await Deno.lstat(path)).isSymlink, true, "a link");
  } finally {
    await Deno.remove(workers, { recursive: true });
  }
});
