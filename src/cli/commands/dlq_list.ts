import { jobToJson } from "../../core/job.ts";
import { defineCommand } from "../command.ts";
import { parseLimit } from "../parse_limit.ts";
import { renderJobTable } from "../render/jobs.ts";

export default defineCommand({
  name: "dlq list",
  arguments: "",
  description: "Dead jobs failed their last allowed attempt; 'queuectl dlq retry' revives them.",
  options: {
    limit: {
      type: String,
      placeholder: "<n>",
      description: "show the newest n dead jobs (default 50)",
    },
    json: { type: Boolean, description: "print a JSON array of jobs" },
  },
  examples: ["queuectl dlq list", "queuectl dlq list --json | jq -r '.[].id'"],
  async run(context, { options }) {
    const limit = parseLimit(options.limit, 50);
    const jobs = await context.store().listJobs({ states: ["dead"], limit });
    if (options.json) context.stdout.json(jobs.map(jobToJson));
    else if (jobs.length === 0) context.stderr.line("queuectl: The dead-letter queue is empty");
    else {
      context.stdout.write(
        renderJobTable(jobs, context.now(), { color: context.color, width: context.terminalWidth }),
      );
    }
    return 0;
  },
});
