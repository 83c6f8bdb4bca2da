/** The ledger the stress jobs write (job_script.ts), read back as one run per attempt process. */

export interface Run {
  readonly id: string;
  readonly attempt: number;
  readonly queue: string;
  readonly pid: number;
  readonly start: number;
  /** The latest of its lines while it ran: a start, a heartbeat, a SIGTERM. */
  seen: number;
  /** When it got SIGTERM, if it did. */
  term: number | null;
  /** When it ended by itself or after SIGTERM; null when killed first (SIGKILL) or still running. */
  end: number | null;
  /** Its exit code, "term" when SIGTERM ended it; null without an end line. */
  code: string | null;
}

/** The latest time the run is known to have been running: a lower bound of its end. */
export function lastSeenRunning(run: Run): number {
  return run.end ?? run.seen;
}

export function parseLedger(text: string): Run[] {
  const runs = new Map<string, Run>();
  for (const line of text.split("\n")) {
    const [mark, id, attempt, queue, at, pid, detail] = line.split(" ");
    if (mark === undefined || id === undefined || pid === undefined) continue;
    const key = `${id} ${attempt} ${pid}`;
    if (mark === "S") {
      runs.set(key, {
        id,
        attempt: Number(attempt),
        queue: queue!,
        pid: Number(pid),
        start: Number(at),
        seen: Number(at),
        term: null,
        end: null,
        code: null,
      });
      continue;
    }
    const run = runs.get(key);
    if (run === undefined) continue;
    if (mark === "H" || mark === "T") run.seen = Math.max(run.seen, Number(at));
    if (mark === "T") run.term = Number(at);
    if (mark === "E") {
      run.end = Number(at);
      run.code = detail ?? null;
    }
  }
  return [...runs.values()].sort((a, b) => a.start - b.start);
}
