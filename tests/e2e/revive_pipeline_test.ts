/**
 * A pipeline whose first job ended dead runs again when that job is retried after a fix: the
 * jobs its death cancelled go back to pending with it. Idle workers look again only after a
 * minute unless woken, and each test waits 15 s at most: only the wake-up of `dlq retry`, then
 * the finishing worker's own next claim, can run the pipeline in time.
 */
import assert from "node:assert/strict";
import { TestHome, waitForState } from "../helpers/cli.ts";

const PROMPTLY_MS = 15_000;

/** a → b → c, where a fails until the file `fixed` exists; runs until a is dead. */
async function brokenPipeline(): Promise<TestHome> {
  const home = await TestHome.create({ poll_interval_ms: "60000", lease_seconds: "300" });
  await home.enqueue("--id", "a", "--max-retries", "0", "--", "cat", `${home.path}/fixed`);
  await home.enqueue("--id", "b", "--after", "a", "--", "true");
  await home.enqueue("--id", "c", "--after", "b", "--", "true");
  await home.ok("worker", "start");
  await waitForState(home, "a", "dead", PROMPTLY_MS);
  assert.deepEqual(
    [(await home.job("b")).last_error, (await home.job("c")).last_error],
    ["dependency a ended dead", "dependency b was cancelled because a ended dead"],
  );
  await Deno.writeTextFile(`${home.path}/fixed`, "");
  return home;
}

Deno.test("dlq retry of a dead job runs again the jobs its death cancelled", async () => {
  await using home = await brokenPipeline();
  const retry = await home.run(["dlq", "retry", "a"]);
  assert.deepEqual([retry.code, retry.stdout, retry.stderr], [
    0,
    "Retrying 1 job: a (and 2 jobs that waited for it: b, c)\n",
    "",
  ]);
  for (const id of ["a", "b", "c"]) await waitForState(home, id, "completed", PROMPTLY_MS);
  assert.equal((await home.job("c")).last_error, null);
});

Deno.test("dlq retry --all --json lists the dependents revived after the dead jobs", async () => {
  await using home = await brokenPipeline();
  assert.deepEqual(await home.json("dlq", "retry", "--all"), ["a", "b", "c"]);
  await waitForState(home, "c", "completed", PROMPTLY_MS);
});

Deno.test("dlq retry refuses a dependent whose unique key a live job holds; --all skips it", async () => {
  await using home = await TestHome.create({ poll_interval_ms: "60000", lease_seconds: "300" });
  await home.enqueue("--id", "a", "--max-retries", "0", "--", "false");
  await home.enqueue("--id", "b", "--after", "a", "--unique-key", "k", "--", "true");
  await home.enqueue("--id", "c", "--after", "a", "--", "true");
  await home.ok("worker", "start");
  await waitForState(home, "a", "dead", PROMPTLY_MS);
  await home.ok("worker", "stop");
  await home.enqueue("--id", "holder", "--unique-key", "k", "--delay", "1h", "--", "true");

  const named = await home.run(["dlq", "retry", "a"]);
  assert.deepEqual([named.code, named.stdout], [2, ""]);
  assert.equal(
    named.stderr,
    'queuectl: Job "b", cancelled because "a" ended dead, cannot be retried with it while job "holder" (pending) holds its unique key "k": wait for it to end or cancel it (nothing was retried)\n',
  );
  assert.equal((await home.job("a")).state, "dead");

  const all = await home.run(["dlq", "retry", "--all"]);
  assert.deepEqual([all.code, all.stdout, all.stderr], [
    0,
    "Retrying 1 job: a (and 1 job that waited for it: c)\n",
    "queuectl: Skipped 1 cancelled dependent job(s) whose unique key is held by another job: b (held by holder)\n",
  ]);
  assert.deepEqual([(await home.job("b")).state, (await home.job("c")).state], [
    "cancelled",
    "pending",
  ]);
});

Deno.test("dlq retry names the jobs it leaves cancelled for another dependency's end", async () => {
  await using home = await TestHome.create({ poll_interval_ms: "60000", lease_seconds: "300" });
  await home.enqueue("--id", "a", "--max-retries", "0", "--", "exit 1");
  await home.enqueue("--id", "d", "--max-retries", "0", "--", "exit 1");
  await home.enqueue("--id", "both", "--after", "a,d", "--", "true");
  await home.enqueue("--id", "only-a", "--after", "a", "--", "true");
  await home.ok("worker", "start");
  for (const id of ["a", "d"]) await waitForState(home, id, "dead", PROMPTLY_MS);
  await home.ok("queue", "pause", "default");
  const retry = await home.run(["dlq", "retry", "a"]);
  assert.deepEqual([retry.code, retry.stdout, retry.stderr], [
    0,
    "Retrying 1 job: a (and 1 job that waited for it: only-a)\n",
    "queuectl: Left 1 job cancelled: both (dependency d ended dead)\n",
  ]);
  const json = await home.run(["dlq", "retry", "d", "--json"]);
  assert.deepEqual([json.code, JSON.parse(json.stdout), json.stderr], [0, ["d", "both"], ""]);
});
