import assert from "node:assert/strict";
import { homeLayout, jobLogPath, resolveHome } from "../../src/core/paths.ts";

/** The current directory, for calls that must not need it. */
function noCwd(): string {
  throw new Error("the current directory was not needed here");
}

function env(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

Deno.test("resolveHome() prefers QUEUECTL_HOME", () => {
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "/data/q", HOME: "/home/me" }), "linux", noCwd),
    "/data/q",
  );
});

Deno.test("resolveHome() makes a relative QUEUECTL_HOME absolute against the current directory", () => {
  const cwd = () => "/work/dir";
  assert.equal(resolveHome(env({ QUEUECTL_HOME: "relhome" }), "linux", cwd), "/work/dir/relhome");
  assert.equal(resolveHome(env({ QUEUECTL_HOME: "../q" }), "darwin", cwd), "/work/dir/../q");
  const windowsCwd = () => "C:\\work";
  assert.equal(resolveHome(env({ QUEUECTL_HOME: "q" }), "windows", windowsCwd), "C:\\work\\q");
  for (const absolute of ["C:\\data\\q", "\\\\server\\share\\q", "D:q"]) {
    assert.equal(resolveHome(env({ QUEUECTL_HOME: absolute }), "windows", noCwd), absolute);
  }
});

Deno.test("resolveHome() falls back to ~/.queuectl when QUEUECTL_HOME is unset or empty", () => {
  assert.equal(resolveHome(env({ HOME: "/home/me" }), "linux", noCwd), "/home/me/.queuectl");
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "", HOME: "/home/me" }), "darwin", noCwd),
    "/home/me/.queuectl",
  );
});

Deno.test("resolveHome() uses LOCALAPPDATA, then USERPROFILE, on Windows", () => {
  assert.equal(
    resolveHome(env({ LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local" }), "windows", noCwd),
    "C:\\Users\\me\\AppData\\Local\\queuectl",
  );
  assert.match(
    resolveHome(env({ USERPROFILE: "C:\\Users\\me" }), "windows", noCwd),
    /^C:\\Users\\me.\.queuectl$/,
  );
});

Deno.test("resolveHome() without any home says to set QUEUECTL_HOME", () => {
  assert.throws(() => resolveHome(env({}), "linux", noCwd), {
    name: "UsageError",
    message: "Cannot find a home directory: set QUEUECTL_HOME to a directory",
  });
});

Deno.test("homeLayout() puts the database, logs and worker files under the home", () => {
  const layout = homeLayout("/data/q");
  assert.deepEqual(layout, {
    home: "/data/q",
    database: "/data/q/queue.db",
    logs: "/data/q/logs",
    workers: "/data/q/workers",
  });
  assert.equal(jobLogPath(layout, "build-42"), "/data/q/logs/build-42.log");
});
