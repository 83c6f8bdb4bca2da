// type-flag 4.5.2, vendored byte for byte (tests/unit/vendor_test.ts): through npm resolution
// the same file cost every process ~3 ms of startup, against ~0.3 ms as a local module.
// @ts-types="../vendor/type-flag/index.d.ts"
import { typeFlag } from "../vendor/type-flag/index.mjs";
import { UsageError } from "../core/errors.ts";
import type { OptionSpecs, ParsedArgs, ParsedOptions } from "./command.ts";

const NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?$/;
/** Prefixes a positional that type-flag must not parse; NUL cannot occur in a real argument. */
const POSITIONAL_MARK = "\0";

/** Turns a camelCase option key into its `--kebab-case` spelling. */
export function optionFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Parses a command's arguments with type-flag, adding what it leaves to the caller: a value
 * that is a negative number (`--priority -5`), a negative number as a positional argument
 * (`config set max_retries -1`), a missing value, and unknown options.
 */
export function parseCommandArgs<O extends OptionSpecs>(
  commandName: string,
  options: O,
  argv: readonly string[],
): ParsedArgs<O> {
  const separator = argv.indexOf("--");
  const before = separator === -1 ? [...argv] : argv.slice(0, separator);
  const rest = separator === -1 ? null : argv.slice(separator + 1);
  const valueFlags = new Set<string>();
  for (const [key, spec] of Object.entries(options)) {
    if (spec.type === Boolean) continue;
    valueFlags.add(optionFlag(key));
    if (spec.alias) valueFlags.add(`-${spec.alias}`);
  }
  const joined: string[] = [];
  for (let index = 0; index < before.length; index++) {
    const token = before[index]!;
    const next = before[index + 1];
    if (valueFlags.has(token) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${token}=${next}`);
      index++;
    } else if (NEGATIVE_NUMBER.test(token)) {
      // type-flag would read "-1" as the short option -1: hide it as a positional.
      joined.push(`${POSITIONAL_MARK}${token}`);
    } else {
      joined.push(token);
    }
  }
  const parsed = typeFlag(options as unknown as Parameters<typeof typeFlag>[0], joined);
  const help = `see 'queuectl ${commandName} --help'`;
  const unknown = Object.keys(parsed.unknownFlags);
  if (unknown.length > 0) {
    const name = unknown[0]!;
    const spelled = name.length === 1 ? `-${name}` : `--${name}`;
    throw new UsageError(`Unknown option ${spelled} for 'queuectl ${commandName}': ${help}`);
  }
  const values = parsed.flags as Record<string, unknown>;
  for (const [key, spec] of Object.entries(options)) {
    const value = values[key];
    const missing = spec.type === String && (value === null || value === "") ||
      Array.isArray(spec.type) && Array.isArray(value) &&
        value.some((item) => item === "" || item === null);
    if (missing) {
      throw new UsageError(`Option ${optionFlag(key)} needs a value: ${help}`);
    }
  }
  const positionals = parsed._.map((arg) =>
    arg.startsWith(POSITIONAL_MARK) ? arg.slice(POSITIONAL_MARK.length) : arg
  );
  return { options: values as ParsedOptions<O>, positionals, rest };
}
