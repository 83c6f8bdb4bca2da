import type { Store } from "../store/store.ts";

/**
 * Wake-up sockets: each worker listens on a Unix socket in the data directory; whoever makes a
 * job due (enqueue, retry, dlq retry) connects to each after its COMMIT. Measured here at ~1 ms
 * from commit to wake-up, against up to a poll interval for polling alone (which stays as
 * fallback).
 */
const MAX_SOCKET_PATH = 100;

/**
 * What a poke from `worker stop` says, to a worker it cannot signal (another host, another PID
 * namespace): look at your stop request now, not at your next heartbeat. Every other poke says
 * nothing, so that a wake-up costs a worker no read of its row.
 */
const STOP_MESSAGE = "stop";

function wakeSocketsSupported(): boolean {
  return Deno.build.os !== "windows";
}

/**
 * Listens on `path` and calls `onWake` for each poke, and `onStopRequest` too for a poke from
 * `worker stop` (pokeToStop); null where sockets are unavailable.
 */
export function listenForWakeups(
  path: string,
  onWake: () => void,
  onStopRequest: () => void,
): Deno.Listener | null {
  if (!wakeSocketsSupported() || new TextEncoder().encode(path).length > MAX_SOCKET_PATH) {
    return null;
  }
  try {
    Deno.removeSync(path);
  } catch {
    // No stale socket from a killed worker.
  }
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ transport: "unix", path });
  } catch {
    return null;
  }
  (async () => {
    try {
      for await (const connection of listener) {
        onWake();
        void readStopMessage(connection).then((stop) => {
          if (stop) onStopRequest();
        });
      }
    } catch {
      // The listener was closed.
    }
  })();
  return listener;
}

/** Whether a poke's connection says STOP_MESSAGE; closes it. A plain poke has closed already. */
async function readStopMessage(connection: Deno.Conn): Promise<boolean> {
  const buffer = new Uint8Array(STOP_MESSAGE.length);
  try {
    const read = await connection.read(buffer);
    return read !== null && new TextDecoder().decode(buffer.subarray(0, read)) === STOP_MESSAGE;
  } catch {
    return false;
  } finally {
    connection.close();
  }
}

/** Pokes each socket to have its worker read its stop request now (see STOP_MESSAGE). */
export async function pokeToStop(paths: readonly string[]): Promise<void> {
  const message = new TextEncoder().encode(STOP_MESSAGE);
  await Promise.all(paths.map(async (path) => {
    try {
      const connection = await Deno.connect({ transport: "unix", path });
      try {
        await connection.write(message);
      } finally {
        connection.close();
      }
    } catch {
      // Not listening, or not of this machine: the worker sees the request at its heartbeat.
    }
  }));
}

/** Pokes every socket; a dead worker's stale socket is skipped. */
export async function pokeWakeSockets(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map(async (path) => {
    try {
      const connection = await Deno.connect({ transport: "unix", path });
      connection.close();
    } catch {
      // Not listening: the worker is gone or busy starting; its poll will find the job.
    }
  }));
}

/**
 * After a commit that made jobs due, wakes idle workers at once instead of at their next poll.
 * Returns how many sockets it poked: 0 when no worker is registered (or none has a socket).
 */
export async function wakeWorkers(store: Pick<Store, "listWakeSockets">): Promise<number> {
  const sockets = await store.listWakeSockets();
  if (sockets.length > 0) await pokeWakeSockets(sockets);
  return sockets.length;
}
