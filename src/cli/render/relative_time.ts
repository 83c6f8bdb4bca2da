import { formatDuration } from "../../core/duration.ts";

/** "3s ago", "in 5m", "now": how far a time is from now, for human output. */
export function relativeTime(ms: number, now: number): string {
  const delta = ms - now;
  if (Math.abs(delta) < 1000) return "now";
  const span = formatDuration(Math.abs(delta)).replace(/(\d+)\.\d+s$/, "$1s");
  return delta < 0 ? `${span} ago` : `in ${span}`;
}
