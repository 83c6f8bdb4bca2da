import { jobToJson } from "../../core/job.ts";
import { parseQueueNames } from "../queue_argument.ts";
import { defineCommand } from "../command.ts";
import { parseLimit } from "../parse_limit.ts";
import { renderJobTable } from "../render/jobs.ts";

export default defineCommand({
  name: "dlq list",
  arguments: "",
  description: "Dead jobs failed their last allowed attempt; 'queuectl dlq retry' revives them.",
  options: {
    queue: {
      type: String,
      placeholder: "<names>",
      description: "only dead jobs of these queues, comma-separated",
    },
    limit: {
      type: String,
      placeholder: "<n>",
      description: "show the newest n dead jobs (default 50)",
    },
    json: { type: Boolean, description: "print a JSON array of jobs" },
  },
  examples: [
    "queuectl dlq list",
    "queuectl dlq list --queue mail --json | jq -r '.[].id'",
  ],
  async run(context, { options }) {
    const limit = parseLimit(options.limit, 50);
    const queues = options.queue === undefined
      ? undefined
      : parseQueueNames(options.queue, "--queue");
    const jobs = await context.storeOrEmpty().listJobs({
      states: ["dead"],
      limit,
      ...(queues ? { queues } : {}),
    });
    if (options.json) context.stdout.json(jobs.map(jobToJson));
    else if (jobs.length === 0) {
      // Other queues may have dead jobs: say only what holds for the ones asked about.
      context.stderr.line(
        queues
          ? `queuectl: No dead jobs in queue${queues.length === 1 ? "" : "s"} ${queues.join(", ")}`
          : "queuectl: The dead-letter queue is empty",
      );
    } else {
      context.stdout.write(
        renderJobTable(jobs, context.now(), { color: context.color, width: context.terminalWidth }),
      );
    }
    return 0;
  },
});
