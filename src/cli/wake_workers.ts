import type { Store } from "../store/store.ts";
import { pokeWakeSockets } from "../worker/wake_socket.ts";

/** After a commit that made jobs due, wakes idle workers at once instead of at their next poll. */
export async function wakeWorkers(store: Store): Promise<void> {
  const sockets = await store.listWakeSockets();
  if (sockets.length > 0) await pokeWakeSockets(sockets);
}
