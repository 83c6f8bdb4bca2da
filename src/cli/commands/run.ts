import { timedOut, TIMEOUT_EXIT_CODE } from "../../core/attempt_outcome.ts";
import { OperationalError } from "../../core/errors.ts";
import type { Job } from "../../core/job.ts";
import { isTerminal } from "../../core/job_state.ts";
import type { Store } from "../../store/store.ts";
import { cancelJobs } from "../cancel_jobs.ts";
import { defineCommand } from "../command.ts";
import type { CliContext } from "../context.ts";
import { checkDependenciesExist } from "../dependency_store.ts";
import { followLog, READER_GONE } from "../follow_log.ts";
import { EXIT_READER_GONE } from "../output.ts";
import { sharedScreen } from "../shared_screen.ts";
import { pausedQueueNote, runRefusal, waitingForWorkerNote } from "../queue_hints.ts";
import { queueReadiness } from "../queue_readiness.ts";
import { describeJobEnd } from "../render/job_end.ts";
import {
  enqueueRequest,
  JOB_OPTIONS,
  jobRequestFromArgs,
  uniqueKeyHeldNote,
} from "../job_options.ts";

export const EXIT_INTERRUPTED = 130;
export const EXIT_TERMINATED = 143;

export default defineCommand({
  name: "run",
  arguments: "-- <command> [args...]",
  description: [
    "Enqueues the command, streams its output as a worker runs it (each attempt marked on",
    "stderr), and exits with its final exit code: 0 when it completed, its exit code when it",
    "ended in the DLQ, 124 when it ended there because its last attempt timed out, 1 when it",
    "ended there for another reason or was cancelled. Ctrl-C (or SIGTERM) cancels the job",
    "and exits 130 (143) once its command is gone (kill_grace at most), or 1 when the cancel",
    "fails (the job may still run); a closed stdout (`| head`) leaves it running (exit 141).",
    "When an unfinished job holds the --unique-key, nothing is enqueued: run follows that",
    "job, and Ctrl-C only stops following it. Refuses to enqueue when the queue is paused",
    "or no worker serves it, unless --wait-for-worker. After --, several words are quoted one",
    "by one; a single argument is the command line itself (-- 'make test').",
  ].join("\n"),
  options: {
    ...JOB_OPTIONS,
    waitForWorker: {
      type: Boolean,
      description: "enqueue and wait even when no worker is running or the queue is paused",
    },
  },
  examples: [
    "queuectl run -- make test",
    "queuectl run --timeout 10m --max-retries 2 -- ./flaky-integration-test.sh",
  ],
  async run(context, { options, positionals, rest }) {
    const request = jobRequestFromArgs(context, options, positionals, rest);
    if (!options.waitForWorker) {
      // A mistyped --after id is bad input (exit 2), whatever the workers: told to start one
      // first, the user would learn of the id only after doing so.
      await checkDependenciesExist(context, request.spec.after);
      const readiness = await queueReadiness(
        context.existingStore(),
        request.spec.queue,
        context.now(),
        context.layout().workers,
      );
      const refusal = runRefusal(request.spec.queue, readiness);
      if (refusal !== null) throw new OperationalError(refusal);
    }
    // From before the enqueue: a Ctrl-C that came between its commit and a listener would end
    // run by the default action and leave the job running. One that comes before the job is
    // known is acted on once it is.
    let interruptedEarly = false;
    let onInterrupt: () => void = () => {
      interruptedEarly = true;
    };
    /** The exit status of an interrupted run: 128 + the first signal's number, as a shell's. */
    let interruptedStatus = EXIT_INTERRUPTED;
    let interrupted = false;
    const listeners = interruptSignals().map(([signal, status]) => {
      const listener = () => {
        if (!interrupted) interruptedStatus = status;
        interrupted = true;
        onInterrupt();
      };
      Deno.addSignalListener(signal, listener);
      return [signal, listener] as const;
    });
    let job: Job;
    let cancelling: Promise<unknown> | null = null;
    let ended: Job | typeof READER_GONE | CancelFailed | null;
    let store: Store;
    let screen: ReturnType<typeof sharedScreen>;
    try {
      const enqueued = await enqueueRequest(context, request);
      // After the enqueue: one it refuses (an unknown --after id) creates nothing.
      store = context.store();
      screen = sharedScreen(context);
      job = enqueued.job;
      const { existing, queuePaused } = enqueued;
      context.stderr.line(
        `queuectl: ${existing ? uniqueKeyHeldNote(job) : `job ${job.id} enqueued`}`,
      );
      // With --wait-for-worker (or paused since the check): the wait may be a long one.
      if (queuePaused && job.state !== "cancelled") {
        context.stderr.line(`queuectl: ${pausedQueueNote(job.queue, "the job runs")}`);
      }
      const { promise: stopped, resolve: stopFollowing } = Promise.withResolvers<
        null | CancelFailed
      >();
      const id = job.id;
      // Only a job this run created is cancelled: another's belongs to whoever enqueued it.
      onInterrupt = () => {
        if (existing) return stopFollowing(null);
        if (cancelling) return;
        context.stderr.line(`queuectl: cancelling job ${id}`);
        cancelling = cancelJobs(store, [id], context.now).catch(async (error: unknown) => {
          // Gone (pruned once it ended) or ended while the cancel failed: its end is followed as
          // is. (A job that ended on its own first is not an error: the cancel leaves it as it is.)
          if (await hasEnded(store, id)) return;
          stopFollowing(new CancelFailed(error));
        });
      };
      if (interruptedEarly) onInterrupt();
      if (options.waitForWorker && !isTerminal(job.state)) {
        await noteUnservedQueue(context, store, job.queue);
      }
      ended = await Promise.race([
        followLog(store, context.layout(), job.id, {
          output: screen.output,
          header: screen.note,
          readerGone: context.stdoutReaderGone(),
        }),
        stopped,
      ]);
      // The job shows cancelled at once; its command may outlive that by up to kill_grace.
      if (cancelling) await cancelling;
    } finally {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    }
    if (ended instanceof CancelFailed) {
      screen.note(
        `queuectl: job ${job.id} may still run, cancelling it failed: ${ended.reason} (cancel it with 'queuectl cancel ${job.id}')`,
      );
      return 1;
    }
    if (ended === null) {
      screen.note(
        `queuectl: stopped following job ${job.id}, not cancelled: this run did not enqueue it`,
      );
      return interruptedStatus;
    }
    // The job's own status is not known: the job keeps running.
    if (ended === READER_GONE) return EXIT_READER_GONE;
    if (ended.state === "completed") return 0;
    screen.note(`queuectl: job ${ended.id} ${describeJobEnd(ended)}`);
    if (cancelling) return interruptedStatus;
    // As timeout(1) and `wait --timeout` do: a script can tell "too slow" from "failed".
    if (ended.state === "dead" && timedOut(ended)) return TIMEOUT_EXIT_CODE;
    if (ended.state === "dead" && ended.exitCode !== null && ended.exitCode !== 0) {
      return ended.exitCode;
    }
    return 1;
  },
});

