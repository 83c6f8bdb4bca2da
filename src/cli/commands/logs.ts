import { JobNotFoundError, OperationalError, UsageError } from "../../core/errors.ts";
import { jobLogPath } from "../../core/paths.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "logs",
  arguments: "<id>",
  description: "Each attempt starts with a header line; the newest attempt comes last.",
  options: {},
  examples: ["queuectl logs k3x9m2qa7z"],
  async run(context, { positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give exactly one job id: queuectl logs <id>");
    }
    const id = positionals[0]!;
    const job = await context.store().getJob(id);
    if (!job) throw new JobNotFoundError(id);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(jobLogPath(context.layout(), id));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        context.stderr.line(`Job ${id} has no output yet (it is ${job.state})`);
        return 0;
      }
      throw new OperationalError(`Cannot read the log of job ${id}: ${(error as Error).message}`);
    }
    const decoder = new TextDecoder();
    for await (const chunk of file.readable) {
      context.stdout.write(decoder.decode(chunk, { stream: true }));
    }
    context.stdout.write(decoder.decode());
    return 0;
  },
});
