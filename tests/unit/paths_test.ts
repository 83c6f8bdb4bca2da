import assert from "node:assert/strict";
import { homeInPasswd, homeLayout, jobLogPath, resolveHome } from "../../src/core/paths.ts";

/** The current directory, for calls that must not need it. */
function noCwd(): string {
  throw new Error("the current directory was not needed here");
}

/** No account database to look in. */
function noAccount(): string | null {
  return null;
}

function env(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

Deno.test("resolveHome() prefers QUEUECTL_HOME", () => {
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "/data/q", HOME: "/home/me" }), "linux", noCwd, noAccount),
    "/data/q",
  );
});

Deno.test("resolveHome() makes a relative QUEUECTL_HOME absolute against the current directory", () => {
  const cwd = () => "/work/dir";
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "relhome" }), "linux", cwd, noAccount),
    "/work/dir/relhome",
  );
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "../q" }), "darwin", cwd, noAccount),
    "/work/dir/../q",
  );
  const windowsCwd = () => "C:\\work";
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "q" }), "windows", windowsCwd, noAccount),
    "C:\\work\\q",
  );
  for (const absolute of ["C:\\data\\q", "\\\\server\\share\\q", "D:q"]) {
    assert.equal(
      resolveHome(env({ QUEUECTL_HOME: absolute }), "windows", noCwd, noAccount),
      absolute,
    );
  }
});

Deno.test("resolveHome() falls back to ~/.queuectl when QUEUECTL_HOME is unset or empty", () => {
  assert.equal(
    resolveHome(env({ HOME: "/home/me" }), "linux", noCwd, noAccount),
    "/home/me/.queuectl",
  );
  assert.equal(
    resolveHome(env({ QUEUECTL_HOME: "", HOME: "/home/me" }), "darwin", noCwd, noAccount),
    "/home/me/.queuectl",
  );
});

Deno.test("resolveHome() uses LOCALAPPDATA, then USERPROFILE, on Windows", () => {
  assert.equal(
    resolveHome(
      env({ LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local" }),
      "windows",
      noCwd,
      noAccount,
    ),
    "C:\\Users\\me\\AppData\\Local\\queuectl",
  );
  assert.match(
    resolveHome(env({ USERPROFILE: "C:\\Users\\me" }), "windows", noCwd, noAccount),
    /^C:\\Users\\me.\.queuectl$/,
  );
});

Deno.test("resolveHome() without HOME takes the user's home from the account database", () => {
  const account = () => "/var/lib/builder";
  assert.equal(resolveHome(env({}), "linux", noCwd, account), "/var/lib/builder/.queuectl");
  assert.equal(
    resolveHome(env({ HOME: "" }), "linux", noCwd, account),
    "/var/lib/builder/.queuectl",
  );
  // Asked only when needed: a file read at every start otherwise.
  const never = () => assert.fail("the account database was read");
  assert.equal(resolveHome(env({ HOME: "/home/me" }), "linux", noCwd, never), "/home/me/.queuectl");
});

Deno.test("homeInPasswd() finds a user's home directory by uid", () => {
  const passwd = [
    "root:x:0:0:root:/root:/bin/bash",
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
    "builder:x:1000:1000:Build,,,:/var/lib/builder:/bin/sh",
    "nohome:x:1001:1001:::/bin/sh",
    "",
  ].join("\n");
  assert.equal(homeInPasswd(passwd, 0), "/root");
  assert.equal(homeInPasswd(passwd, 1000), "/var/lib/builder");
  assert.equal(homeInPasswd(passwd, 1001), null);
  assert.equal(homeInPasswd(passwd, 100), null);
});

Deno.test("resolveHome() without any home says to set QUEUECTL_HOME", () => {
  assert.throws(() => resolveHome(env({}), "linux", noCwd, noAccount), {
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
