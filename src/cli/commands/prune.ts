import { parseDuration } from "../../core/duration.ts";
import { UsageError } from "../../core/errors.ts";
import { isTerminal, TERMINAL_STATES } from "../../core/job_state.ts";
import { pruneTerminalJobs } from "../../worker/prune.ts";
import { defineCommand } from "../command.ts";
import { parseStates } from "./list.ts";

export default defineCommand({
  name: "prune",
  arguments: "--older-than <duration>",
  description: [
    "Deletes jobs that ended (completed, dead, cancelled) longer ago than the duration, with",
    "their logs. Config 'retention' makes workers do this by themselves.",
  ].join("\n"),
  options: {
    olderThan: {
      type: String,
      placeholder: "<duration>",
      description: "delete jobs that ended before this long ago (required)",
    },
    state: {
      type: String,
      placeholder: "<states>",
      description: `only these states (default: ${TERMINAL_STATES.join(",")})`,
    },
    json: { type: Boolean, description: 'print {"deleted": n}' },
  },
  examples: ["queuectl prune --older-than 7d", "queuectl prune --older-than 1h --state completed"],
  async run(context, { options }) {
    if (options.olderThan === undefined) {
      throw new UsageError("Give --older-than <duration>, such as --older-than 7d");
    }
    const age = parseDuration(options.olderThan, "--older-than");
    const states = options.state === undefined
      ? TERMINAL_STATES
      : parseStates(options.state, TERMINAL_STATES);
    const unfinished = states.find((state) => !isTerminal(state));
    if (unfinished) {
      throw new UsageError(
        `Cannot prune ${unfinished} jobs: only ${TERMINAL_STATES.join(", ")} jobs can be pruned`,
      );
    }
    const now = context.now();
    const deleted = await pruneTerminalJobs(
      // Without a database no job exists: nothing to prune, and nothing created.
      context.storeOrEmpty(),
      context.layout(),
      { states, finishedBefore: now - age, now },
    );
    if (options.json) context.stdout.json({ deleted });
    else context.stdout.line(`Deleted ${deleted} job${deleted === 1 ? "" : "s"}`);
    return 0;
  },
});
