import assert from "node:assert/strict";
import { type OpenLog, workerLog } from "../../src/cli/worker_log.ts";
import { memoryOutput } from "../../src/cli/output.ts";

const AT = Date.UTC(2026, 10, 24, 1, 45, 50, 870);
const STAMP = new Date(AT).toISOString();

/** Opens as the worker does, or fails as `open` does under `ulimit -n` while `short` is set. */
function shortOfFiles(): { open: OpenLog; short: boolean } {
  const opener = {
    short: false,
    open: (path: string) => {
      if (opener.short) {
        throw Object.assign(new Error(`Too many open files (os error 24): open '${path}'`), {
          code: "EMFILE",
        });
      }
      return Deno.openSync(path, { append: true, create: true });
    },
  };
  return opener;
}

Deno.test("workerLog() writes to the file it opened last when it is out of file descriptors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/worker.log`;
    const stderr = memoryOutput();
    const opener = shortOfFiles();
    {
      using log = workerLog(path, stderr, () => AT, opener.open);
      log("started");
      opener.short = true;
      log("cannot start jobs");
      opener.short = false;
      log("jobs start again");
    }
    assert.equal(
      await Deno.readTextFile(path),
      `${STAMP} started\n${STAMP} cannot start jobs\n${STAMP} jobs start again\n`,
    );
    assert.equal(stderr.text(), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "workerLog() follows a rotated log, and keeps open only the file it opened last",
  // Fails the test if a file replaced by a newer one was left open.
  sanitizeResources: true,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/worker.log`;
      const opener = shortOfFiles();
      {
        using log = workerLog(path, memoryOutput(), () => AT, opener.open);
        log("before");
        await Deno.rename(path, `${path}.1`);
        log("after");
        opener.short = true;
        log("short");
      }
      assert.equal(await Deno.readTextFile(`${path}.1`), `${STAMP} before\n`);
      assert.equal(await Deno.readTextFile(path), `${STAMP} after\n${STAMP} short\n`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("workerLog() logs to stderr, once said, when short of files after its log was removed", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/worker.log`;
  const stderr = memoryOutput();
  const opener = shortOfFiles();
  {
    using log = workerLog(path, stderr, () => AT, opener.open);
    await Deno.remove(dir, { recursive: true });
    log("gone");
    opener.short = true;
    log("short");
  }
  assert.equal(
    stderr.text(),
    `queuectl: cannot write --log-file ${path}: No such file or directory; logging to stderr meanwhile\n` +
      `${STAMP} gone\n${STAMP} short\n`,
  );
});
