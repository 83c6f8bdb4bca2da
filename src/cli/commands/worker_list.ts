import { listLiveWorkers } from "../../worker/live_workers.ts";
import { defineCommand } from "../command.ts";
import { renderWorkerTable, workerToJson } from "../render/workers.ts";

export default defineCommand({
  name: "worker list",
  arguments: "",
  options: {
    json: { type: Boolean, description: "print a JSON array of workers" },
  },
  examples: ["queuectl worker list"],
  async run(context, { options }) {
    const now = context.now();
    const workers = await listLiveWorkers(context.storeOrEmpty(), now, context.layout().workers);
    if (options.json) context.stdout.json(workers.map(workerToJson));
    else if (workers.length === 0) context.stderr.line("queuectl: No workers are running");
    else context.stdout.write(renderWorkerTable(workers, now, context.terminalWidth));
    return 0;
  },
});
