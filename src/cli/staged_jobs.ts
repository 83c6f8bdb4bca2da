import type { NewJob } from "../core/job.ts";
import { readLines } from "./read_lines.ts";

const encoder = new TextEncoder();
const FLUSH_BYTES = 256 * 1024;

/**
 * A batch of validated jobs parked in a private temporary file (mode 0600), one JSON line per
 * job with the input line it came from. `enqueue --file` reads its input into it first and
 * opens its write transaction only afterwards, so a slow producer never holds the database
 * lock that workers need to claim; memory stays flat whatever the input's size.
 */
export class StagedJobs implements AsyncDisposable {
  readonly #path: string;
  readonly #file: Deno.FsFile;
  #buffer: string[] = [];
  #bufferedBytes = 0;
  #count = 0;

  private constructor(path: string, file: Deno.FsFile) {
    this.#path = path;
    this.#file = file;
  }

  static async create(): Promise<StagedJobs> {
    const path = await Deno.makeTempFile({ prefix: "queuectl-enqueue-", suffix: ".ndjson" });
    const file = await Deno.open(path, { write: true, truncate: true });
    return new StagedJobs(path, file);
  }

  get count(): number {
    return this.#count;
  }

  async add(job: NewJob, line: number): Promise<void> {
    const text = `${JSON.stringify([line, job])}\n`;
    this.#buffer.push(text);
    this.#bufferedBytes += text.length;
    this.#count++;
    if (this.#bufferedBytes >= FLUSH_BYTES) await this.#flush();
  }

  /** The staged jobs in order; `position.line` follows the input line of the job read last. */
  async *read(position: { line: number }): AsyncGenerator<NewJob> {
    await this.#flush();
    const file = await Deno.open(this.#path);
    for await (const text of readLines(file.readable)) {
      const [line, job] = JSON.parse(text) as [number, NewJob];
      position.line = line;
      yield job;
    }
  }

  async #flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const data = encoder.encode(this.#buffer.join(""));
    this.#buffer = [];
    this.#bufferedBytes = 0;
    for (let written = 0; written < data.length;) {
      written += await this.#file.write(data.subarray(written));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#file.close();
    await Deno.remove(this.#path).catch(() => {});
  }
}
