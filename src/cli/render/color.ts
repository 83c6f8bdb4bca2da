import type { JobState } from "../../core/job_state.ts";

const STATE_COLORS: Record<JobState, number> = {
  pending: 36,
  processing: 33,
  completed: 32,
  failed: 35,
  dead: 31,
  cancelled: 90,
};

/** Colours a state name, or returns it plain when colour is off (not a TTY, or NO_COLOR). */
export function paintState(state: JobState, text: string, color: boolean): string {
  return color ? `\x1b[${STATE_COLORS[state]}m${text}\x1b[39m` : text;
}
