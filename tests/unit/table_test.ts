import assert from "node:assert/strict";
import { displayWidth } from "../../src/cli/render/display_width.ts";
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

const JOB_HEADERS = ["ID", "STATE", "LAST ERROR", "COMMAND"];
const SHRINK = { shrink: ["LAST ERROR", "COMMAND"] };

Deno.test("renderTable() shortens the widest free-text column first, keeping the others", () => {
  const rows = [["j1", "dead", `exited with code 1 ${"x".repeat(30)}`, "make test"]];
  assert.deepEqual(renderTable(JOB_HEADERS, rows, 40, SHRINK).split("\n"), [
    "ID  STATE  LAST ERROR          COMMAND",
    "j1  dead   exited with code …  make test",
    "",
  ]);
});

Deno.test("renderTable() shortens free-text columns to one width when both are too wide", () => {
  const rows = [["j1", "dead", "e".repeat(50), "c".repeat(50)]];
  const lines = renderTable(JOB_HEADERS, rows, 60, SHRINK).split("\n");
  assert.deepEqual(lines, [
    `ID  STATE  LAST ERROR${" ".repeat(13)}  COMMAND`,
    `j1  dead   ${"e".repeat(22)}…  ${"c".repeat(23)}…`,
    "",
  ]);
  assert.equal(lines[1]!.length, 60);
});

Deno.test("renderTable() cuts the line when the free-text columns are at their headers' width", () => {
  const rows = [["a-long-identifier", "dead", "error text", "command text"]];
  for (const line of renderTable(JOB_HEADERS, rows, 30, SHRINK).split("\n")) {
    assert.ok(displayWidth(line) <= 30, line);
  }
});

Deno.test("renderTable() aligns columns by terminal cells, not UTF-16 units", () => {
  const table = renderTable(
    ["NAME", "NOTE"],
    [["日本", "wide"], ["𝒳y", "astral"], ["ab", "x"]],
    null,
  );
  assert.deepEqual(table.split("\n"), [
    "NAME  NOTE",
    "日本  wide",
    "𝒳y    astral",
    "ab    x",
    "",
  ]);
});

Deno.test("renderTable() shows control characters in cells instead of letting them act", () => {
  const table = renderTable(["ID", "COMMAND"], [["a", "printf '\x1b[2J'\rdone\tok"]], null);
  assert.equal(table, "ID  COMMAND\na   printf '␛[2J' done ok\n");
});
