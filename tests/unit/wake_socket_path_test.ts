import assert from "node:assert/strict";
import { wakeSocketPath } from "../../src/worker/wake_socket_path.ts";

Deno.test("wakeSocketPath() names a worker by its pid and its host", () => {
  const first = wakeSocketPath("/h/workers", 1, "box/pidns-4026532301");
  assert.match(first, /^\/h\/workers\/w1-[0-9a-f]{8}\.sock$/);
  assert.equal(wakeSocketPath("/h/workers", 1, "box/pidns-4026532301"), first);
  assert.notEqual(wakeSocketPath("/h/workers", 1, "box/pidns-4026532302"), first);
  assert.notEqual(wakeSocketPath("/h/workers", 1, "box"), first);
  assert.notEqual(wakeSocketPath("/h/workers", 2, "box/pidns-4026532301"), first);
});

Deno.test("wakeSocketPath() spells a host's tag the same in every version (FNV-1a)", () => {
  // Workers of an older and a newer queuectl share a home during an upgrade: each must find the
  // sockets the other names for its lost workers.
  assert.equal(wakeSocketPath("/w", 7, ""), "/w/w7-811c9dc5.sock");
  assert.equal(wakeSocketPath("/w", 7, "a"), "/w/w7-e40c292c.sock");
});
