import type { Output } from "./output.ts";
import { readLineBatches } from "./read_lines.ts";
import { directoryOf, tempFileFailure } from "./temp_file_failure.ts";

const CHUNK_BYTES = 16 * 1024;
const encoder = new TextEncoder();
const WHAT = "the ids of the jobs enqueued";

/**
 * The ids of `enqueue --file --json` or `--quiet`, one a line in an unlinked temporary file:
 * written as the store hands each batch over (inside its transaction), read back once it has
 * committed. So nothing is printed for jobs rolled back, and memory stays flat whatever the
 * number of jobs, as for the input itself.
 */
export class IdSpool implements Disposable {
  readonly #file: Deno.FsFile;
  readonly #directory: string;

  private constructor(file: Deno.FsFile, directory: string) {
    this.#file = file;
    this.#directory = directory;
  }

  static create(): IdSpool {
    let path: string;
    try {
      path = Deno.makeTempFileSync({ prefix: "queuectl-ids-" });
    } catch (error) {
      throw tempFileFailure(WHAT, null, error);
    }
    const file = Deno.openSync(path, { read: true, write: true });
    // Unlinked at once: the file lives as long as the handle, even if the process is killed.
    Deno.removeSync(path);
    return new IdSpool(file, directoryOf(path));
  }

  /** Appends ids (job ids hold no newline); a failure rolls the batch back. */
  add(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const data = encoder.encode(`${ids.join("\n")}\n`);
    try {
      for (let written = 0; written < data.length;) {
        written += this.#file.writeSync(data.subarray(written));
      }
    } catch (error) {
      throw tempFileFailure(WHAT, this.#directory, error);
    }
  }

  /** The ids added, in order, a chunk's worth at a time. */
  async *idBatches(): AsyncGenerator<string[]> {
    this.#file.seekSync(0, Deno.SeekMode.Start);
    yield* readLineBatches(this.#chunks());
  }

  async *#chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const buffer = new Uint8Array(CHUNK_BYTES);
      const count = this.#file.readSync(buffer);
      if (count === null) return;
      yield buffer.subarray(0, count);
    }
  }

  [Symbol.dispose](): void {
    this.#file.close();
  }
}

/** What `enqueue --file --json` prints besides the ids (docs/json.md: EnqueueBatch). */
export interface BatchCounts {
  readonly enqueued: number;
  readonly duplicates: number;
}

/**
 * Prints ids as `--quiet` does, one a line, or, given the batch's counts, as `--json` does: an
 * EnqueueBatch laid out as Output.json lays one out, without holding the ids all.
 */
export async function writeIds(
  output: Output,
  idBatches: AsyncIterable<readonly string[]>,
  json: BatchCounts | null,
): Promise<void> {
  if (json === null) {
    for await (const ids of idBatches) if (ids.length > 0) output.write(`${ids.join("\n")}\n`);
    return;
  }
  const opening =
    `{\n  "enqueued": ${json.enqueued},\n  "duplicates": ${json.duplicates},\n  "ids": `;
  let separator = `${opening}[\n    `;
  for await (const ids of idBatches) {
    if (ids.length === 0) continue;
    output.write(separator + ids.map((id) => JSON.stringify(id)).join(",\n    "));
    separator = ",\n    ";
  }
  output.write(separator === `${opening}[\n    ` ? `${opening}[]\n}\n` : "\n  ]\n}\n");
}
