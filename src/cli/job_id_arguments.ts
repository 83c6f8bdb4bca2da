import { validateJobId } from "../core/job_id.ts";

/**
 * Checks ids given to look jobs up. One that no job can have (empty, with a space, too long) is
 * a mistake in the command line, told apart from an id no job has now (`No job with id`).
 */
export function checkJobIdArguments(ids: readonly string[]): void {
  for (const id of ids) validateJobId(id, "job id");
}
