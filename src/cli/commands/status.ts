import { JOB_STATES } from "../../core/job_state.ts";
import { toIso } from "../../core/timestamp.ts";
import { listLiveWorkers } from "../../worker/live_workers.ts";
import { defineCommand } from "../command.ts";
import { paintState } from "../render/color.ts";
import { relativeTime } from "../render/relative_time.ts";
import { describeWorkers, workerToJson } from "../render/workers.ts";

export default defineCommand({
  name: "status",
  arguments: "",
  options: {
    json: { type: Boolean, description: "print the status as JSON" },
  },
  examples: ["queuectl status", "queuectl status --json | jq .jobs.pending"],
  async run(context, { options }) {
    // Without a database: no jobs and no workers, and nothing created.
    const store = context.storeOrEmpty();
    const now = context.now();
    const counts = await store.statusCounts(now);
    const workers = await listLiveWorkers(store, now, context.layout().workers);
    const paused = await store.pausedQueues();
    const waiting = counts.longestWaiting;
    if (options.json) {
      context.stdout.json({
        jobs: counts.jobs,
        total: Object.values(counts.jobs).reduce((sum, n) => sum + n, 0),
        workers: workers.map((worker) => workerToJson(worker)),
        oldest_pending_age_seconds: waiting === null
          ? null
          : Math.max(0, now - waiting.dueAt) / 1000,
        oldest_pending_due_at: toIso(waiting?.dueAt ?? null),
        oldest_pending_created_at: toIso(waiting?.createdAt ?? null),
        recovered_jobs: counts.recoveredTotal,
        paused_queues: paused,
        database: store.location,
      });
      return 0;
    }
    const lines = ["Jobs:"];
    for (const state of JOB_STATES) {
      lines.push(
        `  ${paintState(state, state.padEnd(11), context.color)}${
          String(counts.jobs[state]).padStart(8)
        }`,
      );
    }
    if (waiting) {
      // A job delayed or retried became due after it was enqueued: both times say why.
      const due = relativeTime(waiting.dueAt, now);
      const enqueued = relativeTime(waiting.createdAt, now);
      lines.push(`Oldest due job: due ${due}${enqueued === due ? "" : ` (enqueued ${enqueued})`}`);
    }
    // A paused queue's jobs wait for an operator: a forgotten pause shows here.
    if (paused.length > 0) lines.push(`Paused queues: ${paused.join(", ")}`);
    if (counts.recoveredTotal > 0) {
      lines.push(`Recovered from lost workers: ${counts.recoveredTotal} attempt(s)`);
    }
    lines.push(describeWorkers(workers));
    context.stdout.line(lines.join("\n"));
    return 0;
  },
});
