import assert from "node:assert/strict";
import { renderJobDetails, renderJobTable } from "../../src/cli/render/jobs.ts";
import type { Job } from "../../src/core/job.ts";
import { jobFixture } from "../helpers/fixtures.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

function job(fields: Partial<Job>): Job {
  return jobFixture(NOW, fields);
}

Deno.test("renderJobTable() shows queue, tries, when, the last error of failed jobs, one-line commands", () => {
  const jobs = [
    job({ id: "a", command: "echo 1\necho 2", runAt: NOW - 5000 }),
    job({
      id: "b",
      state: "failed",
      queue: "mail",
      attempts: 1,
      runAt: NOW + 4000,
      lastError: "exited with code 1",
    }),
    job({ id: "c", state: "processing", attempts: 1, startedAt: NOW - 2000 }),
    job({ id: "d", state: "completed", attempts: 1, finishedAt: NOW - 60_000, lastError: "old" }),
  ];
  assert.equal(
    renderJobTable(jobs, NOW, { color: false, width: null }),
    [
      "ID  STATE       QUEUE    TRIES  PRI  WHEN            LAST ERROR          COMMAND",
      "a   pending     default  0/4    0    queued 5s ago                       echo 1 echo 2",
      "b   failed      mail     1/4    0    runs in 4s      exited with code 1  echo hi",
      "c   processing  default  1/4    0    started 2s ago                      echo hi",
      "d   completed   default  1/4    0    ended 1m ago                        echo hi",
      "",
    ].join("\n"),
  );
});

Deno.test("renderJobTable() shows when a retried or delayed job became due, not when it was queued", () => {
  const jobs = [
    job({ id: "r", state: "failed", attempts: 1, createdAt: NOW - 5000, runAt: NOW - 3000 }),
    job({ id: "d", createdAt: NOW - 60_000, runAt: NOW - 2000 }),
    job({ id: "q", createdAt: NOW - 7000, runAt: NOW - 7000 }),
  ];
  const whens = renderJobTable(jobs, NOW, { color: false, width: null }).split("\n").slice(1, -1)
    .map((line) => line.split(/ {2,}/)[5]);
  assert.deepEqual(whens, ["due 3s ago", "due 2s ago", "queued 7s ago"]);
});

Deno.test("renderJobTable() shows why a cancelled job was cancelled", () => {
  const reason = "dependency build-1 was cancelled";
  const table = renderJobTable(
    [job({ id: "t", state: "cancelled", finishedAt: NOW - 1000, lastError: reason })],
    NOW,
    { color: false, width: null },
  );
  assert.match(table.split("\n")[1]!, new RegExp(`^t +cancelled .* ${reason}  echo hi$`));
});

Deno.test("renderJobTable() colours the state cell when colour is on", () => {
  const table = renderJobTable([job({ id: "a", state: "dead" })], NOW, {
    color: true,
    width: null,
  });
  const row = table.split("\n")[1]!;
  assert.ok(row.startsWith("a   \x1b[31mdead\x1b[39m"), JSON.stringify(row));
});

Deno.test({
  name: "renderJobTable() colours the state cell, not an id that contains the state's name",
  fn() {
    const table = renderJobTable([job({ id: "dead-1", state: "dead" })], NOW, {
      color: true,
      width: null,
    });
    const row = table.split("\n")[1]!;
    assert.ok(row.startsWith("dead-1  \x1b[31mdead\x1b[39m"), JSON.stringify(row));
  },
});

