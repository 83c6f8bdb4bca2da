// type-flag 4.5.2, vendored byte for byte (tests/unit/vendor_test.ts): through npm resolution
// the same file cost every process ~3 ms of startup, against ~0.3 ms as a local module.
// @ts-types="../vendor/type-flag/index.d.ts"
import { typeFlag } from "../vendor/type-flag/index.mjs";
import { quoteJsonValue, quoteValue, UsageError } from "../core/errors.ts";
import type { CommandDefinition, OptionSpecs, ParsedArgs, ParsedOptions } from "./command.ts";
import type { CommandEntry } from "./registry.ts";

/** Prefixes a positional that type-flag must not parse; NUL cannot occur in a real argument. */
const POSITIONAL_MARK = "\0";

/** Turns a camelCase option key into its `--kebab-case` spelling. */
export function optionFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Parses a command's arguments with type-flag, adding what it leaves to the caller: a value
 * that is a negative number (`--priority -5`), a negative number or duration as a positional
 * argument (`wait -1`), arguments taken as values whatever they start with (`valuesFrom`: the
 * number of arguments before them, 1 for `config set <key> -1s`), a missing value, and unknown
 * options.
 */
export function parseCommandArgs<O extends OptionSpecs>(
  commandName: string,
  options: O,
  argv: readonly string[],
  valuesFrom = Infinity,
): ParsedArgs<O> {
  const separator = argv.indexOf("--");
  const before = separator === -1 ? [...argv] : argv.slice(0, separator);
  const rest = separator === -1 ? null : argv.slice(separator + 1);
  // With nothing that looks like an option, type-flag would leave every option unset and the
  // arguments as they are; building its registry of options first cost a process ~2 ms.
  if (!before.some((arg) => arg.startsWith("-"))) {
    return { options: unsetOptions(options), positionals: before, rest };
  }
  const help = `see 'queuectl ${commandName} --help'`;
  const parsed = typeFlag(
    everyValueCollected(options) as unknown as Parameters<typeof typeFlag>[0],
    markPositionals(options, separateAttachedValues(options, before), valuesFrom),
    { ignore: (kind, name, value) => rejectSwitchValue(options, kind, name, value, help) },
  );
  const unknown = Object.keys(parsed.unknownFlags);
  if (unknown.length > 0) {
    const name = unknown[0]!;
    const spelled = name.length === 1 ? `-${name}` : `--${name}`;
    throw new UsageError(`Unknown option ${spelled} for 'queuectl ${commandName}': ${help}`);
  }
  const values = parsed.flags as Record<string, unknown>;
  for (const [key, spec] of Object.entries(options)) {
    const value = values[key];
    if (!Array.isArray(value)) continue;
    if (value.some((item) => item === "" || item === null)) {
      throw new UsageError(`Option ${optionFlag(key)} needs a value: ${help}`);
    }
    if (spec.type !== String) continue;
    // type-flag keeps the last of several values: `list --state pending --state dead` would
    // list dead jobs only, and a script would never know that pending ones were left out.
    if (value.length > 1) {
      throw new UsageError(
        `Option ${optionFlag(key)} was given ${value.length} times (${
          value.map((item) => quoteJsonValue(String(item))).join(", ")
        }): give it once (${help})`,
      );
    }
    values[key] = value[0];
  }
  // Two renderings of one result: either one alone is a complete answer, both are not.
  if (values.quiet === true && values.json === true) {
    throw new UsageError("--quiet and --json cannot be used together: pick one");
  }
  const positionals = parsed._.map((arg) =>
    arg.startsWith(POSITIONAL_MARK) ? arg.slice(POSITIONAL_MARK.length) : arg
  );
  return { options: values as ParsedOptions<O>, positionals, rest };
}

/**
 * Refuses a value given to a switch, other than true or false: type-flag reads any other as true,
 * so `cancel --all=0` would cancel every job, and `--json=no` print JSON.
 */
function rejectSwitchValue(
  options: OptionSpecs,
  kind: string,
  name: string,
  value: string | undefined,
  help: string,
): void {
  if (kind !== "known-flag" || value === undefined || value === "true" || value === "false") return;
  // type-flag knows an option by its key, its kebab-case spelling and its alias.
  const key = Object.keys(options).find((key) =>
    key === name || optionFlag(key) === `--${name}` || options[key]!.alias === name
  );
  if (key === undefined || options[key]!.type !== Boolean) return;
  const flag = optionFlag(key);
  throw new UsageError(
    `Option ${flag} takes no value, got ${
      quoteJsonValue(value)
    }: give it alone, or as ${flag}=true or ${flag}=false (${help})`,
  );
}

