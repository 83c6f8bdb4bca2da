import type { Store } from "../store/store.ts";

/**
 * Wake-up sockets: each worker listens on a Unix socket in the data directory; whoever makes a
 * job due (enqueue, retry, dlq retry) connects to each after its COMMIT. Measured here at ~1 ms
 * from commit to wake-up, against up to a poll interval for polling alone (which stays as
 * fallback).
 */
const MAX_SOCKET_PATH = 100;
/** After a failed accept (a connection was waiting), when to accept again. */
const ACCEPT_RETRY_MS = 100;
/**
 * How long a poke's connection may stay open unread: a poker stopped (or gone into a frozen
 * container) before it closed would otherwise hold one of the worker's descriptors for good.
 */
const POKE_READ_MS = 5000;

/**
 * What a poke says that asks for a heartbeat now: `worker stop` to a worker it cannot signal
 * (another host, another PID namespace), and `cancel` to the worker of a running job it cannot
 * kill, so that the worker reads its stop request, and which jobs are still its own, at once
 * rather than at its next heartbeat. Every other poke says nothing: a wake-up costs a worker no
 * heartbeat.
 */
const HEARTBEAT_MESSAGE = "heartbeat";

function wakeSocketsSupported(): boolean {
  return Deno.build.os !== "windows";
}

/**
 * Listens on `path` and calls `onWake` for each poke, and `onHeartbeatRequest` too for a poke
 * that asks for one (pokeForHeartbeat); null where sockets are unavailable.
 */
export function listenForWakeups(
  path: string,
  onWake: () => void,
  onHeartbeatRequest: () => void,
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
    for (;;) {
      let connection: Deno.Conn;
      try {
        connection = await listener.accept();
      } catch (error) {
        if (error instanceof Deno.errors.BadResource) return;
        // Not closed: this accept failed (too many open files, ...). The listener stays: given
        // up, the worker was woken by nothing but its poll for as long as it ran.
        onWake();
        await new Promise((resolve) => setTimeout(resolve, ACCEPT_RETRY_MS));
        continue;
      }
      onWake();
      void readHeartbeatRequest(connection).then((asked) => {
        if (asked) onHeartbeatRequest();
      });
    }
  })();
  return listener;
}

/**
 * Whether a poke's connection says HEARTBEAT_MESSAGE; closes it. A plain poke has closed
 * already.
 */
async function readHeartbeatRequest(connection: Deno.Conn): Promise<boolean> {
  const buffer = new Uint8Array(HEARTBEAT_MESSAGE.length);
  let closed = false;
  const close = () => {
    if (!closed) connection.close();
    closed = true;
  };
  const deadline = setTimeout(close, POKE_READ_MS);
  try {
    let filled = 0;
    while (filled < buffer.length) {
      const read = await connection.read(buffer.subarray(filled));
      if (read === null) return false;
      filled += read;
    }
    return new TextDecoder().decode(buffer) === HEARTBEAT_MESSAGE;
  } catch {
    return false;
  } finally {
    clearTimeout(deadline);
    close();
  }
}

/** The sockets of the workers on hosts other than `host`, which no signal from here reaches. */
export function otherHostSockets(
  workers: readonly { readonly host: string; readonly wakeSocket: string | null }[],
  host: string,
): string[] {
  return workers.flatMap(({ host: theirs, wakeSocket }) =>
    theirs !== host && wakeSocket !== null ? [wakeSocket] : []
  );
}

/** Pokes each socket to have its worker send a heartbeat now (see HEARTBEAT_MESSAGE). */
export async function pokeForHeartbeat(paths: readonly string[]): Promise<void> {
  const message = new TextEncoder().encode(HEARTBEAT_MESSAGE);
  await Promise.all(paths.map(async (path) => {
    try {
      const connection = await Deno.connect({ transport: "unix", path });
      try {
        await connection.write(message);
      } finally {
        connection.close();
      }
    } catch {
      // Not listening, or not of this machine: the worker looks at its next heartbeat.
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
