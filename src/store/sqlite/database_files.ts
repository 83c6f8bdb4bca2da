/**
 * What keeps this process from using a database's files, found by looking at them. SQLite says
 * only "unable to open database file" or "attempt to write a readonly database", whichever of
 * the database, its write-ahead log (-wal), its shared memory (-shm) or their directory is the
 * cause: a -wal left by a run as root, say, while the database itself is writable.
 */
export interface DatabaseFileProblem {
  /** What the user sees, e.g. "/home/me/.queuectl/queue.db-wal is not writable by this user". */
  readonly reason: string;
  readonly fix: string;
  /** Whether even reading needs it (the directory, where SQLite creates the -wal and -shm). */
  readonly blocksReading: boolean;
}

const OTHER_HOME = "or set QUEUECTL_HOME to another directory";

/** A directory where the database file should be. */
export const DIRECTORY_IN_PLACE: DatabaseFileProblem = {
  reason: "it is a directory, not a database file",
  fix: `move it aside, ${OTHER_HOME}`,
  blocksReading: true,
};

/** The first problem found with the files of the database at `path`, or null if none is seen. */
export function databaseFileProblem(path: string): DatabaseFileProblem | null {
  const database = statOrNull(path);
  if (database?.isDirectory) return DIRECTORY_IN_PLACE;
  const user = currentUser();
  if (user === null) return null;
  const companions = [`${path}-wal`, `${path}-shm`];
  for (const [file, info] of [[path, database] as const, ...companions.map(withStat)]) {
    if (info && !mayWrite(info, user, 0o2)) {
      return {
        reason: `${file === path ? "it" : file} is not writable by this user${
          ownedByAnother(info, user)
        }`,
        fix: `give this user write access to it (chown or chmod), ${OTHER_HOME}`,
        blocksReading: false,
      };
    }
  }
  const directory = path.slice(0, path.lastIndexOf("/")) || "/";
  const info = statOrNull(directory);
  if (info === null) {
    return {
      reason: `its directory ${directory} does not exist`,
      fix: `create it, ${OTHER_HOME}`,
      blocksReading: true,
    };
  }
  if (companions.some((file) => statOrNull(file) === null) && !mayWrite(info, user, 0o3)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return {
      reason: `its directory ${directory} is not writable by this user${
        ownedByAnother(info, user)
      }, and every command needs to create ${name}-wal and ${name}-shm there`,
      fix: `make the directory writable by this user, ${OTHER_HOME}`,
      blocksReading: true,
    };
  }
  return null;
}

interface User {
  readonly uid: number;
  readonly groups: readonly number[];
}

/** Null where there are no Unix owners and modes (Windows). */
function currentUser(): User | null {
  const uid = Deno.uid();
  const gid = Deno.gid();
  if (uid === null || gid === null) return null;
  return { uid, groups: [gid, ...supplementaryGroups()] };
}

/** From /proc on Linux; elsewhere only the primary group counts (a rarer wrong guess). */
function supplementaryGroups(): number[] {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    return (/^Groups:(.*)$/m.exec(status)?.[1] ?? "").trim().split(/\s+/).filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Whether the mode lets the user do `wanted` (2 write, 3 write and search): as the kernel does. */
function mayWrite(info: Deno.FileInfo, user: User, wanted: number): boolean {
  if (user.uid === 0 || info.mode === null) return true;
  const shift = info.uid === user.uid ? 6 : user.groups.includes(info.gid ?? -1) ? 3 : 0;
  return ((info.mode >> shift) & wanted) === wanted;
}

function ownedByAnother(info: Deno.FileInfo, user: User): string {
  return info.uid === null || info.uid === user.uid ? "" : ` (it belongs to ${userName(info.uid)})`;
}

/** The account's name from /etc/passwd, or "uid N". */
function userName(uid: number): string {
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const [name, , id] = line.split(":");
      if (id === String(uid) && name) return name;
    }
  } catch {
    // No such file: the number it is.
  }
  return `uid ${uid}`;
}

function withStat(path: string): readonly [string, Deno.FileInfo | null] {
  return [path, statOrNull(path)];
}

function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch {
    return null;
  }
}

/**
 * The database's file that has grown to this process's file size limit (`ulimit -f`), which a
 * write past it fails at (EFBIG) and SQLite reports only as an I/O error; null if none has.
 */
export function fileAtSizeLimit(path: string): { file: string; limitBytes: number } | null {
  let limits: string;
  try {
    limits = Deno.readTextFileSync("/proc/self/limits");
  } catch {
    return null;
  }
  const soft = /^Max file size\s+(\d+)/m.exec(limits)?.[1];
  if (soft === undefined) return null;
  const limitBytes = Number(soft);
  for (const file of [path, `${path}-wal`, `${path}-journal`]) {
    const size = statOrNull(file)?.size;
    if (size !== undefined && size >= limitBytes) return { file, limitBytes };
  }
  return null;
}
