import { type AttemptHeader, AttemptHeaderReader } from "../core/attempt_log.ts";
import { OperationalError } from "../core/errors.ts";
import { type ByteRange, TailStartFinder } from "../core/log_selection.ts";
import { HEADER_START, headerLineText, MAX_HEADER_BYTES } from "../core/log_stream.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import type { Output } from "./output.ts";

/** One attempt of a log file, as offsets into it. */
export interface LogAttempt {
  /** null: output logged before any header. */
  readonly header: AttemptHeader | null;
  /** The attempt as `logs` prints it: its header line, its output, a newline the worker added. */
  readonly range: ByteRange;
  /** Its output alone, as `logs --json` gives it. */
  readonly output: ByteRange;
}

const NEWLINE = 0x0a;
const EQUALS_SIGN = HEADER_START[0]!;
const SCAN_CHUNK_BYTES = 1024 * 1024;
const TAIL_CHUNK_BYTES = 64 * 1024;

/** What a LogFile reads: an open file, or anything that seeks and reads as one does. */
export type LogSource = Pick<Deno.FsFile, "seek" | "read" | "close">;

/** A job's log file as it was when opened: later output is not part of it. */
export class LogFile implements Disposable {
  readonly #file: LogSource;
  readonly #jobId: string;
  readonly size: number;

  /** `size`: how much of the file counts, its size when opened. */
  constructor(file: LogSource, jobId: string, size: number) {
    this.#file = file;
    this.#jobId = jobId;
    this.size = size;
  }

  /** The job's log file, or null if there is none: the job has not written any output. */
  static async open(path: string, jobId: string): Promise<LogFile | null> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw cannotRead(jobId, error);
    }
    try {
      return new LogFile(file, jobId, (await file.stat()).size);
    } catch (error) {
      file.close();
      throw cannotRead(jobId, error);
    }
  }

  [Symbol.dispose](): void {
    this.#file.close();
  }

  /** The whole log as one range. */
  get whole(): ByteRange {
    return { start: 0, end: this.size };
  }

  /**
   * The attempts of the log, oldest first. Which lines are headers depends on the lines before
   * them (a header copied into the output repeats one read already), so this reads the whole
   * log, looking only at lines that start with `=`.
   */
  async attempts(): Promise<LogAttempt[]> {
    const reader = new AttemptHeaderReader(this.#jobId);
    const found: { header: AttemptHeader; start: number; outputStart: number }[] = [];
    let byteBefore = NEWLINE;
    // Past the chunk by a header's length, so that a header starting in it is read whole.
    const buffer = new Uint8Array(SCAN_CHUNK_BYTES + MAX_HEADER_BYTES + 1);
    for (let base = 0; base < this.size; base += SCAN_CHUNK_BYTES) {
      const bytes = await this.#readInto(buffer, base);
      const chunkEnd = Math.min(SCAN_CHUNK_BYTES, bytes.length);
      for (let at = bytes.indexOf(EQUALS_SIGN); at !== -1 && at < chunkEnd;) {
        const line = mayBeHeaderLine(bytes, at, at === 0 ? byteBefore : bytes[at - 1]!);
        const text = line && headerLineText(line.text);
        const header = text ? reader.read(text) : null;
        if (line && header) {
          const outputStart = base + at + line.text.length + (line.ended ? 1 : 0);
          found.push({ header, start: base + at, outputStart });
        }
        at = bytes.indexOf(EQUALS_SIGN, at + 1);
      }
      byteBefore = bytes[chunkEnd - 1]!;
    }
    const attempts: LogAttempt[] = [];
    const firstStart = found[0]?.start ?? this.size;
    if (firstStart > 0) {
      attempts.push({
        header: null,
        range: { start: 0, end: firstStart },
        output: { start: 0, end: firstStart - (found[0]?.header.newlineAdded ? 1 : 0) },
      });
    }
    found.forEach(({ header, start, outputStart }, index) => {
      const next = found[index + 1];
      const end = next?.start ?? this.size;
      attempts.push({
        header,
        range: { start, end },
        output: { start: outputStart, end: end - (next?.header.newlineAdded ? 1 : 0) },
      });
    });
    return attempts;
  }

  /** Where the last `lines` lines of `ranges` (taken one after the other) start in the file. */
  async tailStart(ranges: readonly ByteRange[], lines: number): Promise<number> {
    const finder = new TailStartFinder(lines);
    for (let index = ranges.length - 1; index >= 0; index--) {
      const { start, end } = ranges[index]!;
      for (let chunkEnd = end; chunkEnd > start;) {
        const chunkStart = Math.max(start, chunkEnd - TAIL_CHUNK_BYTES);
        const at = finder.previous(await this.#read(chunkStart, chunkEnd - chunkStart));
        // After the newline that ends a range, the lines start with the next range.
        if (at !== null) {
          return chunkStart + at === end ? ranges[index + 1]?.start ?? end : chunkStart + at;
        }
        chunkEnd = chunkStart;
      }
    }
    return ranges[0]?.start ?? 0;
  }

  /** The bytes of `range`. */
  read({ start, end }: ByteRange): Promise<Uint8Array> {
    return this.#read(start, Math.max(0, end - start));
  }

  /** The bytes of `range` in pieces of at most a megabyte: a log may not fit in memory. */
  async *chunks({ start, end }: ByteRange): AsyncGenerator<Uint8Array> {
    for (let at = start; at < end; at += SCAN_CHUNK_BYTES) {
      yield await this.#read(at, Math.min(SCAN_CHUNK_BYTES, end - at));
    }
  }

  /** Writes `ranges` to `output` byte for byte; stops once its reader has gone. */
  async copy(ranges: readonly ByteRange[], output: Output): Promise<void> {
    for (const range of ranges) {
      for await (const chunk of this.chunks(range)) {
        if (output.readerGone) return;
        output.writeBytes(chunk);
      }
    }
  }

  /** Up to `length` bytes from `offset`; fewer at the file's end. */
  #read(offset: number, length: number): Promise<Uint8Array> {
    return this.#readInto(new Uint8Array(length), offset);
  }

  /** The bytes from `offset` on, as many as fill `bytes`: fewer at the file's end. */
  async #readInto(bytes: Uint8Array, offset: number): Promise<Uint8Array> {
    const length = bytes.length;
    let filled = 0;
    try {
      await this.#file.seek(offset, Deno.SeekMode.Start);
      while (filled < length) {
        const read = await this.#file.read(bytes.subarray(filled));
        if (read === null) break;
        filled += read;
      }
    } catch (error) {
      throw cannotRead(this.#jobId, error);
    }
    return bytes.subarray(0, filled);
  }
}

/**
 * The line starting at `at` (without its newline) if it may be a header: it starts a line, starts
 * as one and is short enough. `bytes` go on a header's length past `at`, or to the log's end:
 * `ended` is false only for a last line without a newline.
 */
function mayBeHeaderLine(
  bytes: Uint8Array,
  at: number,
  byteBefore: number,
): { text: Uint8Array; ended: boolean } | null {
  if (byteBefore !== NEWLINE) return null;
  for (let index = 0; index < HEADER_START.length; index++) {
    if (bytes[at + index] !== HEADER_START[index]) return null;
  }
  const newline = bytes.indexOf(NEWLINE, at);
  const end = newline === -1 ? bytes.length : newline;
  if (end - at > MAX_HEADER_BYTES) return null;
  return { text: bytes.subarray(at, end), ended: newline !== -1 };
}

function cannotRead(jobId: string, error: unknown): OperationalError {
  return new OperationalError(`Cannot read the log of job ${jobId}: ${osErrorReason(error)}`);
}
