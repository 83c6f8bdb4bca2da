import { UsageError } from "./errors.ts";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_ID_LENGTH = 128;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Validates a user-chosen id; ids name log files, so they are restricted to safe characters. */
export function validateJobId(value: string, label = "id"): string {
  if (value.length === 0) throw new UsageError(`Invalid ${label}: it is empty`);
  if (value.length > MAX_ID_LENGTH) {
    throw new UsageError(
      `Invalid ${label} "${
        value.slice(0, 20)
      }...": at most ${MAX_ID_LENGTH} characters, got ${value.length}`,
    );
  }
  if (!ID_PATTERN.test(value)) {
    throw new UsageError(
      `Invalid ${label} "${value}": use letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`,
    );
  }
  return value;
}

/** A random 10-character id (50 bits); collisions are caught by the store's unique index. */
export function generateJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}
