/**
 * Where a worker listens for wake-ups: `<workers>/w<pid>-<host tag>.sock`. The pid alone is not
 * unique in a shared home: workers in two containers are each their namespace's pid 1, and two
 * machines on one network filesystem can run the same pid. Each would remove the other's socket
 * to listen on its own, and the first would hear no wake-up again. The host's identity (which
 * names the PID namespace, see hostName) tells them apart; it is hashed, to keep the path short
 * enough for a Unix socket and free of the identity's `/`.
 */
export function wakeSocketPath(workersDirectory: string, pid: number, host: string): string {
  return `${workersDirectory}/w${pid}-${hostTag(host)}.sock`;
}

/** 32-bit FNV-1a of the host's UTF-8 bytes, as 8 hex digits: stable across runs and versions. */
function hostTag(host: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(host)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