Deno.test("renderJobDetails() lists every field with times absolute and relative", () => {
  const text = renderJobDetails(
    job({
      state: "dead",
      attempts: 4,
      exitCode: 127,
      lastError: "exited with code 127",
      timeoutMs: 30_000,
    }),
    NOW,
    false,
    0,
  );
  const fields = new Map(
    text.trimEnd().split("\n").map((line) => {
      const [name, value] = line.split(/(?<=^\S+)\s+/);
      return [name!, value!];
    }),
  );
  assert.deepEqual([...fields.keys()], [
    "id",
    "command",
    "state",
    "queue",
    "attempts",
    "priority",
    "run_at",
    "timeout",
    "directory",
    "created_at",
    "updated_at",
    "started_at",
    "finished_at",
    "exit_code",
    "last_error",
    "worker",
  ]);
  assert.equal(fields.get("attempts"), "4 of 4 (max_retries 3)");
  assert.equal(fields.get("run_at"), "2026-12-01T12:00:00.000Z (now)");
  assert.equal(fields.get("created_at"), "2026-12-01T11:59:55.000Z (5s ago)");
  assert.equal(fields.get("timeout"), "30s");
  assert.equal(fields.get("finished_at"), "-");
  assert.equal(fields.get("exit_code"), "127");
  assert.equal(fields.get("last_error"), "exited with code 127");
  const values = text.split("\n").map((line) => line.search(/(?<=\s)\S+.*$/));
  assert.equal(new Set(values.slice(0, -1)).size, 1, "values aligned in one column");
});

Deno.test("renderJobDetails() says what a job's own timeout of 0, or none, means", () => {
  const timeout = (timeoutMs: number | null, jobTimeoutMs = 1000) =>
    renderJobDetails(job({ timeoutMs }), NOW, false, jobTimeoutMs).match(/^timeout +(.*)$/m)?.[1];
  assert.equal(timeout(0), "no limit");
  assert.equal(timeout(null), "default (job_timeout: 1s)");
  assert.equal(timeout(null, 5_400_250), "default (job_timeout: 1h30m250ms)");
  assert.equal(timeout(null, 0), "no limit (job_timeout: 0)");
  assert.equal(timeout(90_000), "1m30s");
});

Deno.test("renderJobDetails() shows dependencies, unique key, exit-code lists and env when set", () => {
  const text = renderJobDetails(
    job({
      after: ["build-1", "lint-1"],
      uniqueKey: "nightly backup",
      retryOn: [75, 124],
      noRetryOn: [2],
      env: { MODE: "ci", GREETING: "it's a $HOME", EMPTY: "" },
    }),
    NOW,
    false,
    0,
  );
  const lines = text.trimEnd().split("\n");
  const names = lines.map((line) => line.split(" ")[0]);
  assert.deepEqual(names, [
    "id",
    "command",
    "state",
    "queue",
    "after",
    "unique_key",
    "attempts",
    "retry_on",
    "no_retry_on",
    "priority",
    "run_at",
    "timeout",
    "directory",
    "env",
    "created_at",
    "updated_at",
    "started_at",
    "finished_at",
    "exit_code",
    "last_error",
    "worker",
  ]);
  const field = (name: string) => lines.find((line) => line.startsWith(`${name} `))?.slice(13);
  assert.equal(field("after"), "build-1,lint-1");
  assert.equal(field("unique_key"), "nightly backup");
  assert.equal(field("retry_on"), "75,124");
  assert.equal(field("no_retry_on"), "2");
  assert.equal(field("env"), `MODE=ci GREETING='it'\\''s a $HOME' EMPTY=''`);
});

Deno.test("renderJobDetails() shows control characters as tables do, not raw", () => {
  const text = renderJobDetails(
    job({
      state: "failed",
      command: "printf '\x1b[2J'\necho done\r",
      lastError: "exited with code 1: \x1b]0;pwned\x07\x9b",
      cwd: "/tmp/a\x1bb",
      env: { NOTE: "a\x1b[31mb" },
    }),
    NOW,
    true,
    0,
  );
  const lines = text.trimEnd().split("\n");
  const field = (name: string) => lines.find((line) => line.startsWith(`${name} `))?.slice(13);
  assert.equal(field("command"), "printf '\u241b[2J' echo done ");
  assert.equal(field("last_error"), "exited with code 1: \u241b]0;pwned\u2407\ufffd");
  assert.equal(field("directory"), "/tmp/a\u241bb");
  assert.equal(field("env"), "NOTE='a\u241b[31mb'");
  // The only control characters left are the state's colour and the line ends.
  assert.equal(field("state"), "\x1b[35mfailed\x1b[39m");
  const controls = [...text.replace("\x1b[35mfailed\x1b[39m", "").replaceAll("\n", "")]
    .filter((char) => char.charCodeAt(0) < 0x20 || (char >= "\x7f" && char <= "\x9f"));
  assert.deepEqual(controls, []);
});
