import assert from "node:assert/strict";
import { JOBS_PER_BATCH, jobsFromLines, type LineJobs } from "../../src/cli/job_lines.ts";
import { NotUtf8Error } from "../../src/cli/read_lines.ts";
import type { JobSpecContext } from "../../src/core/job_spec.ts";

const CONTEXT: JobSpecContext = { now: 1_000, cwd: "/work", defaultMaxRetries: 3 };

async function* linesIn(...batches: string[][]): AsyncGenerator<string[]> {
  for (const batch of batches) yield batch;
}

async function collect(batches: AsyncIterable<string[]>): Promise<LineJobs[]> {
  return await Array.fromAsync(jobsFromLines(batches, {}, CONTEXT));
}

Deno.test("jobsFromLines() yields full batches whatever the line batches, then the rest", async () => {
  const total = JOBS_PER_BATCH * 2 + 5;
  const lines = Array.from({ length: total }, (_, index) => `echo ${index + 1}`);
  // Cut in uneven pieces, with a comment and a blank line in the middle.
  lines.splice(10, 0, "# comment", "");
  const batches = await collect(linesIn(lines.slice(0, 7), lines.slice(7, 200), lines.slice(200)));
  assert.deepEqual(batches.map((batch) => batch.jobs.length), [JOBS_PER_BATCH, JOBS_PER_BATCH, 5]);
  const all = batches.flatMap((batch) =>
    batch.jobs.map((job, at) => [job.command, batch.lines[at]])
  );
  assert.deepEqual(all[9], ["echo 10", 10]);
  assert.deepEqual(all[10], ["echo 11", 13], "line numbers count the skipped lines");
  assert.deepEqual(all.at(-1), [`echo ${total}`, total + 2]);
});

Deno.test("jobsFromLines() names the first bad line, after whole batches went by", async () => {
  const lines = Array.from({ length: JOBS_PER_BATCH + 1 }, (_, index) => `echo ${index}`);
  lines.push('{"command":"x","timeout":"soon"}', "{");
  const yielded: number[] = [];
  await assert.rejects(
    async () => {
      for await (const batch of jobsFromLines(linesIn(lines), {}, CONTEXT)) {
        yielded.push(batch.jobs.length);
      }
    },
    {
      name: "UsageError",
      message: `Line ${JOBS_PER_BATCH + 2}: Invalid "timeout" "soon": use a number with a unit, ` +
        "such as 500ms, 30s, 5m, 2h or 1d (nothing was enqueued)",
    },
  );
  assert.deepEqual(yielded, [JOBS_PER_BATCH]);
});

Deno.test("jobsFromLines() applies defaults under each line's own fields", async () => {
  const [batch] = await Array.fromAsync(
    jobsFromLines(linesIn(['{"command":"a","priority":2}', "b"]), { priority: 7 }, CONTEXT),
  );
  assert.deepEqual(batch!.jobs.map((job) => [job.command, job.priority]), [["a", 2], ["b", 7]]);
});

Deno.test("jobsFromLines() names a line that is not UTF-8 like any other bad line", async () => {
  async function* refused(): AsyncGenerator<string[]> {
    yield ["echo 1", "echo 2"];
    throw new NotUtf8Error(3);
  }
  await assert.rejects(collect(refused()), {
    name: "UsageError",
    message: "Line 3: not valid UTF-8 (nothing was enqueued)",
  });
});
