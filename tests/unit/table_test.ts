import assert from "node:assert/strict";
import { renderTable } from "../../src/cli/render/table.ts";

const HEADERS = ["ID", "STATE", "COMMAND"];
const ROWS = [
  ["a1", "pending", "echo hello"],
  ["build-42", "dead", "make test && make install"],
];

Deno.test("renderTable() aligns columns to the widest cell, two spaces apart", () => {
  assert.equal(
    renderTable(HEADERS, ROWS, null),
    [
      "ID        STATE    COMMAND",
      "a1        pending  echo hello",
      "build-42  dead     make test && make install",
      "",
    ].join("\n"),
  );
});

Deno.test("renderTable() does not pad the last column", () => {
  for (const line of renderTable(HEADERS, ROWS, null).split("\n")) {
    assert.equal(line, line.trimEnd());
  }
});

Deno.test("renderTable() with no rows prints the header line", () => {
  assert.equal(renderTable(HEADERS, [], null), "ID  STATE  COMMAND\n");
});

Deno.test("renderTable() cuts lines wider than the terminal with an ellipsis", () => {
  const lines = renderTable(HEADERS, ROWS, 30).split("\n");
  assert.deepEqual(lines, [
    "ID        STATE    COMMAND",
    "a1        pending  echo hello",
    "build-42  dead     make test …",
    "",
  ]);
  for (const line of lines) assert.ok(line.length <= 30, line);
});

Deno.test("renderTable() leaves lines that fit exactly", () => {
  const width = "build-42  dead     make test && make install".length;
  assert.equal(renderTable(HEADERS, ROWS, width), renderTable(HEADERS, ROWS, null));
});

Deno.test("renderTable() treats a missing cell as empty", () => {
  assert.equal(renderTable(["A", "B", "C"], [["x"]], null), "A  B  C\nx\n");
});
