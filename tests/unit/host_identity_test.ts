import assert from "node:assert/strict";
import { hostIdentity } from "../../src/worker/process_info.ts";

Deno.test("hostIdentity() is the machine's name in the machine's own PID namespace", () => {
  assert.equal(hostIdentity("box", "pid:[4026531836]"), "box");
});

Deno.test("hostIdentity() names the PID namespace of a container: its pids are not the machine's", () => {
  assert.equal(hostIdentity("box", "pid:[4026532177]"), "box/pidns-4026532177");
});

Deno.test("hostIdentity() is the machine's name where the namespace is unknown", () => {
  assert.equal(hostIdentity("box", null), "box");
  assert.equal(hostIdentity("box", "something else"), "box");
});
