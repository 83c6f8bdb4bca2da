import { quoteValue, UsageError } from "../core/errors.ts";
import { parseQueueNames } from "./queue_argument.ts";

/** Parses a whole-number option within bounds. */
export function parseCount(
  text: string | undefined,
  flag: string,
  fallback: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(
      `Invalid ${flag} ${quoteValue(text)}: expected a whole number from 1 to ${max}`,
    );
  }
  return Number(text);
}

/**
 * Parses `--queue a,b` into queue names, each once, in the order given (a worker serves a queue
 * or not: `a,a` is `a`, and `worker list` shows it so); absent means every queue.
 */
export function parseQueueList(text: string | undefined): string[] | null {
  return text === undefined ? null : parseQueueNames(text, "--queue");
}

export const QUEUE_OPTION = {
  type: String,
  placeholder: "<names>",
  description: "serve only these queues, comma-separated (default: all)",
} as const;

export const CONCURRENCY_OPTION = {
  type: String,
  placeholder: "<n>",
  description: "jobs one worker process runs at a time (default 1)",
} as const;
