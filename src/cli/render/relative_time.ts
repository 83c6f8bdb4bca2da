import { formatDuration } from "../../core/duration.ts";

/**
 * "3s ago", "in 5m", "now": how far a time is from now, for human output. formatDuration's
 * rounding to whole seconds: 1.9s ago is "2s ago" (tenths would be noise here), 59.5s is "1m".
 */
export function relativeTime(ms: number, now: number): string {
  const delta = ms - now;
  if (Math.abs(delta) < 1000) return "now";
  const span = formatDuration(Math.round(Math.abs(delta) / 1000) * 1000);
  return delta < 0 ? `${span} ago` : `in ${span}`;
}
