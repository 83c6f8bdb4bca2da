import type { Lease } from "../store/store.ts";
import { LIBC, loadLibc } from "./libc.ts";

// Leases by two clocks. The wall clock is the one every host can compare, but it jumps: a
// suspended laptop wakes up with its wall clock an hour on, and NTP may step it. Every lease then
// looks expired, and whichever worker looked first recovered (killed, and counted as failed) the
// jobs of every other live worker on the host. CLOCK_MONOTONIC is one clock for the whole host
// that stands still during a suspend and that nobody sets, so a worker's own host can tell a
// lease that truly ran out from a jump of the wall clock (recovery.ts).

const timespec = new BigInt64Array(new ArrayBuffer(16));

/** This host's CLOCK_MONOTONIC in ms, or null where it cannot be read (see libc.ts). */
export function monotonicNowMs(): number | null {
  const libc = loadLibc();
  if (libc === null) return null;
  if (libc.clock_gettime(LIBC.CLOCK_MONOTONIC, new Uint8Array(timespec.buffer)) !== 0) return null;
  return Number(timespec[0]!) * 1000 + Math.floor(Number(timespec[1]!) / 1e6);
}

/** A lease of `leaseMs` from `now` by the wall clock and `monotonicNow` by the host's. */
export function leaseFrom(now: number, monotonicNow: number | null, leaseMs: number): Lease {
  return {
    expiresAt: now + leaseMs,
    expiresAtMonotonic: monotonicNow === null ? null : monotonicNow + leaseMs,
  };
}

/**
 * Whether a lease expired by the wall clock is still running by the host's monotonic clock: its
 * worker, on this host, renewed it less than a lease ago, and only the wall clock jumped.
 */
export function leaseRunsOnThisHost(
  expiresAtMonotonic: number | null,
  monotonicNow: number | null,
): boolean {
  return expiresAtMonotonic !== null && monotonicNow !== null && monotonicNow < expiresAtMonotonic;
}
