/**
 * The `--json` output contract of queuectl, written out key by key (not derived from the
 * code, so that a change to the code's shapes fails a test). docs/json.md documents exactly
 * these shapes; tests/unit/json_docs_test.ts holds the two together.
 */
import { arrayOf, nullable, type ObjectShape, recordOf, type Shape } from "./json_shape.ts";

const STATE: Shape = {
  name: "state",
  oneOf: ["pending", "processing", "completed", "failed", "dead", "cancelled"],
};

export const JOB: ObjectShape = {
  name: "Job",
  fields: {
    id: "string",
    command: "string",
    state: STATE,
    attempts: "integer",
    max_retries: "integer",
    priority: "integer",
    run_at: "timestamp",
    timeout: nullable("number"),
    created_at: "timestamp",
    updated_at: "timestamp",
    started_at: nullable("timestamp"),
    finished_at: nullable("timestamp"),
    exit_code: nullable("integer"),
    last_error: nullable("string"),
    worker: nullable("string"),
    queue: "string",
    cwd: "string",
    after: arrayOf("string"),
    unique_key: nullable("string"),
    env: recordOf("string"),
    retry_on: nullable(arrayOf("integer")),
    no_retry_on: nullable(arrayOf("integer")),
  },
};

export const WORKER: ObjectShape = {
  name: "Worker",
  fields: {
    id: "integer",
    pid: "integer",
    host: "string",
    started_at: "timestamp",
    last_heartbeat_at: "timestamp",
    queues: nullable(arrayOf("string")),
    concurrency: "integer",
    current_jobs: arrayOf("string"),
    stopping: "boolean",
    stale: "boolean",
    burst: "boolean",
  },
};

export const STATE_COUNTS: ObjectShape = {
  name: "StateCounts",
  fields: {
    pending: "integer",
    processing: "integer",
    completed: "integer",
    failed: "integer",
    dead: "integer",
    cancelled: "integer",
  },
};

export const STATUS: ObjectShape = {
  name: "Status",
  fields: {
    jobs: STATE_COUNTS,
    total: "integer",
    workers: arrayOf(WORKER),
    oldest_pending_age_seconds: nullable("number"),
    oldest_pending_due_at: nullable("timestamp"),
    oldest_pending_created_at: nullable("timestamp"),
    recovered_jobs: "integer",
    paused_queues: arrayOf("string"),
    database: "string",
  },
};

export const QUEUE: ObjectShape = {
  name: "Queue",
  fields: {
    name: "string",
    paused: "boolean",
    concurrency: nullable("integer"),
    jobs: STATE_COUNTS,
    held_slots: "integer",
  },
};

export const CONFIG: ObjectShape = {
  name: "Config",
  fields: {
    max_retries: "integer",
    backoff_base: "number",
    backoff_unit: "string",
    backoff_max: "string",
    job_timeout: "string",
    poll_interval_ms: "integer",
    lease_seconds: "integer",
    kill_grace: "string",
    retry_on: nullable(arrayOf("integer")),
    no_retry_on: nullable(arrayOf("integer")),
    retention: "string",
  },
};

export const VERSION: ObjectShape = {
  name: "Version",
  fields: {
    version: "string",
    form: { name: "form", oneOf: ["source", "bundle", "binary"] },
    deno: "string",
    sqlite: "string",
    target: "string",
  },
};

export const ENQUEUE_BATCH: ObjectShape = {
  name: "EnqueueBatch",
  fields: { enqueued: "integer", duplicates: "integer", ids: arrayOf("string") },
};

export const WORKER_STOP: ObjectShape = {
  name: "WorkerStop",
  fields: { stopped: arrayOf("integer"), remaining: arrayOf("integer") },
};

export const PRUNE: ObjectShape = {
  name: "Prune",
  fields: { deleted: "integer" },
};

/** Every named object shape, as docs/json.md has a section for each. */
export const LOGGED_ATTEMPT: ObjectShape = {
  name: "LoggedAttempt",
  fields: {
    attempt: nullable("integer"),
    started_at: nullable("timestamp"),
    worker: nullable("string"),
    output: "string",
  },
};

export const LOGS: ObjectShape = {
  name: "Logs",
  fields: { id: "string", state: STATE, attempts: arrayOf(LOGGED_ATTEMPT) },
};

export const OBJECT_SHAPES: readonly ObjectShape[] = [
  JOB,
  WORKER,
  STATE_COUNTS,
  STATUS,
  QUEUE,
  CONFIG,
  VERSION,
  ENQUEUE_BATCH,
  WORKER_STOP,
  PRUNE,
  LOGS,
  LOGGED_ATTEMPT,
];

/** What each command prints with --json, keyed as the commands table of docs/json.md. */
export const OUTPUTS: Readonly<Record<string, Shape>> = {
  "queuectl enqueue --json": JOB,
  "queuectl enqueue --file <path> --json": ENQUEUE_BATCH,
  "queuectl status --json": STATUS,
  "queuectl list --json": arrayOf(JOB),
  "queuectl show <id> --json": JOB,
  "queuectl logs <id> --json": LOGS,
  "queuectl wait <id>... --json": arrayOf(JOB),
  "queuectl cancel <id>... --json": arrayOf("string"),
  "queuectl retry --json": arrayOf("string"),
  "queuectl prune --json": PRUNE,
  "queuectl worker start --json": arrayOf("integer"),
  "queuectl worker stop --json": WORKER_STOP,
  "queuectl worker list --json": arrayOf(WORKER),
  "queuectl dlq list --json": arrayOf(JOB),
  "queuectl dlq retry --json": arrayOf("string"),
  "queuectl queue list --json": arrayOf(QUEUE),
  "queuectl config list --json": CONFIG,
  "queuectl version --json": VERSION,
};
