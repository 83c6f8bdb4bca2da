import assert from "node:assert/strict";
import { decodeWaitStatus } from "../../src/worker/wait_status.ts";

Deno.test("decodeWaitStatus() reads the exit code from the second byte", () => {
  assert.deepEqual(decodeWaitStatus(0), { code: 0, signal: null });
  assert.deepEqual(decodeWaitStatus(3 << 8), { code: 3, signal: null });
  assert.deepEqual(decodeWaitStatus(255 << 8), { code: 255, signal: null });
});

Deno.test("decodeWaitStatus() names the signal and reports 128 + its number, as Deno does", () => {
  assert.deepEqual(decodeWaitStatus(9), { code: 137, signal: "SIGKILL" });
  assert.deepEqual(decodeWaitStatus(15), { code: 143, signal: "SIGTERM" });
  assert.deepEqual(decodeWaitStatus(1), { code: 129, signal: "SIGHUP" });
  assert.deepEqual(decodeWaitStatus(31), { code: 159, signal: "SIGSYS" });
  // A core dump sets bit 7; the signal is still the low 7 bits.
  assert.deepEqual(decodeWaitStatus(0x80 | 11), { code: 139, signal: "SIGSEGV" });
});

Deno.test("decodeWaitStatus() numbers realtime signals, which Deno.CommandStatus cannot name", () => {
  assert.deepEqual(decodeWaitStatus(35), { code: 163, signal: "signal 35" });
});
