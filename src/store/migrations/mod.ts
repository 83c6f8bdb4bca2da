import { migration001 } from "./001_initial.ts";
import { migration002 } from "./002_queues_dependencies.ts";
import { migration003 } from "./003_claim_index_by_queue.ts";
import { migration004 } from "./004_ended_counts.ts";

/**
 * Schema migrations, in order: migration N brings the schema from version N-1 to N. They are
 * TypeScript modules so that a compiled binary carries them. Never edit a released one: add one.
 */
export const MIGRATIONS: readonly string[] = [
  migration001,
  migration002,
  migration003,
  migration004,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
