import { UsageError } from "../core/errors.ts";
import type { NewJob } from "../core/job.ts";
import {
  type JobInput,
  type JobSpecContext,
  looksLikeJobJson,
  parseJobJson,
  resolveJobSpec,
} from "../core/job_spec.ts";
import { NotUtf8Error } from "./read_lines.ts";

/**
 * Jobs handed to the store at a time. Few, so that what is alive at any moment stays small:
 * V8 grows its young generation with what survives its collections. Peak RSS of 100,000 jobs
 * against 20,000: 127 vs 78 MiB with ~6,000 a batch, 71 vs 61 with 512, 62.5 vs 56.6 with 128
 * (and reads of 16 KiB).
 */
export const JOBS_PER_BATCH = 128;

/** The jobs of some consecutive input lines, with the number of the line each came from. */
export interface LineJobs {
  readonly jobs: NewJob[];
  readonly lines: number[];
}

/**
 * Validates lines of `enqueue --file` input into jobs, in batches of JOBS_PER_BATCH (the last
 * one smaller): each line is a JSON job or a shell command; blank lines and `#` comments are
 * skipped. The first bad line (also one that is not UTF-8) throws a UsageError that names it.
 */
export async function* jobsFromLines(
  lineBatches: AsyncIterable<readonly string[]>,
  defaults: JobInput,
  context: JobSpecContext,
): AsyncGenerator<LineJobs> {
  const hasDefaults = Object.keys(defaults).length > 0;
  let lineNumber = 0;
  let jobs: NewJob[] = [];
  let lines: number[] = [];
  try {
    for await (const batch of lineBatches) {
      for (const line of batch) {
        lineNumber++;
        const text = line.trim();
        if (text === "" || text.startsWith("#")) continue;
        try {
          const input = looksLikeJobJson(text) ? parseJobJson(text) : { command: text };
          jobs.push(resolveJobSpec(input, context, hasDefaults ? defaults : undefined));
        } catch (error) {
          if (error instanceof UsageError) throw lineError(lineNumber, error);
          throw error;
        }
        lines.push(lineNumber);
        if (jobs.length === JOBS_PER_BATCH) {
          yield { jobs, lines };
          jobs = [];
          lines = [];
        }
      }
    }
  } catch (error) {
    if (error instanceof NotUtf8Error) throw lineError(error.lineNumber, error);
    throw error;
  }
  if (jobs.length > 0) yield { jobs, lines };
}

/** The message of a bad line of input, for a batch of which nothing is stored. */
export function lineError(lineNumber: number, error: UsageError): UsageError {
  return new UsageError(`Line ${lineNumber}: ${error.message} (nothing was enqueued)`);
}
