import { configFromStored } from "../core/config.ts";
import type { NewJob } from "../core/job.ts";
import type { JobInput, JobSpecContext } from "../core/job_spec.ts";
import { RejectedJobError } from "../core/errors.ts";
import type { BatchResult } from "../store/store.ts";
import type { CliContext } from "./context.ts";
import { jobsFromLines, lineError } from "./job_lines.ts";
import { specContextFor } from "./job_options.ts";
import { readLineBatches } from "./read_lines.ts";
import { RereadableInput } from "./rereadable_input.ts";
import { wakeWorkers } from "../worker/wake_socket.ts";

/**
 * `enqueue --file`: every line of the file (or stdin for "-") becomes a job, all in one
 * transaction or none. The whole input is validated before the database is written; the
 * second read, inside the transaction, inserts it.
 */
export async function enqueueFile(
  context: CliContext,
  path: string,
  defaults: JobInput,
): Promise<BatchResult> {
  const now = context.now();
  await using input = await RereadableInput.open(path, () => context.stdin);
  const store = context.store();
  const config = configFromStored(await store.readConfigValues());
  const spec = specContextFor(context, defaults, now, config.maxRetries);
  for await (const _ of jobsFromLines(readLineBatches(input.firstRead()), defaults, spec)) {
    // Validation only: the jobs are built again from the second read.
  }
  const source = new JobSource(input, defaults, spec);
  let result: BatchResult;
  try {
    result = await store.enqueueBatch(source.batches(), now);
  } catch (error) {
    await input.assertUnchanged();
    if (error instanceof RejectedJobError) throw lineError(source.lineOf(error.index), error);
    throw error;
  }
  if (result.enqueued > 0) await wakeWorkers(store);
  return result;
}

/** The second read's jobs, remembering the lines of the batch last handed to the store. */
class JobSource {
  readonly #input: RereadableInput;
  readonly #defaults: JobInput;
  readonly #spec: JobSpecContext;
  #firstIndex = 0;
  #lines: readonly number[] = [];

  constructor(input: RereadableInput, defaults: JobInput, spec: JobSpecContext) {
    this.#input = input;
    this.#defaults = defaults;
    this.#spec = spec;
  }

  async *batches(): AsyncGenerator<readonly NewJob[]> {
    const lineBatches = readLineBatches(this.#input.secondRead());
    for await (const { jobs, lines } of jobsFromLines(lineBatches, this.#defaults, this.#spec)) {
      this.#firstIndex += this.#lines.length;
      this.#lines = lines;
      yield jobs;
    }
  }

  /** The line of the job at `index` in the stream: the store refuses a job of the last batch. */
  lineOf(index: number): number {
    const line = this.#lines[index - this.#firstIndex];
    if (line === undefined) {
      throw new Error(`The store refused job ${index}, not of the last batch`);
    }
    return line;
  }
}
