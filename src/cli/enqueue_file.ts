import { configFromStored } from "../core/config.ts";
import type { NewJob } from "../core/job.ts";
import type { JobInput, JobSpecContext } from "../core/job_spec.ts";
import { RejectedJobError, UnknownDependencyError } from "../core/errors.ts";
import type { BatchResult } from "../store/store.ts";
import type { CliContext } from "./context.ts";
import { jobsFromLines, lineError } from "./job_lines.ts";
import { checkJobOptions, specContextFor } from "./job_options.ts";
import { enqueuedQueueNote, pausedQueueNote } from "./queue_hints.ts";
import { readLineBatches } from "./read_lines.ts";
import { RereadableInput } from "./rereadable_input.ts";
import { staleLogRemover } from "../worker/stale_job_logs.ts";
import { wakeWorkers } from "../worker/wake_socket.ts";

/**
 * `enqueue --file`: every line of the file (or stdin for "-") becomes a job, all in one
 * transaction or none. The whole input is validated before the database is written (or created);
 * the second read, inside the transaction, inserts it. `onStored` gets the jobs' ids as the store
 * does (SqliteStore.enqueueBatch), before the commit.
 */
export async function enqueueFile(
  context: CliContext,
  path: string,
  defaults: JobInput,
  onStored?: (ids: readonly string[]) => void,
): Promise<BatchResult> {
  const now = context.now();
  const validation = specContextFor(context, now, 0);
  checkJobOptions(defaults, validation);
  await using input = await RereadableInput.open(path, () => context.stdin);
  const existing = context.existingStore();
  // Without a database the only jobs to run after are those of earlier lines.
  const earlierIds = existing === null ? new EarlierIds() : null;
  const lineBatches = readLineBatches(input.firstRead());
  let namedJobs = 0;
  for await (const { jobs, lines } of jobsFromLines(lineBatches, defaults, validation)) {
    earlierIds?.check(jobs, lines);
    for (const job of jobs) if (job.id !== null) namedJobs++;
  }
  const store = existing ?? context.store();
  const config = configFromStored(await store.readConfigValues());
  const spec = specContextFor(context, now, config.maxRetries);
  const source = new JobSource(input, defaults, spec);
  let result: BatchResult;
  try {
    result = await store.enqueueBatch(
      source.batches(),
      now,
      onStored,
      namedJobs === 0 ? undefined : await staleLogRemover(context.layout(), namedJobs),
    );
  } catch (error) {
    await input.assertUnchanged();
    if (error instanceof RejectedJobError) throw lineError(source.lineOf(error.index), error);
    throw error;
  }
  const workersWoken = result.enqueued > 0 ? await wakeWorkers(store) : 0;
  // As for one job: nothing else would say why a paused queue's jobs do not run. Only the jobs
  // stored and waiting: a line skipped for its held unique key stored nothing.
  for (const queue of await store.pausedQueues()) {
    const jobs = result.waitingPerQueue.get(queue);
    if (jobs === undefined) continue;
    context.stderr.line(`queuectl: ${pausedQueueNote(queue, jobsRun(jobs))}`);
  }
  // Only when workers are registered (they were woken), as for one job: without any, enqueueing
  // before starting them is the usual order.
  if (workersWoken > 0) {
    for (const [queue, jobs] of result.waitingPerQueue) {
      const note = enqueuedQueueNote(queue, await store.queueService(queue), jobsRun(jobs));
      if (note) context.stderr.line(`queuectl: ${note}`);
    }
  }
  return result;
}

function jobsRun(jobs: number): string {
  return jobs === 1 ? "1 job runs" : `${jobs} jobs run`;
}

/** The ids of the lines read so far, which a job may run after. */
class EarlierIds {
  readonly #ids = new Set<string>();

  /** Throws for the first job that runs after an id of no earlier line. */
  check(jobs: readonly NewJob[], lines: readonly number[]): void {
    jobs.forEach((job, index) => {
      const unknown = job.after.find((id) => !this.#ids.has(id));
      if (unknown !== undefined) {
        throw lineError(lines[index]!, new UnknownDependencyError(unknown));
      }
      if (job.id !== null) this.#ids.add(job.id);
    });
  }
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
