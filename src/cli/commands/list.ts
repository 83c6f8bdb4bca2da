import { commaListItems } from "../../core/comma_list.ts";
import { quoteValue, UsageError } from "../../core/errors.ts";
import { jobToJson } from "../../core/job.ts";
import { isJobState, JOB_STATES, type JobState } from "../../core/job_state.ts";
import { parseQueueNames } from "../queue_argument.ts";
import { defineCommand } from "../command.ts";
import { parseLimit } from "../parse_limit.ts";
import { renderJobTable } from "../render/jobs.ts";

export default defineCommand({
  name: "list",
  arguments: "",
  options: {
    state: {
      type: String,
      placeholder: "<states>",
      description: `only jobs in these states, comma-separated (${JOB_STATES.join(", ")})`,
    },
    queue: {
      type: String,
      placeholder: "<names>",
      description: "only jobs of these queues, comma-separated",
    },
    limit: {
      type: String,
      placeholder: "<n>",
      description: "show the newest n matching jobs (default 50)",
    },
    json: { type: Boolean, description: "print a JSON array of jobs" },
  },
  examples: ["queuectl list", "queuectl list --state failed,dead --json"],
  async run(context, { options }) {
    const states = options.state === undefined ? undefined : parseStates(options.state);
    const limit = parseLimit(options.limit, 50);
    const queues = options.queue === undefined
      ? undefined
      : parseQueueNames(options.queue, "--queue");
    const jobs = await context.storeOrEmpty().listJobs({
      limit,
      ...(states ? { states } : {}),
      ...(queues ? { queues } : {}),
    });
    if (options.json) {
      context.stdout.json(jobs.map(jobToJson));
    } else if (jobs.length === 0) {
      context.stderr.line("queuectl: No jobs match");
    } else {
      context.stdout.write(
        renderJobTable(jobs, context.now(), { color: context.color, width: context.terminalWidth }),
      );
    }
    return 0;
  },
});

/**
 * Parses `--state a,b`. `offered`: the states the command takes, which its refusals list
 * (prune takes only the terminal ones, and refuses the others itself).
 */
export function parseStates(
  text: string,
  offered: readonly JobState[] = JOB_STATES,
): JobState[] {
  const given = commaListItems(text, "--state");
  if (given.length === 0) {
    throw new UsageError(
      `--state is empty: give states, comma-separated (${offered.join(",")})`,
    );
  }
  return given.map((item) => {
    const state = item.toLowerCase();
    // Named as given: lowercased, a Turkish "İ" would show as "i" and a combining dot.
    if (!isJobState(state)) {
      throw new UsageError(`Unknown state ${quoteValue(item)}: use ${offered.join(", ")}`);
    }
    return state;
  });
}