/**
 * Refuses what a command does not take, so that nothing is silently ignored (`cancel a -- b`
 * would cancel a only): any argument when it takes none, and `--` unless it takes a command line.
 * A lone number where the command has an option for it is refused naming that option.
 */
export function rejectUnexpectedOperands(
  { name, operands }: CommandEntry,
  { numberOption }: CommandDefinition,
  args: ParsedArgs<OptionSpecs>,
): void {
  const help = `see 'queuectl ${name} --help'`;
  const [first] = args.positionals;
  if (operands === "none" && first !== undefined) {
    const meantOption = numberOption !== undefined && args.positionals.length === 1 &&
      /^\d+$/.test(first) && args.options[numberOption] === undefined;
    throw new UsageError(
      meantOption
        ? `Unexpected argument ${quoteValue(first)}: use ${
          optionFlag(numberOption)
        } ${first} (${help})`
        : `Unexpected argument ${quoteValue(first)}: ${help}`,
    );
  }
  if (operands !== "command line" && args.rest !== null) {
    throw new UsageError(
      `Unexpected argument "--": 'queuectl ${name}' takes no command line (${help})`,
    );
  }
}

/**
 * The options as type-flag is to parse them: a single-value option collects every value it is
 * given, so that a repeated one can be refused rather than its earlier values dropped.
 */
function everyValueCollected(options: OptionSpecs): OptionSpecs {
  return Object.fromEntries(
    Object.entries(options).map((
      [key, spec],
    ) => [key, spec.type === String ? { ...spec, type: [String] } : spec]),
  );
}

/** What type-flag gives when no option is set: undefined, or [] for a repeatable option. */
function unsetOptions<O extends OptionSpecs>(options: O): ParsedOptions<O> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(options)) {
    values[key] = Array.isArray(spec.type) ? [] : undefined;
  }
  return values as ParsedOptions<O>;
}

/** What type-flag reads after a flag's name as its value: `-n=5`, `-n:5`, `-n.5`. */
const TYPE_FLAG_SEPARATORS = "=:.";

/**
 * A value attached to a short option that takes one is given to it, as getopt does (`-n5` is
 * `-n 5`, as for `tail -n5`): type-flag reads `-n5` as the bundle of `-n` and `-5`. Switches
 * before it keep their bundle: `-fn5` is `-f -n5`.
 */
function separateAttachedValues(options: OptionSpecs, tokens: string[]): string[] {
  const valueAliases = new Set<string>();
  for (const spec of Object.values(options)) {
    if (spec.type !== Boolean && spec.alias) valueAliases.add(spec.alias);
  }
  if (valueAliases.size === 0) return tokens;
  return tokens.flatMap((token) => {
    if (token.length < 3 || token[0] !== "-" || token[1] === "-") return [token];
    const index = [...token.slice(1, -1)].findIndex((letter) => valueAliases.has(letter)) + 1;
    if (index === 0 || TYPE_FLAG_SEPARATORS.includes(token[index + 1]!)) return [token];
    const attached = `-${token[index]}=${token.slice(index + 1)}`;
    return index === 1 ? [attached] : [token.slice(0, index), attached];
  });
}

/**
 * type-flag reads "-5" as the short option -5: a negative number after an option that takes a
 * value is joined to it (`--priority=-5`); one anywhere else, and every argument from the
 * `valuesFrom`th positional argument on, is marked as a positional.
 */
function markPositionals(options: OptionSpecs, tokens: string[], valuesFrom: number): string[] {
  if (!tokens.some(startsLikeNegativeNumber) && valuesFrom === Infinity) return tokens;
  const valueFlags = new Set<string>();
  for (const [key, spec] of Object.entries(options)) {
    if (spec.type === Boolean) continue;
    valueFlags.add(optionFlag(key));
    if (spec.alias) valueFlags.add(`-${spec.alias}`);
  }
  const marked: string[] = [];
  let positionals = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const next = tokens[index + 1];
    if (positionals >= valuesFrom || startsLikeNegativeNumber(token)) {
      marked.push(`${POSITIONAL_MARK}${token}`);
      positionals++;
    } else if (valueFlags.has(token) && next !== undefined) {
      // The option's value: not a positional, whatever it looks like.
      if (startsLikeNegativeNumber(next)) marked.push(`${token}=${next}`);
      else marked.push(token, next);
      index++;
    } else {
      marked.push(token);
      if (!token.startsWith("-")) positionals++;
    }
  }
  return marked;
}

/** A dash and a digit: no option is spelled so. */
function startsLikeNegativeNumber(token: string): boolean {
  return token.length > 1 && token[0] === "-" && token[1]! >= "0" && token[1]! <= "9";
}
