import { JobNotFoundError } from "../../core/errors.ts";
import { defineCommand } from "../command.ts";
import { jobSelection, nothingSelected } from "../job_selection.ts";
import { wakeWorkers } from "../../worker/wake_socket.ts";

export default defineCommand({
  name: "dlq retry",
  arguments: "<id>... | --all [--queue <names>]",
  description: [
    "The jobs go back to pending with their attempts reset; all named jobs or none. A job whose",
    "unique key an unfinished job holds is refused; --all skips it and names it on stderr.",
    "The jobs cancelled because a retried job ended dead (they ran --after it, directly or not)",
    "go back to pending with it, unless another of their dependencies is dead or cancelled.",
    "--queue narrows --all to the dead jobs of some queues; named ids are retried whatever",
    "their queue, so ids and --queue together are refused.",
  ].join("\n"),
  options: {
    all: { type: Boolean, description: "retry every dead job" },
    queue: {
      type: String,
      placeholder: "<names>",
      description: "with --all: only the dead jobs of these queues, comma-separated",
    },
    json: {
      type: Boolean,
      description: "print the retried ids as a JSON array, then the dependents revived",
    },
  },
  examples: [
    "queuectl dlq retry k3x9m2qa7z",
    "queuectl dlq retry --all",
    "queuectl dlq retry --all --queue mail,sms",
  ],
  async run(context, { options, positionals }) {
    const selection = jobSelection("dlq retry", options, positionals);
    // Without a database no job exists, dead or not: the answer creates nothing.
    const store = context.existingStore();
    if (!store && Array.isArray(selection)) {
      throw new JobNotFoundError(selection[0]!, "nothing was retried");
    }
    const { revived, skipped, dependents, skippedDependents, leftCancelled } = store
      ? await store.reviveDeadJobs(selection, context.now())
      : { revived: [], skipped: [], dependents: [], skippedDependents: [], leftCancelled: [] };
    // The dependents revived wait for a revived job: none of them is claimable before it ends.
    if (store && revived.length > 0) await wakeWorkers(store);
    if (skipped.length > 0) {
      context.stderr.line(
        `queuectl: Skipped ${skipped.length} dead job(s) whose unique key is held by another job: ${
          skipped.map((job) => `${job.id} (held by ${job.heldBy})`).join(", ")
        }`,
      );
    }
    if (skippedDependents.length > 0) {
      context.stderr.line(
        `queuectl: Skipped ${skippedDependents.length} cancelled dependent job(s) whose unique key is held by another job: ${
          skippedDependents.map((job) => `${job.id} (held by ${job.heldBy})`).join(", ")
        }`,
      );
    }
    // They waited for a retried job too, but another of their dependencies still holds them.
    if (leftCancelled.length > 0) {
      context.stderr.line(
        `queuectl: Left ${jobs(leftCancelled.length)} cancelled: ${
          leftCancelled.map((job) => `${job.id} (${job.reason})`).join(", ")
        }`,
      );
    }
    if (options.json) context.stdout.json([...revived, ...dependents]);
    else if (revived.length > 0) {
      context.stdout.line(
        `Retrying ${jobs(revived.length)}: ${revived.join(", ")}${
          dependents.length === 0
            ? ""
            : ` (and ${jobs(dependents.length)} that waited for ${
              revived.length === 1 ? "it" : "them"
            }: ${dependents.join(", ")})`
        }`,
      );
    } else if (skipped.length === 0) {
      context.stderr.line(
        nothingSelected("dlq retry", selection, "The dead-letter queue is empty"),
      );
    }
    return 0;
  },
});

function jobs(count: number): string {
  return `${count} job${count === 1 ? "" : "s"}`;
}
