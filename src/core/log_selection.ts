import type { AttemptHeader } from "./attempt_log.ts";

/** Which attempts of a job's log `logs` shows. */
export type AttemptSelection =
  | { readonly kind: "all" }
  | { readonly kind: "newest" }
  /** Every attempt whose header has this number: a number can repeat (see docs/json.md). */
  | { readonly kind: "numbered"; readonly attempt: number };

/** A part of a log file: bytes from `start` up to, not including, `end`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The attempts of a log, oldest first, that `selection` keeps. */
export function selectAttempts<T extends { readonly header: AttemptHeader | null }>(
  attempts: readonly T[],
  selection: AttemptSelection,
): T[] {
  switch (selection.kind) {
    case "all":
      return [...attempts];
    case "newest":
      return attempts.slice(-1);
    case "numbered":
      return attempts.filter(({ header }) => header?.attempt === selection.attempt);
  }
}

/** The attempt numbers a log has, for a message: "1 to 3", "1 to 3 and 1" after a restart. */
export function describeAttemptNumbers(
  attempts: readonly { readonly header: AttemptHeader | null }[],
): string {
  const runs: string[] = [];
  let first: number | null = null;
  let last: number | null = null;
  const close = () => {
    if (first !== null) runs.push(first === last ? `${first}` : `${first} to ${last}`);
  };
  for (const { header } of attempts) {
    if (!header) continue;
    // A repeated number (an attempt given back uncounted) continues the run it repeats.
    if (last !== null && (header.attempt === last || header.attempt === last + 1)) {
      last = header.attempt;
      continue;
    }
    close();
    first = last = header.attempt;
  }
  close();
  if (runs.length === 0) return "none";
  return runs.length === 1 ? runs[0]! : `${runs.slice(0, -1).join(", ")} and ${runs.at(-1)}`;
}

const NEWLINE = 0x0a;

/**
 * Finds where the last `lines` lines of some bytes start, reading them from their end backward,
 * a chunk at a time: the bytes read are those lines, not everything before them. A last line
 * without a newline counts as a line.
 */
export class TailStartFinder {
  #newlinesToFind: number;
  #atEnd = true;

  constructor(lines: number) {
    this.#newlinesToFind = lines;
  }

  /**
   * Given the chunk that comes before those given so far (first: the one that ends the bytes),
   * the index in it where the last lines start, or null: they start in an earlier chunk, or at
   * the very start if there is none.
   */
  previous(chunk: Uint8Array): number | null {
    let end = chunk.length;
    if (this.#atEnd && end > 0) {
      this.#atEnd = false;
      if (this.#newlinesToFind === 0) return end;
      // The newline that ends the last line starts no line.
      if (chunk[end - 1] === NEWLINE) end--;
    }
    while (end > 0) {
      const newline = chunk.lastIndexOf(NEWLINE, end - 1);
      if (newline === -1) return null;
      if (--this.#newlinesToFind === 0) return newline + 1;
      end = newline;
    }
    return null;
  }
}

/** The parts of `ranges` (in order) from the absolute offset `from` on. */
export function rangesFrom(ranges: readonly ByteRange[], from: number): ByteRange[] {
  return ranges
    .filter(({ end }) => end > from)
    .map(({ start, end }) => ({ start: Math.max(start, from), end }));
}
