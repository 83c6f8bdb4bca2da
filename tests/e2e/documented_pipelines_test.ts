/** The `… --json | jq | xargs queuectl …` pipelines of the docs, run as a user would. */
import assert from "node:assert/strict";
import { TestHome, waitFor } from "../helpers/cli.ts";
import { runDocumentedBash } from "../helpers/documented_shell.ts";

/** More jobs than `list` shows by default (50). */
const MANY = 60;

function xargsLine(text: string, where: string): string {
  const line = text.split("\n").find((candidate) => candidate.includes("| xargs"));
  assert.ok(line, `${where} shows an xargs pipeline`);
  return line.trim();
}

/** The pipeline of `cancel --help`. */
async function cancelHelpPipeline(home: TestHome): Promise<string> {
  return xargsLine(await home.ok("cancel", "--help"), "cancel --help");
}

/** The pipeline at the top of docs/json.md. */
async function jsonDocPipeline(): Promise<string> {
  const doc = await Deno.readTextFile(new URL("../../docs/json.md", import.meta.url));
  return xargsLine(doc.slice(0, doc.indexOf("\n## ")), "docs/json.md");
}

async function stateCounts(home: TestHome): Promise<Record<string, number>> {
  return (await home.json<{ jobs: Record<string, number> }>("status")).jobs;
}

async function enqueueMany(home: TestHome, line: string): Promise<void> {
  const result = await home.run(["enqueue", "--file", "-", "--quiet"], {
    stdin: `${line}\n`.repeat(MANY),
  });
  assert.equal(result.code, 0, result.stderr);
}

Deno.test("cancel --help's pipeline succeeds when no job is pending", async () => {
  await using home = await TestHome.create();
  const result = await runDocumentedBash(home, [
    "-o",
    "pipefail",
    "-c",
    await cancelHelpPipeline(home),
  ]);
  assert.equal(result.code, 0, result.stderr);
});

Deno.test("cancel --help's pipeline cancels every pending job, beyond list's default limit", async () => {
  await using home = await TestHome.create();
  await enqueueMany(home, "true");
  const result = await runDocumentedBash(home, [
    "-o",
    "pipefail",
    "-c",
    await cancelHelpPipeline(home),
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await stateCounts(home)).cancelled, MANY);
});

Deno.test("docs/json.md's pipeline succeeds when no job is dead", async () => {
  await using home = await TestHome.create();
  const result = await runDocumentedBash(home, ["-o", "pipefail", "-c", await jsonDocPipeline()]);
  assert.equal(result.code, 0, result.stderr);
});

Deno.test("docs/json.md's pipeline retries every dead job, beyond list's default limit", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  await enqueueMany(home, "exit 1");
  await home.ok("worker", "start", "--concurrency", "8");
  await waitFor(`${MANY} dead jobs`, async () => (await stateCounts(home)).dead === MANY, 60_000);
  await home.ok("worker", "stop");
  const result = await runDocumentedBash(home, ["-o", "pipefail", "-c", await jsonDocPipeline()]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await stateCounts(home)).pending, MANY);
});
