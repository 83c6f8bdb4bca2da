import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";
import { runDocumentedBash } from "../helpers/documented_shell.ts";

const README = new URL("../../README.md", import.meta.url);

/** A CI example exactly as the README shows it, between its markers `<example>:start|end`. */
async function readmeCiScript(example: string): Promise<string> {
  const text = await Deno.readTextFile(README);
  const match = new RegExp(
    `<!-- ${example}:start -->\\s*\`\`\`bash\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${example}:end -->`,
  ).exec(text);
  assert.ok(match, `README has the CI example between its ${example} markers`);
  return match[1]!;
}

/**
 * Runs the README's script with a test.sh, whose failing shard writes `failureText` on stderr
 * before it exits 1.
 */
async function runCiScript(
  home: TestHome,
  failingShard: number | null,
  failureText = "broke",
  example = "ci-example",
) {
  const script = await readmeCiScript(example);
  return await runDocumentedBash(home, ["ci.sh"], async (dir) => {
    await Deno.writeTextFile(
      `${dir}/test.sh`,
      `#!/bin/sh\necho "shard $1 running"\n[ "$1" != "${failingShard}" ] || { echo "shard $1 ${failureText}" >&2; exit 1; }\n`,
      { mode: 0o755 },
    );
    await Deno.writeTextFile(`${dir}/ci.sh`, script);
  });
}

Deno.test("the README's CI script passes when every shard passes", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  const result = await runCiScript(home, null);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.match(/ completed\n/g)?.length, 4);
  assert.doesNotMatch(result.stdout, /output of failed job/);
  assert.deepEqual(await home.json("worker", "list"), []);
});

Deno.test("the README's CI script fails the build and prints the failed job's log", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  const result = await runCiScript(home, 3);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /\S+ dead: exited with code 1: shard 3 broke\n/);
  assert.match(
    result.stdout,
    /--- output of failed job \S+\n=== attempt 1 of 1 .*\nshard 3 running\nshard 3 broke\n/,
  );
  assert.equal(result.stdout.match(/ completed\n/g)?.length, 3);
});

Deno.test("the README's CI script prints the log of a failed job whose error ends in 'completed'", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  const result = await runCiScript(home, 2, "completed");
  assert.equal(result.code, 1);
  assert.match(result.stdout, /\S+ dead: exited with code 1: shard 2 completed\n/);
  assert.match(
    result.stdout,
    /--- output of failed job \S+\n=== attempt 1 of 1 .*\nshard 2 running\nshard 2 completed\n/,
  );
});

Deno.test("the README's burst CI script passes when every shard passes, leaving no worker", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  const result = await runCiScript(home, null, "broke", "ci-burst-example");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.match(/ completed\n/g)?.length, 4);
  assert.doesNotMatch(result.stdout, /output of failed job/);
  assert.deepEqual(await home.json("worker", "list"), []);
});

Deno.test("the README's burst CI script fails the build and prints the failed job's log", async () => {
  await using home = await TestHome.create({ max_retries: "0" });
  const result = await runCiScript(home, 3, "broke", "ci-burst-example");
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /\S+ dead: exited with code 1: shard 3 broke\n/);
  assert.match(
    result.stdout,
    /--- output of failed job \S+\n=== attempt 1 of 1 .*\nshard 3 running\nshard 3 broke\n/,
  );
  assert.equal(result.stdout.match(/ completed\n/g)?.length, 3);
});
