/**
 * The stress run's other operations: cancel, retry, dead-letter retry, queue pause, resume and
 * limits, prune, settings, and reads.
 */
import { type OperationContext, QUEUES } from "./enqueue_operations.ts";

interface JobJson {
  readonly id: string;
  readonly state: string;
}

/** Cancels recent jobs, or running ones, whose commands get SIGTERM. */
export async function cancelJobs(context: OperationContext): Promise<void> {
  const { cli, history, random } = context;
  let candidates = history.recentIds(30);
  if (random.chance(0.5)) {
    const running = await cli.json<JobJson[]>("list", "--state", "processing", "--limit", "50");
    candidates = running?.map((job) => job.id) ?? [];
  }
  const ids = random.sample(candidates, random.int(1, 3));
  if (ids.length > 0) await cancel(context, ids);
}

export async function cancelQueue(context: OperationContext): Promise<void> {
  await cancel(context, ["--all", "--queue", context.random.pick(QUEUES)]);
}

async function cancel(context: OperationContext, args: readonly string[]): Promise<void> {
  const call = await context.cli.run(["cancel", "--json", ...args]);
  if (call.code !== 0) return;
  for (const id of JSON.parse(call.stdout) as string[]) context.history.cancelled.add(id);
}

export async function retryFailed(context: OperationContext): Promise<void> {
  const queue = context.random.chance(0.3) ? ["--queue", context.random.pick(QUEUES)] : [];
  await context.cli.run(["retry", "--all", ...queue, "--json"]);
}

export async function retryDead(context: OperationContext): Promise<void> {
  const { cli, history, random } = context;
  let args = ["dlq", "retry", "--all", "--json"];
  if (random.chance(0.5)) {
    const dead = await cli.json<JobJson[]>("dlq", "list", "--limit", "1000");
    if (dead === null || dead.length === 0) return;
    args = ["dlq", "retry", "--json", ...random.sample(dead.map((job) => job.id), 2)];
  }
  const start = Date.now();
  const call = await cli.run(args);
  if (call.code === 0) {
    history.revived(JSON.parse(call.stdout) as string[], { start, end: Date.now() });
  }
}

export async function pauseOrResume(context: OperationContext): Promise<void> {
  const queue = context.random.pick(QUEUES);
  // Resumes outnumber pauses: a paused queue holds its jobs until one.
  const paused = context.random.chance(0.35);
  const start = Date.now();
  const call = await context.cli.run(["queue", paused ? "pause" : "resume", queue]);
  if (call.code === 0) {
    context.history.pauseChanges.push({ queue, paused, start, end: Date.now() });
  }
}

export async function setLimit(context: OperationContext): Promise<void> {
  const queue = context.random.pick(QUEUES);
  const limit = context.random.chance(0.25) ? null : context.random.int(1, 3);
  const start = Date.now();
  const call = await context.cli.run([
    "queue",
    "set",
    queue,
    "--concurrency",
    limit === null ? "none" : String(limit),
  ]);
  if (call.code === 0) {
    context.history.limitChanges.push({ queue, limit, start, end: Date.now() });
  }
}

export async function prune(context: OperationContext): Promise<void> {
  await context.cli.run(["prune", "--older-than", context.random.pick(["0s", "1ms", "2s"])]);
}

const SETTINGS: Record<string, readonly string[]> = {
  lease_seconds: ["2", "3", "5"],
  kill_grace: ["1s", "2s", "3s"],
  backoff_unit: ["20ms", "100ms", "300ms"],
  max_retries: ["0", "1", "2", "3"],
  job_timeout: ["0", "4s"],
  poll_interval_ms: ["100", "500", "1000"],
  retention: ["0", "0", "1s", "5s"],
  retry_on: ["none", "none", "124"],
  no_retry_on: ["none", "none", "3"],
};

export async function setConfig(context: OperationContext): Promise<void> {
  const key = context.random.pick(Object.keys(SETTINGS));
  await context.cli.run(["config", "set", key, context.random.pick(SETTINGS[key]!)]);
}

/** A read: the jobs' states (recorded), the counts, one job, or a short wait. */
export async function observe(context: OperationContext): Promise<void> {
  const { cli, history, random } = context;
  const what = random.weighted({ list: 3, status: 2, queues: 1, show: 2, wait: 1, logs: 1 });
  const id = random.pick(history.recentIds(20).concat(["no-such-job"]));
  if (what === "list") await cli.run(["list", "--limit", "1000000", "--json"]);
  else if (what === "status") await cli.run(["status", "--json"]);
  else if (what === "queues") await cli.run(["queue", "list", "--json"]);
  else if (what === "show") await cli.run(["show", id, "--json"]);
  else if (what === "logs") await cli.run(["logs", "--tail", "5", id]);
  else if (history.ids.length > 0) {
    const call = await cli.run(["wait", ...history.recentIds(3), "--timeout", "500ms"]);
    for (const line of call.stdout.split("\n")) {
      const [id, state] = line.split(" ");
      if (id !== undefined && state === "completed") history.completed.add(id);
    }
  }
}
