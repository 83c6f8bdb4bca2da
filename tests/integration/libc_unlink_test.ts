import assert from "node:assert/strict";
import { libcUnlink } from "../../src/worker/libc_unlink.ts";
import { pathExists } from "../helpers/cli.ts";

const unlinkFile = libcUnlink();
/** The binding exists on Linux with FFI allowed; elsewhere stale logs are unlinked by Deno. */
const ignore = unlinkFile === null;

async function inTempDir(test: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "queuectl-unlink-" });
  try {
    await test(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

Deno.test({
  name: "libc's unlink removes a file, and finds none the same",
  ignore,
  fn: () =>
    inTempDir(async (directory) => {
      const file = `${directory}/job.log`;
      await Deno.writeTextFile(file, "old run\n");
      assert.equal(unlinkFile!(file), true);
      assert.equal(await pathExists(file), false);
      assert.equal(unlinkFile!(file), true);
      assert.equal(unlinkFile!(`${directory}/missing/job.log`), true);
    }),
});

Deno.test({
  name: "libc's unlink leaves what it cannot unlink to the caller",
  ignore,
  fn: () =>
    inTempDir(async (directory) => {
      const notFile = `${directory}/job.log`;
      await Deno.mkdir(notFile);
      assert.equal(unlinkFile!(notFile), false);
      assert.equal(await pathExists(notFile), true);
      const plainFile = `${directory}/plain`;
      await Deno.writeTextFile(plainFile, "");
      assert.equal(unlinkFile!(`${plainFile}/job.log`), false);
      assert.equal(unlinkFile!(`${directory}/job\0.log`), false);
    }),
});
