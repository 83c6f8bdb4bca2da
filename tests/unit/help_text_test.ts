import assert from "node:assert/strict";
import { EXIT_INTERRUPTED } from "../../src/cli/commands/run.ts";
import { EXIT_TIMEOUT } from "../../src/cli/commands/wait.ts";
import { rootHelp } from "../../src/cli/help.ts";
import { EXIT_READER_GONE } from "../../src/cli/output.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../../src/cli/run_cli.ts";

Deno.test("the root help lists --debug among its options", () => {
  const options = rootHelp().split("\nOptions:\n")[1]!.split("\n\n")[0]!;
  assert.match(options, /^ +--debug +\S/m);
});

Deno.test("the root help names every exit status queuectl itself uses", () => {
  const exitStatus = rootHelp().split("Exit status:")[1]!.split("\n\n")[0]!;
  const statuses = [
    EXIT_OK,
    EXIT_FAILURE,
    EXIT_USAGE,
    EXIT_TIMEOUT,
    EXIT_INTERRUPTED,
    EXIT_READER_GONE,
  ];
  for (const status of statuses) {
    assert.match(exitStatus, new RegExp(`\\b${status} `), String(status));
  }
});
