import assert from "node:assert/strict";

import { TestHome } from "../helpers/cli.ts";

const README = new URL("../../README.md", import.meta.url);

/** How each command named in the README's unknown-id table is given the unknown id "nosuch". */
const INVOCATIONS: Readonly<Record<string, readonly string[]>> = {
  "show": ["show", "nosuch"],
  "logs": ["logs", "nosuch"],
  "cancel": ["cancel", "nosuch"],
  "retry": ["retry", "nosuch"],
  "dlq retry": ["dlq", "retry", "nosuch"],
  "wait": ["wait", "nosuch"],
  "enqueue --after": ["enqueue", "--after", "nosuch", "true"],
  // With no worker, run would refuse for want of one before it looks at --after.
  "run --after": ["run", "--wait-for-worker", "--after", "nosuch", "--", "true"],
};

/** The README's table of exit statuses for an unknown job id: command → status. */
async function documentedStatuses(): Promise<Map<string, number>> {
  const text = await Deno.readTextFile(README);
  const start = text.indexOf("| given an unknown job id ");
  assert.notEqual(start, -1, "README has a table headed 'given an unknown job id'");
  const statuses = new Map<string, number>();
  for (const line of text.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const [commands, status] = line.split("|").slice(1, -1).map((cell) => cell.trim());
    for (const command of commands!.matchAll(/`([^`]+)`/g)) {
      statuses.set(command[1]!, Number(status));
    }
  }
  return statuses;
}

Deno.test("every command exits with the status the README gives for an unknown job id", async () => {
  await using home = await TestHome.create();
  await home.enqueue("--id", "known", "true");
  const documented = await documentedStatuses();
  assert.deepEqual([...documented.keys()].sort(), Object.keys(INVOCATIONS).sort());
  const actual = new Map<string, number>();
  for (const [command, args] of Object.entries(INVOCATIONS)) {
    const result = await home.run(args);
    assert.match(result.stderr, /"nosuch"/, command);
    actual.set(command, result.code);
  }
  assert.deepEqual(actual, documented);
  assert.equal((await home.json<{ total: number }>("status")).total, 1, "nothing was enqueued");
});

Deno.test("an id no job can have is a usage error for every command looking one up, creating nothing", async () => {
  await using home = await TestHome.create();
  const fresh = `${home.path}/fresh`;
  for (const args of Object.values(INVOCATIONS)) {
    for (const id of ["", "a b", "x".repeat(129)]) {
      const given = args.map((word) => word === "nosuch" ? id : word);
      const result = await home.run(given, { env: { QUEUECTL_HOME: fresh } });
      const name = `${given.join(" ")}`;
      assert.equal(result.code, 2, name);
      assert.match(
        result.stderr,
        /^queuectl: (Invalid (job id|--after)|Option --after needs a value)\b[^\n]*\n$/,
        name,
      );
      assert.equal(result.stdout, "", name);
    }
  }
  assert.equal(await Deno.stat(fresh).then(() => true, () => false), false, "nothing was created");
});
