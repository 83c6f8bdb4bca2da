import assert from "node:assert/strict";
import { appendAttemptHeader, appendToLog } from "../../src/worker/job_log.ts";

Deno.test("the worker's lines start their own lines, with a newline added only after a partial one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-job-log-" });
  try {
    const path = `${dir}/job.log`;
    const header = (name: string) => (newlineAdded: boolean) => `${name} ${newlineAdded}`;
    assert.deepEqual(appendAttemptHeader(path, header("first")), {
      line: "first false",
      writeError: null,
    });
    await Deno.writeTextFile(path, "partial", { append: true });
    assert.equal(appendAttemptHeader(path, header("second")).line, "second true");
    await Deno.writeTextFile(path, "line\n", { append: true });
    appendToLog(path, "note after a line");
    await Deno.writeTextFile(path, "cr\r", { append: true });
    appendToLog(path, "note after a partial line");
    assert.equal(
      await Deno.readTextFile(path),
      "first false\npartial\nsecond true\nline\nnote after a line\ncr\r\nnote after a partial line\n",
    );
    const unwritten = appendAttemptHeader(`${dir}/gone/job.log`, header("unwritten"));
    assert.equal(unwritten.line, "unwritten false");
    assert.match(unwritten.writeError?.reason ?? "", /No such file or directory/);
    assert.equal(unwritten.writeError?.shortage, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
