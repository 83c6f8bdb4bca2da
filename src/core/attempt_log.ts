import { toIso } from "./timestamp.ts";

/**
 * The line that opens each attempt in a job's log:
 * `=== attempt 2 of 4 · 2026-11-24T01:45:50.870Z · worker host:5282 ===`.
 */
export interface AttemptHeader {
  readonly attempt: number;
  readonly of: number;
  readonly startedAt: number;
  readonly worker: string;
}

const HEADER = /^=== attempt (\d+) of (\d+) · (\S+) · worker (\S+) ===$/;

export function formatAttemptHeader(header: AttemptHeader): string {
  return `=== attempt ${header.attempt} of ${header.of} · ${
    toIso(header.startedAt)
  } · worker ${header.worker} ===`;
}

export function parseAttemptHeader(line: string): AttemptHeader | null {
  const match = HEADER.exec(line);
  if (!match) return null;
  const startedAt = Date.parse(match[3]!);
  if (Number.isNaN(startedAt)) return null;
  return {
    attempt: Number(match[1]),
    of: Number(match[2]),
    startedAt,
    worker: match[4]!,
  };
}

export interface LoggedAttempt {
  readonly header: AttemptHeader | null;
  readonly output: string;
}

/** Splits a job's log into its attempts; output before any header has a null header. */
export function splitLogIntoAttempts(log: string): LoggedAttempt[] {
  const attempts: { header: AttemptHeader | null; output: string }[] = [];
  let current: { header: AttemptHeader | null; output: string } | null = null;
  if (log === "") return [];
  for (const line of log.split(/(?<=\n)/)) {
    const header = parseAttemptHeader(line.replace(/\r?\n$/, ""));
    if (header) {
      current = { header, output: "" };
      attempts.push(current);
    } else {
      if (!current) {
        current = { header: null, output: "" };
        attempts.push(current);
      }
      current.output += line;
    }
  }
  return attempts;
}
