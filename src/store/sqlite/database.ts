import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { OperationalError } from "../../core/errors.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../migrations/mod.ts";
import { describeDatabaseFailure, foreignDatabaseError } from "./database_failure.ts";

const BUSY_TIMEOUT_MS = 5_000;
/**
 * Up to this size a process about to exit leaves the write-ahead log as it is (closeBeforeExit):
 * 64 pages, about 15 single-job enqueues. The next process to open the database alone reads
 * them back, measured at ~1.5 ms per MiB of log here.
 */
const WAL_LEFT_AT_EXIT_MAX_BYTES = 256 * 1024;
const BEGIN_RETRIES = 6;

export type Params = Record<string, SQLInputValue>;

/** A SQLite connection with cached statements and IMMEDIATE write transactions. */
export class Database {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #statements = new Map<string, StatementSync>();
  #synchronous: number | undefined;
  /** Whether this connection began a write transaction: only a writer can grow the log. */
  #wrote = false;

  private constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
  }

  /** Opens (creating if needed) and migrates the database; refuses a newer schema. */
  static open(path: string): Database {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      // A directory in the database's place, a directory that cannot be written: named as such.
      const described = describeDatabaseFailure(error, path);
      throw described instanceof OperationalError
        ? described
        : new OperationalError(`Cannot open database ${path}: ${(error as Error).message}`);
    }
    const database = new Database(db, path);
    try {
      database.#migrate(path);
    } catch (error) {
      db.close();
      throw describeDatabaseFailure(error, path);
    }
    return database;
  }

  close(): void {
    this.#db.close();
  }

  /**
   * Ends a process's use of the database when it is about to exit. Closing the last connection
   * checkpoints the write-ahead log into the database and deletes it (2 fsyncs, 2 unlinks), and
   * the next process to write creates the log again (2 more fsyncs): an `enqueue` into a queue
   * without running workers paid 5 fsyncs where its COMMIT needs 1. So a small log is left
   * as it is: every commit in it is already synced, the OS releases the locks at exit, and the
   * next connection reads the frames back (SQLite's recovery after a crash, which this is for
   * SQLite). A larger log is closed normally, so that no later process reads much back.
   */
  closeBeforeExit(): void {
    // A reader leaves the log as it found it, and skips the stat too (~1 ms for a process's
    // first: the runtime compiles its file-info code then).
    if (!this.#wrote) return;
    let walBytes: number;
    try {
      walBytes = Deno.statSync(`${this.#path}-wal`).size;
    } catch {
      walBytes = 0;
    }
    if (walBytes > WAL_LEFT_AT_EXIT_MAX_BYTES) this.#db.close();
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /** Runs `body` in one BEGIN IMMEDIATE transaction, retrying the BEGIN while the lock is busy. */
  write<T>(body: () => T): T {
    this.#beginImmediate();
    try {
      const result = body();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Like write, for a body that awaits (a streamed batch). Nothing else may use the connection. */
  async writeAsync<T>(body: () => Promise<T>): Promise<T> {
    this.#beginImmediate();
    try {
      const result = await body();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Like write, but this commit is not synced to disk (synchronous=NORMAL for the transaction):
   * it survives the crash of any process, not the machine's (power loss, kernel panic). Only for
   * records that mean nothing after a reboot. The next synced commit of any connection makes it
   * durable too, since syncing the WAL covers every frame before.
   */
  writeUnsynced<T>(body: () => T): T {
    this.#synchronous ??= this.#currentSynchronous();
    this.#db.exec("PRAGMA synchronous = NORMAL");
    try {
      return this.write(body);
    } finally {
      this.#db.exec(`PRAGMA synchronous = ${this.#synchronous}`);
    }
  }

  /**
   * Like writeUnsynced, but when another connection holds the write lock it returns null at
   * once, writing nothing, instead of waiting in SQLite's busy handler (which sleeps 1 ms and
   * more, blocking the event loop), so that the caller can try again while doing other work.
   */
  tryWriteUnsynced<T>(body: () => T): { readonly result: T } | null {
    this.#synchronous ??= this.#currentSynchronous();
    this.#db.exec("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0");
    try {
      try {
        this.#db.exec("BEGIN IMMEDIATE");
        this.#wrote = true;
      } catch (error) {
        if (isBusy(error)) return null;
        throw error;
      } finally {
        this.#db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      try {
        const result = body();
        this.#db.exec("COMMIT");
        return { result };
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      this.#db.exec(`PRAGMA synchronous = ${this.#synchronous}`);
    }
  }

  #currentSynchronous(): number {
    return (this.#db.prepare("PRAGMA synchronous").get() as { synchronous: number }).synchronous;
  }

  #beginImmediate(): void {
    for (let attempt = 1;; attempt++) {
      try {
        this.#db.exec("BEGIN IMMEDIATE");
        this.#wrote = true;
        return;
      } catch (error) {
        if (!isBusy(error)) {
          // Read-only file system, full disk, I/O error: not a lock another process holds.
          const described = describeDatabaseFailure(error, this.#path);
          throw described instanceof OperationalError ? described : new OperationalError(
            `Cannot write to the database ${this.#path}: ${(error as Error).message}`,
          );
        }
        if (attempt >= BEGIN_RETRIES) throw busyError(this.#path, attempt * BUSY_TIMEOUT_MS);
      }
    }
  }

  #migrate(path: string): void {
    const version = this.#userVersion();
    if (version === SCHEMA_VERSION) return;
    if (version > SCHEMA_VERSION) throw newerSchemaError(path, version);
    // Before anything is written, the journal mode included: the file may be another program's.
    if (!this.#mayBeQueuectlSchema(version)) throw foreignDatabaseError(path);
    this.#switchToWal();
    this.write(() => {
      const current = this.#userVersion();
      if (current > SCHEMA_VERSION) throw newerSchemaError(path, current);
      for (let next = current + 1; next <= SCHEMA_VERSION; next++) {
        this.#db.exec(MIGRATIONS[next - 1]!);
      }
      this.#db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    });
  }

  /**
   * WAL mode, which processes opening a new file at once all ask for. SQLite can refuse that
   * switch with SQLITE_BUSY without calling the busy handler (two connections each wanting the
   * exclusive lock: one must give way), so it is retried here for up to the busy timeout.
   */
  #switchToWal(): void {
    const deadline = performance.now() + BUSY_TIMEOUT_MS;
    for (let pauseMs = 1;; pauseMs = Math.min(pauseMs * 2, 50)) {
      try {
        this.#db.exec("PRAGMA journal_mode = WAL");
        return;
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (performance.now() > deadline) throw busyError(this.#path, BUSY_TIMEOUT_MS);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
      }
    }
  }

  /**
   * Whether a schema at `version` (older than this build's) may be queuectl's: a new file has
   * nothing in it, and every queuectl schema has its jobs table. Another program's database has
   * tables at version 0 (SQLite's default), or no jobs table at the version it set.
   */
  #mayBeQueuectlSchema(version: number): boolean {
    const row = this.#db.prepare(
      "SELECT count(*) AS objects, count(*) FILTER (WHERE type = 'table' AND name = 'jobs') AS jobs FROM sqlite_schema",
    ).get() as { objects: number; jobs: number };
    return version === 0 ? row.objects === 0 : row.jobs === 1;
  }

  #userVersion(): number {
    const row = this.#db.prepare("PRAGMA user_version").get() as { user_version: number };
    return row.user_version;
  }
}

function busyError(path: string, waitedMs: number): OperationalError {
  return new OperationalError(
    `The database ${path} is busy (locked by another process for over ${
      waitedMs / 1000
    }s): try again`,
  );
}

function newerSchemaError(path: string, version: number): OperationalError {
  return new OperationalError(
    `The database ${path} has schema version ${version}, newer than this queuectl knows (${SCHEMA_VERSION}): upgrade queuectl`,
  );
}

export function isBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errcode?: number }).errcode;
  return code === 5 || code === 517 || /database is locked|SQLITE_BUSY/i.test(error.message);
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errcode?: number }).errcode;
  return code === 2067 || code === 1555 || /UNIQUE constraint failed/.test(error.message);
}
