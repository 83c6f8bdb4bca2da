/** The stress run's enqueues: single jobs with random options, and `--file` batches. */
import type { Cli } from "./cli.ts";
import type { History } from "./history.ts";
import { jobCommand, type JobKind } from "./job_script.ts";
import type { Random } from "./random.ts";

export const QUEUES = ["default", "alpha", "beta", "gamma"] as const;

export interface OperationContext {
  readonly cli: Cli;
  readonly history: History;
  readonly random: Random;
  /** The path of the jobs' shell script. */
  readonly script: string;
  /** Makes ids given with `--id` unique across actors. */
  readonly idPrefix: string;
  nextId: number;
}

interface JobDraft {
  readonly queue: string;
  readonly kind: JobKind;
  readonly command: string;
  readonly after: readonly string[];
  readonly options: Record<string, string>;
}

function draftJob(context: OperationContext, after: readonly string[]): JobDraft {
  const { random, script } = context;
  const queue = random.chance(0.4) ? "default" : random.pick(QUEUES);
  const kind = random.weighted<JobKind>({ ok: 50, fail: 8, flaky: 15, slow: 10, stubborn: 10 });
  const tenths = kind === "slow" || kind === "stubborn" ? random.int(8, 25) : random.int(0, 3);
  const options: Record<string, string> = {};
  if (queue !== "default" || random.chance(0.2)) options.queue = queue;
  if (random.chance(0.3)) options.priority = String(random.int(-5, 5));
  if (random.chance(0.15)) options.delay = `${random.int(100, 2000)}ms`;
  if (random.chance(0.4)) options["max-retries"] = String(random.int(0, 3));
  if (random.chance(kind === "slow" ? 0.6 : 0.1)) options.timeout = `${random.int(300, 1500)}ms`;
  if (random.chance(0.15)) options["unique-key"] = `key${random.int(0, 4)}`;
  return {
    queue,
    kind,
    command: jobCommand(script, queue, kind, tenths, random.int(1, 3)),
    after,
    options,
  };
}

/** The draft's own time limit, which it gives in ms. */
function timeoutMs(draft: JobDraft): number | null {
  const timeout = draft.options.timeout;
  return timeout === undefined ? null : Number(timeout.replace("ms", ""));
}

function chooseDependencies(context: OperationContext): string[] {
  if (!context.random.chance(0.25)) return [];
  return context.random.sample(context.history.recentIds(40), context.random.int(1, 2));
}

export async function enqueueOne(context: OperationContext): Promise<void> {
  const draft = draftJob(context, chooseDependencies(context));
  const args = ["enqueue", "--json"];
  for (const [name, value] of Object.entries(draft.options)) args.push(`--${name}`, value);
  if (draft.after.length > 0) args.push("--after", draft.after.join(","));
  args.push("--", draft.command);
  const call = await context.cli.run(args);
  if (call.code !== 0) return;
  const job = JSON.parse(call.stdout) as { id: string; queue: string; after: string[] };
  // A job holding the unique key is the one printed: already known, or enqueued elsewhere.
  context.history.addJob({
    id: job.id,
    queue: job.queue,
    after: job.after,
    kind: draft.kind,
    timeoutMs: timeoutMs(draft),
  });
}

/**
 * `run`: enqueues a job and follows it to its end, or is stopped by SIGTERM (cancelling the
 * job) if that takes long. Its id is not printed: it runs after no other job, and the checks
 * that need no history (attempts, one run at a time, limits) cover it.
 */
export async function runJob(context: OperationContext): Promise<void> {
  const draft = draftJob(context, []);
  const args = ["run"];
  if (context.random.chance(0.5)) args.push("--wait-for-worker");
  for (const [name, value] of Object.entries(draft.options)) {
    if (name !== "unique-key" && name !== "delay") args.push(`--${name}`, value);
  }
  args.push("--", draft.command);
  await context.cli.run(args, { terminateAfterMs: context.random.int(1000, 15_000) });
}

/** A batch of jobs with ids of their own, some running after earlier lines of the batch. */
export async function enqueueBatch(context: OperationContext): Promise<void> {
  const lines: string[] = [];
  const drafts = new Map<string, JobDraft>();
  const count = context.random.int(2, 8);
  for (let index = 0; index < count; index++) {
    const id = `${context.idPrefix}-${context.nextId++}`;
    const inBatch = [...drafts.keys()];
    const after = inBatch.length > 0 && context.random.chance(0.4)
      ? context.random.sample(inBatch, 1)
      : chooseDependencies(context);
    const draft = draftJob(context, after);
    drafts.set(id, draft);
    const line: Record<string, unknown> = { id, command: draft.command, queue: draft.queue };
    if (after.length > 0) line.after = after;
    const { priority, delay, timeout } = draft.options;
    if (priority !== undefined) line.priority = Number(priority);
    if (delay !== undefined) line.delay = delay;
    if (timeout !== undefined) line.timeout = timeout;
    if (draft.options["max-retries"] !== undefined) {
      line.max_retries = Number(draft.options["max-retries"]);
    }
    if (draft.options["unique-key"] !== undefined) line.unique_key = draft.options["unique-key"];
    lines.push(JSON.stringify(line));
  }
  const call = await context.cli.run(["enqueue", "--file", "-", "--json"], {
    stdin: lines.join("\n"),
  });
  if (call.code !== 0) return;
  const { ids } = JSON.parse(call.stdout) as { ids: string[] };
  [...drafts].forEach(([id, draft], index) => {
    // A line skipped for its held unique key gives the holder's id instead of its own.
    if (ids[index] !== id) return;
    context.history.addJob({
      id,
      queue: draft.queue,
      after: draft.after,
      kind: draft.kind,
      timeoutMs: timeoutMs(draft),
    });
  });
}
