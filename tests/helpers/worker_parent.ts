import { type TestHome, waitFor } from "./cli.ts";

/**
 * Starts a worker with `worker start`, runs one job through it, and returns the command line
 * of the process that ran the job (the job's parent, from `ps`): the worker as it was
 * launched. POSIX only.
 */
export async function workerCommandLine(home: TestHome): Promise<string> {
  const id = await home.enqueue('ps -o args= -p "$PPID"');
  await home.ok("worker", "start");
  await waitFor("the job to complete", async () => (await home.job(id)).state === "completed");
  const logs = await home.ok("logs", id);
  const line = logs.split("\n").find((text) => text.includes(" worker run "));
  if (!line) throw new Error(`No worker command line in the job's output:\n${logs}`);
  return line.trim();
}
