import { toIso } from "./timestamp.ts";

/**
 * The line that opens each attempt in a job's log:
 * `=== attempt 2 of 4 · 2026-11-24T01:45:50.870Z · worker host:5282 · seal 0c4f1e9a27b3d5 ===`.
 * The command's output goes into the same log, so a header is sealed: the seal is a hash of the
 * job's id and the fields before it. A line the command prints that looks like a header, made
 * up or copied from another job's log, lacks its job's seal; one copied from its own log
 * repeats a header read already. Logs written before seals have headers without one.
 *
 * A header starts a line of its own: after output without a final newline (`printf partial`),
 * the worker writes a newline first, and the header says so (`· newline added`, before the
 * seal), so that readers drop that newline from the output before it.
 */
export interface AttemptHeader {
  readonly attempt: number;
  readonly of: number;
  readonly startedAt: number;
  readonly worker: string;
  /** Whether the byte before the header is a newline the worker added, not output. */
  readonly newlineAdded: boolean;
}

const HEADER =
  /^=== (attempt (\d+) of (\d+) · (\S+) · worker (\S+)( · newline added)?)(?: · seal ([0-9a-f]{14}))? ===$/;

export function formatAttemptHeader(jobId: string, header: AttemptHeader): string {
  const fields = `attempt ${header.attempt} of ${header.of} · ${
    toIso(header.startedAt)
  } · worker ${header.worker}${header.newlineAdded ? " · newline added" : ""}`;
  return `=== ${fields} · seal ${sealOf(jobId, fields)} ===`;
}

/**
 * Tells which lines of one job's log open its attempts, given every line that may from the
 * log's start on. A header without a seal counts until the first sealed one: the old headers of
 * a log continued by a newer worker, never lines printed after a sealed header.
 */
export class AttemptHeaderReader {
  readonly #jobId: string;
  readonly #seen = new Set<string>();
  #sealed = false;

  constructor(jobId: string) {
    this.#jobId = jobId;
  }

  /** The header that `line` (without its newline) is, or null: it is the command's output. */
  read(line: string): AttemptHeader | null {
    const match = HEADER.exec(line);
    if (!match) return null;
    const [, fields, attempt, of, startedAt, worker, newlineAdded, seal] = match;
    const header = {
      attempt: Number(attempt),
      of: Number(of),
      startedAt: Date.parse(startedAt!),
      worker: worker!,
      newlineAdded: newlineAdded !== undefined,
    };
    if (Number.isNaN(header.startedAt)) return null;
    // Only sealed headers were ever written after an added newline.
    if (seal === undefined) return this.#sealed || header.newlineAdded ? null : header;
    if (seal !== sealOf(this.#jobId, fields!) || this.#seen.has(seal)) return null;
    this.#sealed = true;
    this.#seen.add(seal);
    return header;
  }
}

/**
 * 53 bits of a hash (cyrb53) of the job's id and a header's fields, in hex. Not a secret: it
 * tells the worker's header from a line a command printed by accident, not from a forgery.
 */
function sealOf(jobId: string, fields: string): string {
  const text = `${jobId}\n${fields}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}
