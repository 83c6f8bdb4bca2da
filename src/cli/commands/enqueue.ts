import { formatDuration } from "../../core/duration.ts";
import { UsageError } from "../../core/errors.ts";
import { jobToJson } from "../../core/job.ts";
import { defineCommand } from "../command.ts";
import {
  enqueueRequest,
  JOB_OPTIONS,
  jobInputFromOptions,
  jobRequestFromArgs,
  uniqueKeyHeldNote,
} from "../job_options.ts";
import { enqueuedQueueNote, pausedQueueNote } from "../queue_hints.ts";

export default defineCommand({
  name: "enqueue",
  arguments: `'<json>' | '<command>' | -- <command> [args...]`,
  description: [
    "The job runs with sh -c in the directory it was enqueued from. After --, several words",
    "are quoted one by one; a single argument is the command line itself. A JSON job has",
    `"command" and optionally "id", "max_retries", "priority", "run_at", "delay", "timeout",`,
    `"queue", "after", "unique_key", "env", "retry_on" and "no_retry_on"; options give`,
    "defaults for the fields the JSON leaves out. --timeout 0: no time limit, whatever",
    "config job_timeout says.",
    "With --file, all lines are stored or none: a bad line is reported with its number.",
  ].join("\n"),
  options: {
    ...JOB_OPTIONS,
    file: {
      type: String,
      placeholder: "<path>",
      description: "enqueue one job per line of a file (- for stdin): JSON objects or commands",
    },
    json: {
      type: Boolean,
      description: "print the created job as JSON (with --file: the counts and the ids)",
    },
    quiet: {
      type: Boolean,
      alias: "q",
      description: "print only the job id (with --file: one id a line)",
    },
  },
  examples: [
    `queuectl enqueue 'make test'`,
    `queuectl enqueue '{"command":"./deploy.sh","max_retries":5,"priority":10}'`,
    `queuectl enqueue --delay 5m --timeout 30s -- curl -fsS https://example.com/health`,
    `queuectl enqueue --after build-1 --env MODE=ci -- ./test.sh`,
    `queuectl enqueue --file jobs.ndjson`,
  ],
  async run(context, { options, positionals, rest }) {
    if (options.file !== undefined) {
      if (positionals.length > 0 || rest !== null) {
        throw new UsageError("Give --file or a command, not both");
      }
      if (options.id !== undefined) {
        throw new UsageError(`--id cannot be used with --file: give each line its own "id"`);
      }
      // Modules only --file needs, imported through a computed URL (command_module.ts).
      const { enqueueFile }: typeof import("../enqueue_file.ts") = await import(
        new URL("../enqueue_file.ts", import.meta.url).href
      );
      const { IdSpool, writeIds }: typeof import("../id_spool.ts") = await import(
        new URL("../id_spool.ts", import.meta.url).href
      );
      // The ids, as for one job: each line's job, or the one holding its unique key.
      using spool = options.json || options.quiet ? IdSpool.create() : null;
      const result = await enqueueFile(
        context,
        options.file,
        jobInputFromOptions(options),
        spool === null ? undefined : (ids) => spool.add(ids),
      );
      if (result.duplicates > 0) {
        context.stderr.line(
          `queuectl: Skipped ${result.duplicates} job(s) whose unique key is held by an unfinished job`,
        );
      }
      if (spool !== null) {
        await writeIds(context.stdout, spool.idBatches(), options.json ? result : null);
      } else {
        context.stdout.line(`Enqueued ${result.enqueued} job${result.enqueued === 1 ? "" : "s"}`);
      }
      return 0;
    }
    const request = jobRequestFromArgs(context, options, positionals, rest);
    const { job, existing, queuePaused, workersWoken } = await enqueueRequest(context, request);
    if (existing) context.stderr.line(`queuectl: ${uniqueKeyHeldNote(job)}`);
    // On stderr, also with --quiet and --json: scripts read stdout, and a job that will not run
    // until someone acts is worth saying anyway (as a held unique key is).
    if (queuePaused && job.state !== "cancelled") {
      context.stderr.line(`queuectl: ${pausedQueueNote(job.queue, "the job runs")}`);
    }
    // Only when workers are registered (they were woken): without any, enqueueing before
    // starting them is the usual order, and this costs no query.
    const note = workersWoken > 0 &&
      enqueuedQueueNote(job.queue, await context.store().queueService(job.queue), "the job runs");
    if (note) context.stderr.line(`queuectl: ${note}`);
    if (options.json) context.stdout.json(jobToJson(job));
    else if (options.quiet || existing) context.stdout.line(job.id);
    else if (job.state === "cancelled") {
      context.stdout.line(`Enqueued job ${job.id}, cancelled at once: ${job.lastError}`);
    } else {
      // Against the time the job was stored with: a clock read here could be a millisecond
      // older and make a job due at once look delayed. The delay as a duration, not a relative
      // time, which calls anything under a second "now".
      const delay = job.runAt - job.createdAt;
      const later = delay > 0 ? ` (runs in ${formatDuration(delay)})` : "";
      context.stdout.line(`Enqueued job ${job.id}${later}`);
    }
    return 0;
  },
});
