import { formatDuration, formatDurationExact } from "../../core/duration.ts";
import { formatExitCodes } from "../../core/exit_codes.ts";
import type { Job } from "../../core/job.ts";
import { shellQuote } from "../../core/shell_quote.ts";
import { toIso } from "../../core/timestamp.ts";
import { paintState } from "./color.ts";
import { replaceControls } from "./display_width.ts";
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
    job.queue,
    `${job.attempts}/${job.maxRetries + 1}`,
    String(job.priority),
    describeWhen(job, now),
    showsLastError(job) ? job.lastError ?? "" : "",
    job.command.replace(/\s+/g, " "),
  ]);
  const table = renderTable(
    ["ID", "STATE", "QUEUE", "TRIES", "PRI", "WHEN", "LAST ERROR", "COMMAND"],
    rows,
    options.width,
    { shrink: ["LAST ERROR", "COMMAND"] },
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

/**
 * A job pending, running or completed may keep an earlier attempt's error, which says nothing
 * about where it stands now; a cancelled job's is why it was cancelled.
 */
function showsLastError(job: Job): boolean {
  return job.state === "failed" || job.state === "dead" || job.state === "cancelled";
}

/**
 * A waiting job's time is when it became due, as in `status`: a job delayed or retried became due
 * at its `run_at`, after it was enqueued ("due 3s ago"); any other, when it was queued.
 */
function describeWhen(job: Job, now: number): string {
  switch (job.state) {
    case "pending":
    case "failed":
      if (job.runAt > now) return `runs ${relativeTime(job.runAt, now)}`;
      return job.runAt > job.createdAt
        ? `due ${relativeTime(job.runAt, now)}`
        : `queued ${relativeTime(job.createdAt, now)}`;
    case "processing":
      return `started ${relativeTime(job.startedAt ?? now, now)}`;
    default:
      return `ended ${relativeTime(job.finishedAt ?? job.updatedAt, now)}`;
  }
}

/**
 * Every field of one job, one per line: the human rendering of `show`. The fields a job was
 * enqueued without (dependencies, unique key, exit-code lists, environment) are left out.
 * Control characters show as in tables (replaceControls); `show --json` keeps them.
 */
export function renderJobDetails(
  job: Job,
  now: number,
  color: boolean,
  /** Config job_timeout: what a job without its own timeout gets. */
  jobTimeoutMs: number,
): string {
  const when = (ms: number | null) => ms === null ? "-" : `${toIso(ms)} (${relativeTime(ms, now)})`;
  const env = Object.entries(job.env);
  const fields: ([string, string] | null)[] = [
    ["id", job.id],
    ["command", job.command],
    ["state", job.state],
    ["queue", job.queue],
    job.after.length > 0 ? ["after", job.after.join(",")] : null,
    job.uniqueKey === null ? null : ["unique_key", job.uniqueKey],
    ["attempts", `${job.attempts} of ${job.maxRetries + 1} (max_retries ${job.maxRetries})`],
    job.retryOn === null ? null : ["retry_on", formatExitCodes(job.retryOn)],
    job.noRetryOn === null ? null : ["no_retry_on", formatExitCodes(job.noRetryOn)],
    ["priority", String(job.priority)],
    ["run_at", when(job.runAt)],
    ["timeout", describeTimeout(job.timeoutMs, jobTimeoutMs)],
    ["directory", job.cwd],
    // As a shell would take them before the command: NAME=value, the value quoted when needed.
    env.length > 0
      ? ["env", env.map(([name, value]) => `${name}=${shellQuote(value)}`).join(" ")]
      : null,
    ["created_at", when(job.createdAt)],
    ["updated_at", when(job.updatedAt)],
    ["started_at", when(job.startedAt)],
    ["finished_at", when(job.finishedAt)],
    ["exit_code", job.exitCode === null ? "-" : String(job.exitCode)],
    ["last_error", job.lastError ?? "-"],
    ["worker", job.worker ?? "-"],
  ];
  const shown = fields.filter((field) => field !== null);
  const width = Math.max(...shown.map(([name]) => name.length)) + 2;
  return shown.map(([name, value]) => {
    // As in tables: a job's command, error, directory or env may hold an ESC sequence or a CR
    // that would rewrite the terminal, or a line break that would start a false field.
    const shownValue = name === "state"
      ? paintState(job.state, value, color)
      : replaceControls(value);
    return `${name.padEnd(width)}${shownValue}`;
  }).join("\n") + "\n";
}

/**
 * The time limit in effect: a job's own (0 overrides the setting with no limit), or for null
 * config job_timeout, shown with its value so that `show` alone answers what the limit is.
 */
function describeTimeout(ms: number | null, jobTimeoutMs: number): string {
  if (ms === null) {
    const setting = `job_timeout: ${formatDurationExact(jobTimeoutMs)}`;
    return jobTimeoutMs === 0 ? `no limit (${setting})` : `default (${setting})`;
  }
  return ms === 0 ? "no limit" : formatDuration(ms);
}
