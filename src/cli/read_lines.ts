import { UsageError } from "../core/errors.ts";

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = "\uFEFF";
// ignoreBOM: each decode call would drop one at its start, not only at the input's start.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A line of input that is not valid UTF-8. */
export class NotUtf8Error extends UsageError {
  override name = "NotUtf8Error";
  constructor(readonly lineNumber: number) {
    super("not valid UTF-8");
  }
}

/**
 * Yields the lines of a byte stream, those complete in each chunk together: one await per
 * chunk, not per line. Holds only the current chunk and a partial line in memory. Drops the CR
 * of CRLF line ends and a UTF-8 byte order mark. Input that is not UTF-8 is refused rather than
 * patched: the lines before the first bad one are yielded, then a NotUtf8Error names it.
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<string[]> {
  // The bytes of the line not ended yet: a newline byte is never part of a UTF-8 sequence, so
  // complete lines decode on their own.
  let partial: Uint8Array[] = [];
  let linesBefore = 0;
  for await (const chunk of chunks) {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      partial.push(chunk.slice());
      continue;
    }
    const complete = join(partial, chunk.subarray(0, lastNewline));
    partial = [chunk.slice(lastNewline + 1)];
    const { lines, error } = decodeLines(complete, linesBefore);
    if (lines.length > 0) yield withoutCr(lines);
    if (error) throw error;
    linesBefore += lines.length;
  }
  const last = join(partial, new Uint8Array(0));
  if (last.length === 0) return;
  const { lines, error } = decodeLines(last, linesBefore);
  if (lines.length > 0) yield withoutCr(lines);
  if (error) throw error;
}

/**
 * The lines of `bytes` (split at each newline; the first is line `linesBefore + 1`), and if one
 * is not UTF-8, only those before it and the error naming it.
 */
function decodeLines(
  bytes: Uint8Array,
  linesBefore: number,
): { lines: string[]; error: NotUtf8Error | null } {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const bad = firstBadLine(bytes);
    const before = bad.start === 0
      ? []
      : decodeLines(bytes.subarray(0, bad.start - 1), linesBefore).lines;
    return { lines: before, error: new NotUtf8Error(linesBefore + bad.index + 1) };
  }
  if (linesBefore === 0 && text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  return { lines: text.split("\n"), error: null };
}

/** The first line of `bytes` that is not UTF-8: its index, and where it starts. */
function firstBadLine(bytes: Uint8Array): { index: number; start: number } {
  for (let index = 0, start = 0;; index++) {
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1 || !isUtf8(bytes.subarray(start, newline))) return { index, start };
    start = newline + 1;
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function join(parts: readonly Uint8Array[], last: Uint8Array): Uint8Array {
  if (parts.length === 0) return last;
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, last.length));
  let at = 0;
  for (const part of [...parts, last]) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

function withoutCr(lines: string[]): string[] {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.endsWith("\r")) lines[index] = line.slice(0, -1);
  }
  return lines;
}
