import assert from "node:assert/strict";
import { programForm, type RuntimeFacts, selfCommand } from "../../src/worker/relaunch.ts";

const SOURCE: RuntimeFacts = {
  standalone: false,
  execPath: "/usr/local/bin/deno",
  mainModule: "file:///home/ada/queuectl/main.ts",
};
const BUNDLE: RuntimeFacts = {
  standalone: false,
  execPath: "/usr/local/bin/deno",
  mainModule: "file:///opt/queuectl/queuectl.js",
};
const BINARY: RuntimeFacts = {
  standalone: true,
  execPath: "/home/ada/.local/bin/queuectl",
  mainModule: "file:///tmp/deno-compile-queuectl/queuectl.js",
};

Deno.test("programForm() tells source, bundle and binary apart", () => {
  assert.equal(programForm(SOURCE), "source");
  assert.equal(programForm(BUNDLE), "bundle");
  assert.equal(programForm(BINARY), "binary");
});

Deno.test("selfCommand() from source runs deno on main.ts with the permission flags", () => {
  assert.deepEqual(selfCommand(["worker", "run"], SOURCE), {
    command: "/usr/local/bin/deno",
    args: ["run", "-A", "--no-config", "file:///home/ada/queuectl/main.ts", "worker", "run"],
  });
});

Deno.test("selfCommand() from the bundle runs deno on the bundle", () => {
  assert.deepEqual(selfCommand(["worker", "run", "--queue", "a"], BUNDLE), {
    command: "/usr/local/bin/deno",
    args: [
      "run",
      "-A",
      "--no-config",
      "file:///opt/queuectl/queuectl.js",
      "worker",
      "run",
      "--queue",
      "a",
    ],
  });
});

Deno.test("selfCommand() from a binary runs the binary itself, never its virtual main module", () => {
  const { command, args } = selfCommand(["worker", "run"], BINARY);
  assert.equal(command, "/home/ada/.local/bin/queuectl");
  assert.deepEqual(args, ["worker", "run"]);
});

Deno.test("selfCommand() under deno run here is this deno and this entry file", () => {
  const { command, args } = selfCommand(["status"]);
  assert.equal(command, Deno.execPath());
  assert.deepEqual(args, ["run", "-A", "--no-config", Deno.mainModule, "status"]);
});
