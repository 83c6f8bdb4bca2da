import { UsageError } from "../core/errors.ts";
import { osErrorReason } from "../core/os_error_reason.ts";
import { directoryOf, tempFileFailure } from "./temp_file_failure.ts";

/** Small for the same reason as JOBS_PER_BATCH: a chunk's lines live until all are parsed. */
const CHUNK_BYTES = 16 * 1024;

/**
 * The input of `enqueue --file`, read twice: once to validate every line before the database is
 * touched, then again to insert. A regular file is simply read again (and must not change in
 * between); stdin, a pipe or a FIFO cannot be, so the first read copies its bytes into a private
 * temporary file that the second read takes instead. Either way the input is whole before the
 * write transaction begins (a slow producer never holds the lock workers need), and memory stays
 * flat whatever its size.
 */
export class RereadableInput implements AsyncDisposable {
  readonly #name: string;
  /** The file the second read takes: the input itself, or the copy of a stream. */
  readonly #file: Deno.FsFile;
  /** What the first read copies into `#file`; null for a regular file. */
  readonly #source: Deno.FsFile | ReadableStream<Uint8Array> | null;
  /** The directory of the copy, for its errors. */
  readonly #copyDirectory: string | null;
  #fingerprint: string | null = null;

  private constructor(
    name: string,
    file: Deno.FsFile,
    source: Deno.FsFile | ReadableStream<Uint8Array> | null,
    copyDirectory: string | null = null,
  ) {
    this.#name = name;
    this.#file = file;
    this.#source = source;
    this.#copyDirectory = copyDirectory;
  }

  /** Opens `path`, or `stdin` for "-". */
  static async open(
    path: string,
    stdin: () => ReadableStream<Uint8Array>,
  ): Promise<RereadableInput> {
    if (path === "-") return await RereadableInput.#copying("stdin", stdin());
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path);
    } catch (error) {
      throw new UsageError(`Cannot read --file ${path}: ${osErrorReason(error)}`);
    }
    const info = await file.stat();
    if (info.isFile) return new RereadableInput(path, file, null);
    if (info.isDirectory) {
      file.close();
      throw new UsageError(`Cannot read --file ${path}: it is a directory`);
    }
    try {
      return await RereadableInput.#copying(path, file);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  static async #copying(name: string, source: Deno.FsFile | ReadableStream<Uint8Array>) {
    let path: string;
    try {
      path = await Deno.makeTempFile({ prefix: "queuectl-enqueue-" });
    } catch (error) {
      throw tempFileFailure(`the copy of ${name}`, null, error);
    }
    const copy = await Deno.open(path, { read: true, write: true });
    // Unlinked at once: the copy lives as long as the handle, even if the process is killed.
    await Deno.remove(path);
    return new RereadableInput(name, copy, source, directoryOf(path));
  }

  /** The first read; a stream is copied as it goes. */
  async *firstRead(): AsyncGenerator<Uint8Array> {
    if (this.#source === null) {
      this.#fingerprint = await this.#currentFingerprint();
      yield* readChunks((buffer) => this.#file.readSync(buffer));
      return;
    }
    const source = this.#source;
    // A FIFO or a device may be slow: read without blocking the event loop.
    const chunks = source instanceof Deno.FsFile
      ? readChunks((buffer) => source.read(buffer))
      : source;
    for await (const chunk of chunks) {
      try {
        writeAll(this.#file, chunk);
      } catch (error) {
        throw tempFileFailure(`the copy of ${this.#name}`, this.#copyDirectory, error);
      }
      yield chunk;
    }
  }

  /**
   * The second read, of the same bytes as the first. A regular file that changed in between
   * (its size, modification or change time) fails it. A change within the timestamps' resolution
   * goes unnoticed, but the second read is validated again, so it can never store a bad line.
   */
  async *secondRead(): AsyncGenerator<Uint8Array> {
    await this.#file.seek(0, Deno.SeekMode.Start);
    yield* readChunks((buffer) => this.#file.readSync(buffer));
    await this.assertUnchanged();
  }

  /** Throws a UsageError if a regular file input changed since the first read began. */
  async assertUnchanged(): Promise<void> {
    if (this.#fingerprint === null || await this.#currentFingerprint() === this.#fingerprint) {
      return;
    }
    throw new UsageError(
      `--file ${this.#name} changed while it was being enqueued: nothing was enqueued, run again once it is complete`,
    );
  }

  async #currentFingerprint(): Promise<string> {
    const info = await this.#file.stat();
    // ctime too: `touch -d` can set a modification time back, not a change time.
    return `${info.size} ${info.mtime?.getTime()} ${info.ctime?.getTime()}`;
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.#file.close();
    if (this.#source instanceof Deno.FsFile) this.#source.close();
    return Promise.resolve();
  }
}

/**
 * A file's bytes in chunks, from `file.read` or `file.readSync`. Not `file.readable`, which
 * closes the file at its end. A regular file is read synchronously: an async read goes through a
 * thread pool and back, which took 11–33 ms of wall time per pass over 4 MB here, against 5–11.
 */
async function* readChunks(
  read: (buffer: Uint8Array) => number | null | Promise<number | null>,
): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const count = await read(buffer);
    if (count === null) return;
    yield buffer.subarray(0, count);
  }
}

/** Writes to the private copy synchronously, like the reads of regular files. */
function writeAll(file: Deno.FsFile, data: Uint8Array): void {
  for (let written = 0; written < data.length;) {
    written += file.writeSync(data.subarray(written));
  }
}
