import { formatDuration } from "../../core/duration.ts";
import type { Job } from "../../core/job.ts";
import { toIso } from "../../core/timestamp.ts";
import { paintState } from "./color.ts";
import { relativeTime } from "./relative_time.ts";
import { renderTable } from "./table.ts";

/** A table of jobs: the human rendering of `list` and `dlq list`. */
export function renderJobTable(
  jobs: readonly Job[],
  now: number,
  options: { color: boolean; width: number | null },
): string {
  const rows = jobs.map((job) => [
    job.id,
    job.state,
    `${job.attempts}/${job.maxRetries + 1}`,
    String(job.priority),
    describeWhen(job, now),
    job.state === "failed" || job.state === "dead" ? job.lastError ?? "" : "",
    job.command.replace(/\s+/g, " "),
  ]);
  const table = renderTable(
    ["ID", "STATE", "TRIES", "PRI", "WHEN", "LAST ERROR", "COMMAND"],
    rows,
    options.width,
  );
  if (!options.color) return table;
  // The state is the second column: it starts after the widest id and two spaces.
  const stateAt = Math.max("ID".length, ...jobs.map((job) => job.id.length)) + 2;
  return table.split("\n").map((line, index) => {
    const job = jobs[index - 1];
    if (!job) return line;
    const end = stateAt + job.state.length;
    return line.slice(0, stateAt) + paintState(job.state, line.slice(stateAt, end), true) +
      line.slice(end);
  }).join("\n");
}

function describeWhen(job: Job, now: number): string {
  switch (job.state) {
    case "pending":
    case "failed":
      return job.runAt > now
        ? `runs ${relativeTime(job.runAt, now)}`
        : `queued ${relativeTime(job.createdAt, now)}`;
    case "processing":
      return `started ${relativeTime(job.startedAt ?? now, now)}`;
    default:
      return `ended ${relativeTime(job.finishedAt ?? job.updatedAt, now)}`;
  }
}

/** Every field of one job, one per line: the human rendering of `show`. */
export function renderJobDetails(job: Job, now: number, color: boolean): string {
  const when = (ms: number | null) => ms === null ? "-" : `${toIso(ms)} (${relativeTime(ms, now)})`;
  const fields: [string, string][] = [
    ["id", job.id],
    ["command", job.command],
    ["state", paintState(job.state, job.state, color)],
    ["queue", job.queue],
    ["attempts", `${job.attempts} of ${job.maxRetries + 1} (max_retries ${job.maxRetries})`],
    ["priority", String(job.priority)],
    ["run_at", when(job.runAt)],
    ["timeout", job.timeoutMs === null ? "default" : formatDuration(job.timeoutMs)],
    ["directory", job.cwd],
    ["created_at", when(job.createdAt)],
    ["updated_at", when(job.updatedAt)],
    ["started_at", when(job.startedAt)],
    ["finished_at", when(job.finishedAt)],
    ["exit_code", job.exitCode === null ? "-" : String(job.exitCode)],
    ["last_error", job.lastError ?? "-"],
    ["worker", job.worker ?? "-"],
  ];
  const width = Math.max(...fields.map(([name]) => name.length)) + 2;
  return fields.map(([name, value]) => `${name.padEnd(width)}${value}`).join("\n") + "\n";
}
