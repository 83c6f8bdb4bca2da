import { quoteValue, UsageError } from "./errors.ts";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_ID_LENGTH = 128;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Validates a user-chosen id; ids name log files, so they are restricted to safe characters. */
export function validateJobId(value: string, label = "id"): string {
  if (value.length === 0) throw new UsageError(`Invalid ${label}: it is empty`);
  if (value.length > MAX_ID_LENGTH) {
    throw new UsageError(
      `Invalid ${label} ${quoteValue(value)}: at most ${MAX_ID_LENGTH} characters`,
    );
  }
  if (!ID_PATTERN.test(value)) {
    throw new UsageError(
      `Invalid ${label} ${
        quoteValue(value)
      }: use letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`,
    );
  }
  return value;
}

const ID_LENGTH = 10;
/** Random bytes drawn in blocks: one getRandomValues call per id cost ~2 µs, most of an id. */
const POOL_BYTES = ID_LENGTH * 256;
let pool = new Uint8Array(0);
let poolOffset = 0;

/** A random 10-character id (50 bits); collisions are caught by the store's unique index. */
export function generateJobId(): string {
  if (poolOffset + ID_LENGTH > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  let id = "";
  for (let index = 0; index < ID_LENGTH; index++) id += ALPHABET[pool[poolOffset++]! & 31];
  return id;
}
