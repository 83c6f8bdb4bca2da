import assert from "node:assert/strict";
import { isShortageErrno, isShortageError } from "../../src/worker/resource_shortage.ts";

Deno.test("isShortageError() knows the worker's own shortages from the job's errors", () => {
  for (const code of ["EAGAIN", "EMFILE", "ENFILE", "ENOMEM"]) {
    assert.equal(isShortageError(Object.assign(new Error(code), { code })), true, code);
  }
  for (const code of ["ENOENT", "EACCES", "ENOSPC", "EFBIG", undefined]) {
    assert.equal(isShortageError(Object.assign(new Error("x"), { code })), false, String(code));
  }
  assert.equal(isShortageError(null), false);
});

Deno.test({
  name: "isShortageErrno() knows EAGAIN, ENOMEM, ENFILE and EMFILE as posix_spawn returns them",
  ignore: Deno.build.os !== "linux",
  fn: () => {
    assert.deepEqual([11, 12, 23, 24].map(isShortageErrno), [true, true, true, true]);
    // ENOENT, EACCES, ENOTDIR: about the job's command or directory.
    assert.deepEqual([2, 13, 20].map(isShortageErrno), [false, false, false]);
  },
});