/**
 * The signals that stop `run` as they would stop its command run in the foreground: Ctrl-C, and
 * SIGTERM, which a CI runner sends to cancel a build (a job left running would go on beyond the
 * build). With the exit status a shell gives for each. Windows has no SIGTERM to listen for.
 */
function interruptSignals(): (readonly [Deno.Signal, number])[] {
  const signals: (readonly [Deno.Signal, number])[] = [["SIGINT", EXIT_INTERRUPTED]];
  if (Deno.build.os !== "windows") signals.push(["SIGTERM", EXIT_TERMINATED]);
  return signals;
}

/** Says that no running worker takes the queue's jobs, naming the `worker start` that would. */
async function noteUnservedQueue(context: CliContext, store: Store, queue: string): Promise<void> {
  const { service } = await queueReadiness(store, queue, context.now(), context.layout().workers);
  const note = waitingForWorkerNote(queue, service, "the job runs");
  if (note !== null) context.stderr.line(`queuectl: ${note}`);
}

/** Why the cancel on Ctrl-C failed, the job not having ended. */
class CancelFailed {
  readonly reason: string;

  constructor(error: unknown) {
    this.reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  }
}

/** Whether a job has ended (or is gone); not when it cannot be read. */
async function hasEnded(store: Store, id: string): Promise<boolean> {
  try {
    const job = await store.getJob(id);
    return job === null || isTerminal(job.state);
  } catch {
    return false;
  }
}
