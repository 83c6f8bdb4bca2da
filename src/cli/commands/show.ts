import { UsageError } from "../../core/errors.ts";
import { JobNotFoundError } from "../../core/errors.ts";
import { configFromStored } from "../../core/config.ts";
import { jobToJson } from "../../core/job.ts";
import { defineCommand } from "../command.ts";
import { checkJobIdArguments } from "../job_id_arguments.ts";
import { renderJobDetails } from "../render/jobs.ts";

export default defineCommand({
  name: "show",
  arguments: "<id>",
  options: {
    json: { type: Boolean, description: "print the job as JSON" },
  },
  examples: ["queuectl show k3x9m2qa7z", "queuectl show build-42 --json | jq -r .state"],
  async run(context, { options, positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give exactly one job id: queuectl show <id>");
    }
    checkJobIdArguments(positionals);
    const id = positionals[0]!;
    // Without a database no job exists: looking creates nothing.
    const store = context.storeOrEmpty();
    const job = await store.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    if (options.json) context.stdout.json(jobToJson(job));
    else {
      const { jobTimeoutMs } = configFromStored(await store.readConfigValues());
      context.stdout.write(renderJobDetails(job, context.now(), context.color, jobTimeoutMs));
    }
    return 0;
  },
});
