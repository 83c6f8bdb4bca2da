import { JobNotFoundError, OperationalError, UsageError } from "../../core/errors.ts";
import { jobLogPath } from "../../core/paths.ts";
import { defineCommand } from "../command.ts";
import { followLog } from "../follow_log.ts";

export default defineCommand({
  name: "logs",
  arguments: "<id>",
  description: "Each attempt starts with a header line; the newest attempt comes last.",
  options: {
    follow: {
      type: Boolean,
      alias: "f",
      description: "keep streaming new output until the job has ended",
    },
  },
  examples: ["queuectl logs k3x9m2qa7z", "queuectl logs --follow build-1"],
  async run(context, { options, positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError("Give exactly one job id: queuectl logs <id>");
    }
    const id = positionals[0]!;
    const store = context.store();
    const job = await store.getJob(id);
    if (!job) throw new JobNotFoundError(id);
    if (options.follow) {
      await followLog(store, context.layout(), id, {
        output: (text) => context.stdout.write(text),
        header: (line) => context.stdout.line(line),
      });
      return 0;
    }
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
