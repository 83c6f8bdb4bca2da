import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

Deno.test("logs of a job whose log cannot be read says so in one line, exit 1", async () => {
  await using home = await TestHome.create();
  const id = await home.enqueue("--delay", "1h", "true");
  // Opening a directory succeeds; reading it fails, as a file on a failing disk can.
  await Deno.mkdir(`${home.path}/logs/${id}.log`);
  for (const args of [["logs", id], ["logs", "--follow", id], ["logs", "--json", id]]) {
    const result = await home.run(args);
    assert.equal(result.code, 1, args.join(" "));
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      `queuectl: Cannot read the log of job ${id}: Is a directory\n`,
      args.join(" "),
    );
  }
});
