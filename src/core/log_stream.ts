import { AttemptHeaderReader } from "./attempt_log.ts";

/** A piece of a job's log as it is read: the command's bytes, or an attempt's header line. */
export type LogPiece =
  | { readonly kind: "output"; readonly bytes: Uint8Array }
  | {
    readonly kind: "header";
    readonly line: string;
    /** Whether the worker added a newline before the header (dropped from the output). */
    readonly newlineAdded: boolean;
  };

const NEWLINE = 0x0a;
const NEWLINE_BYTES = Uint8Array.of(NEWLINE);
/** How every header line starts. */
export const HEADER_START = new TextEncoder().encode("=== attempt ");
/** Longer than any header (a host name has at most 253 bytes); a longer line is output. */
export const MAX_HEADER_BYTES = 1024;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Splits a job's log, read in chunks, into output and attempt headers, on bytes: the output
 * need not be UTF-8 and passes through unchanged. Output is given out as soon as it is read;
 * only a partial line that may still become a header is held back, and a newline that ends
 * what was read, which may be the one a worker added before its header: `caughtUp()` gives it
 * out once the reader has read all there is.
 */
export class LogStreamSplitter {
  readonly #headers: AttemptHeaderReader;
  #held: Uint8Array = new Uint8Array(0);
  #heldNewline = false;
  #atLineStart = true;

  constructor(jobId: string) {
    this.#headers = new AttemptHeaderReader(jobId);
  }

  /** The pieces that `chunk` completes. */
  push(chunk: Uint8Array): LogPiece[] {
    return this.#split(this.#held.length === 0 ? chunk : concat(this.#held, chunk), false);
  }

  /**
   * The pieces that the log read so far completes, with nothing more to read for now. The
   * worker writes an added newline and its header at once, so a newline that ends the log is
   * output, unless a partial line that may become a header follows it.
   */
  caughtUp(): LogPiece[] {
    const pieces: LogPiece[] = [];
    if (this.#held.length === 0) this.#releaseNewline(pieces);
    return pieces;
  }

  /** What is left at the end of the log. */
  end(): LogPiece[] {
    return this.#split(this.#held, true);
  }

  #split(data: Uint8Array, final: boolean): LogPiece[] {
    this.#held = new Uint8Array(0);
    const pieces: LogPiece[] = [];
    let outputStart = 0;
    const flushOutput = (until: number) => {
      if (until > outputStart) {
        this.#releaseNewline(pieces);
        pieces.push({ kind: "output", bytes: data.subarray(outputStart, until) });
      }
    };
    // Output up to a line's start but the newline that ends it: the worker's if a header follows.
    const flushBeforeLine = (lineStart: number) => {
      if (lineStart > outputStart) {
        flushOutput(lineStart - 1);
        this.#releaseNewline(pieces);
        this.#heldNewline = true;
      }
    };
    let at = 0;
    if (!this.#atLineStart) {
      // The rest of a line that was given out already, as output.
      const newline = data.indexOf(NEWLINE);
      if (newline === -1) {
        flushOutput(data.length);
        return pieces;
      }
      at = newline + 1;
    }
    while (at < data.length) {
      const newline = data.indexOf(NEWLINE, at);
      if (mayBeHeader(data.subarray(at, newline === -1 ? data.length : newline))) {
        if (newline === -1 && !final) {
          flushBeforeLine(at);
          this.#held = data.slice(at);
          this.#atLineStart = true;
          return pieces;
        }
        const header = this.#header(data.subarray(at, newline === -1 ? data.length : newline));
        if (header !== null) {
          flushBeforeLine(at);
          if (header.newlineAdded) this.#heldNewline = false;
          else this.#releaseNewline(pieces);
          pieces.push(header);
          outputStart = newline === -1 ? data.length : newline + 1;
        }
      }
      if (newline === -1) {
        flushOutput(data.length);
        this.#atLineStart = false;
        return pieces;
      }
      at = newline + 1;
    }
    // At a line's start: the data ends with a newline, a header, or is empty.
    if (final) {
      flushOutput(data.length);
      this.#releaseNewline(pieces);
    } else {
      flushBeforeLine(data.length);
    }
    this.#atLineStart = true;
    return pieces;
  }

  #releaseNewline(pieces: LogPiece[]): void {
    if (!this.#heldNewline) return;
    this.#heldNewline = false;
    pieces.push({ kind: "output", bytes: NEWLINE_BYTES });
  }

  /** The header piece a complete line (without its newline) is, or null. Asked once a line. */
  #header(line: Uint8Array): Extract<LogPiece, { kind: "header" }> | null {
    const text = headerLineText(line);
    if (text === null) return null;
    const header = this.#headers.read(text);
    return header ? { kind: "header", line: text, newlineAdded: header.newlineAdded } : null;
  }
}

/** A line (without its newline) as the text a header would be, or null: not UTF-8. */
export function headerLineText(line: Uint8Array): string | null {
  try {
    return strictUtf8.decode(line).trimEnd();
  } catch {
    return null;
  }
}

/** Whether a (partial) line starts like a header and is short enough to be one. */
function mayBeHeader(line: Uint8Array): boolean {
  if (line.length > MAX_HEADER_BYTES) return false;
  const length = Math.min(line.length, HEADER_START.length);
  for (let index = 0; index < length; index++) {
    if (line[index] !== HEADER_START[index]) return false;
  }
  return true;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}
