import assert from "node:assert/strict";
import { JOB_STATES, type JobState, TRANSITIONS } from "../../src/core/job_state.ts";

const DOC = await Deno.readTextFile(new URL("../../docs/state_machine.md", import.meta.url));

function diagram(): string {
  const match = /```\n([\s\S]*?)```/.exec(DOC);
  assert.ok(match, "docs/state_machine.md has a diagram");
  return match[1]!;
}

/** The table's "leaves by" cell of each state. */
function leavesBy(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of DOC.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const state = /^`(\w+)`$/.exec(cells[0] ?? "")?.[1];
    if (state !== undefined && cells[2] !== undefined) rows.set(state, cells[2]);
  }
  return rows;
}

Deno.test("docs/state_machine.md draws every state and gives it a row", () => {
  const drawn = diagram();
  for (const state of JOB_STATES) assert.match(drawn, new RegExp(`│\\s+${state}\\s+│`), state);
  assert.deepEqual([...leavesBy().keys()].sort(), [...JOB_STATES].sort());
});

Deno.test("docs/state_machine.md says which states a job leaves by cancel", () => {
  const rows = leavesBy();
  const cancellable = new Set<JobState>(TRANSITIONS.cancel.from);
  for (const state of JOB_STATES) {
    assert.equal(/`cancel`/.test(rows.get(state) ?? ""), cancellable.has(state), state);
  }
});

Deno.test("docs/state_machine.md says retry_on and no_retry_on can make a job dead early", () => {
  assert.match(DOC, /`retry_on`/);
  assert.match(DOC, /`no_retry_on`/);
});
