import { formatDuration, parseDuration } from "../../core/duration.ts";
import { quoteValue, UsageError } from "../../core/errors.ts";
import { type Job, jobToJson } from "../../core/job.ts";
import { isTerminal } from "../../core/job_state.ts";
import { defineCommand } from "../command.ts";
import { noteHeldJobs } from "../held_jobs_note.ts";
import { EXIT_READER_GONE } from "../output.ts";
import { describeJobEnd } from "../render/job_end.ts";
import { waitSelection } from "../wait_selection.ts";
import { ChangeWatcher, waitForChange } from "../watch_jobs.ts";

export const EXIT_TIMEOUT = 124;

export default defineCommand({
  name: "wait",
  arguments: "<id>... | --queue <names> | --all",
  description: [
    "Blocks until every named job is completed, dead or cancelled, printing a line for each",
    "as it ends. Exit 0 if all completed; 1 if any ended dead or cancelled; 124 if --timeout",
    "passed first; 2 if an id is unknown; 141 if stdout's reader went away first (`| head -1`),",
    "leaving the jobs as they are. A job deleted (pruned) before its end was seen counts as",
    "failed. Says on stderr, at the start, which jobs wait for a paused queue's resume or a",
    "worker for their queue.",
    "With --queue (or --all), it waits instead for the jobs of those queues (of every queue)",
    "that have not ended when it starts: pending, running, or failed awaiting a retry. A job",
    "enqueued later is not waited for. With none, it exits 0 at once, saying so on stderr.",
  ].join("\n"),
  options: {
    queue: {
      type: String,
      placeholder: "<names>",
      description: "instead of ids: the unfinished jobs of these queues, comma-separated",
    },
    all: { type: Boolean, description: "instead of ids: the unfinished jobs of every queue" },
    timeout: {
      type: String,
      placeholder: "<duration>",
      description: "give up after this long (exit 124)",
    },
    json: { type: Boolean, description: "print the jobs as a JSON array at the end" },
  },
  examples: [
    "queuectl wait build-1 test-1 --timeout 10m",
    `ids=$(for f in *.txt; do queuectl enqueue -q -- gzip "$f"; done); queuectl wait $ids`,
    "queuectl wait --queue build,test --timeout 30m",
  ],
  async run(context, { options, positionals }) {
    const selection = waitSelection(positionals, options.queue, options.all === true);
    const timeoutMs = options.timeout === undefined
      ? null
      : parseDuration(options.timeout, "--timeout");
    const deadline = timeoutMs === null ? Infinity : Date.now() + timeoutMs;
    // Without a database no job is known: saying so creates nothing.
    const store = context.storeOrEmpty();
    // Before the lookups: a commit between them and this read would go unseen until the next.
    let version = await store.dataVersion();
    /** Each job as last seen; null: deleted (pruned) before its end was seen. */
    const jobs = new Map<string, Job | null>();
    if ("ids" in selection) {
      const found = await store.getJobs(selection.ids);
      for (const id of selection.ids) {
        const job = found.get(id);
        if (!job) throw unknownId(id);
        jobs.set(id, job);
      }
    } else {
      for (const job of await store.unfinishedJobs(selection.queues)) jobs.set(job.id, job);
      if (jobs.size === 0) {
        context.stderr.line(`queuectl: ${nothingUnfinished(selection.queues)}`);
        if (options.json) context.stdout.json([]);
        return 0;
      }
    }
    const ids = [...jobs.keys()];
    await noteHeldJobs(context, store, [...jobs.values()]);
    const reported = new Set<string>();
    using watcher = ChangeWatcher.open([store.commitFile]);
    // `wait $ids | head -1`: no one reads what is left to print, so stop at once, also while
    // no job ends (a write would find the reader gone only at the next end).
    let readerGone = false;
    context.stdoutReaderGone().then(() => {
      readerGone = true;
      watcher.wake();
    });
    for (;;) {
      for (const [id, job] of jobs) {
        if (reported.has(id) || (job && !isTerminal(job.state))) continue;
        reported.add(id);
        if (!job) {
          // An end that was not seen counts as a failure: it may have been dead or cancelled.
          if (options.json) {
            context.stderr.line(`queuectl: Job ${id} was deleted before its end was seen`);
          } else context.stdout.line(`${id} deleted before its end was seen`);
        } else if (!options.json) context.stdout.line(`${job.id} ${describeJobEnd(job)}`);
      }
      // Before the jobs' outcome: it is no longer printed. The jobs are left as they are.
      if (readerGone || context.stdout.readerGone) return EXIT_READER_GONE;
      if (reported.size === ids.length || Date.now() >= deadline) break;
      version = await waitForChange(store, watcher, version, deadline, () => readerGone);
      const lookedAt = performance.now();
      const ended = await store.endedJobs(ids.filter((id) => !reported.has(id)));
      for (const [id, job] of ended) jobs.set(id, job);
      await restAfterLook(watcher, performance.now() - lookedAt, deadline);
    }
    if (reported.size < ids.length && options.json) {
      // Timed out: the jobs not ended are printed as they are now, not as first read.
      const waiting = ids.filter((id) => !reported.has(id));
      const current = await store.getJobs(waiting);
      for (const id of waiting) jobs.set(id, current.get(id) ?? null);
    }
    if (options.json) {
      context.stdout.json(
        [...jobs.values()].filter((job) => job !== null).map((job) => jobToJson(job)),
      );
    }
    if (reported.size < ids.length) {
      const waiting = ids.filter((id) => !reported.has(id));
      // "after 0ms" would tell of a wait that never was: 0 looks once.
      const after = timeoutMs === 0
        ? "at once (--timeout 0)"
        : `after ${formatDuration(timeoutMs!)}`;
      context.stderr.line(
        `queuectl: Timed out ${after} waiting for ${waiting.length} job(s): ${someIds(waiting)}`,
      );
      return EXIT_TIMEOUT;
    }
    return [...jobs.values()].every((job) => job?.state === "completed") ? 0 : 1;
  },
});

/** How many ids a line names before it counts the rest: a `wait --all` may wait for thousands. */
const IDS_NAMED = 20;

function someIds(ids: readonly string[]): string {
  if (ids.length <= IDS_NAMED) return ids.join(", ");
  return `${ids.slice(0, IDS_NAMED).join(", ")} and ${ids.length - IDS_NAMED} more`;
}

/** The longest rest between two looks: how late `wait` may see the end of one of many jobs. */
const LOOK_REST_MAX_MS = 500;

/**
 * After a look that took `lookMs`, rests nine times as long (at most LOOK_REST_MAX_MS), so that
 * a `wait` for many jobs spends a tenth of its time looking at most, however often the queue
 * changes. A look at a few jobs takes well under a millisecond and rests not at all.
 */
async function restAfterLook(watcher: ChangeWatcher, lookMs: number, deadline: number) {
  if (lookMs < 1) return;
  await watcher.rest(Math.min(lookMs * 9, LOOK_REST_MAX_MS, deadline - Date.now()));
}

/** Why `wait --queue`/`--all` has nothing to wait for; null: every queue. */
function nothingUnfinished(queues: readonly string[] | null): string {
  const where = queues === null
    ? "any queue"
    : `queue${queues.length === 1 ? "" : "s"} ${queues.map((queue) => `"${queue}"`).join(", ")}`;
  return `no unfinished job in ${where}: nothing to wait for`;
}

function unknownId(id: string): UsageError {
  return new UsageError(`No job with id ${quoteValue(id)}: nothing to wait for`);
}
