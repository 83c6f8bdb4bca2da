import type { Store } from "../store/store.ts";

/**
 * Wake-up sockets: each worker listens on a Unix socket in the data directory; whoever makes a
 * job due (enqueue, retry, dlq retry) connects to each after its COMMIT. Measured here at ~1 ms
 * from commit to wake-up, against up to a poll interval for polling alone (which stays as
 * fallback).
 */
const MAX_SOCKET_PATH = 100;

function wakeSocketsSupported(): boolean {
  return Deno.build.os !== "windows";
}

/** Listens on `path` and calls `onWake` for each poke; null where sockets are unavailable. */
export function listenForWakeups(path: string, onWake: () => void): Deno.Listener | null {
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
        connection.close();
      }
    } catch {
      // The listener was closed.
    }
  })();
  return listener;
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
