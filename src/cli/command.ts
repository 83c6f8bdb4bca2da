import type { CliContext } from "./context.ts";

/** One option of a command, as type-flag parses it and help describes it. */
export interface OptionSpec {
  readonly type: StringConstructor | BooleanConstructor | readonly [StringConstructor];
  readonly alias?: string;
  readonly description: string;
  /** The value's name in help, such as `<duration>`; boolean options have none. */
  readonly placeholder?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type OptionValue<S extends OptionSpec> = S["type"] extends BooleanConstructor ? boolean | undefined
  : S["type"] extends readonly [StringConstructor] ? string[]
  : string | undefined;

export type ParsedOptions<O extends OptionSpecs> = { -readonly [K in keyof O]: OptionValue<O[K]> };

export interface ParsedArgs<O extends OptionSpecs> {
  readonly options: ParsedOptions<O>;
  /** Arguments before any `--`. */
  readonly positionals: readonly string[];
  /** Arguments after `--`, or null if there was no `--`. */
  readonly rest: readonly string[] | null;
}

/**
 * A command: its help text, its options, and what it does (returns the exit status). Its
 * one-line summary lives in the registry, so that root help loads no command module.
 */
export interface CommandDefinition<O extends OptionSpecs = OptionSpecs> {
  /** Words after `queuectl`, such as "worker start". */
  readonly name: string;
  /** What follows the command name in the usage line, such as "<id>...". */
  readonly arguments: string;
  readonly description?: string;
  readonly options: O;
  /**
   * The option a lone whole number most likely meant, for a command that takes no arguments
   * (`worker start 4`: --count 4): its refusal then names the option instead of only --help.
   */
  readonly numberOption?: keyof O & string;
  /**
   * Arguments after this many are values even when they start with `-` (`config set kill_grace
   * -1s` is then refused for its value, not as an unknown option -1).
   */
  readonly valuesFrom?: number;
  readonly examples: readonly string[];
  run(context: CliContext, args: ParsedArgs<O>): Promise<number>;
}

export function defineCommand<O extends OptionSpecs>(
  definition: CommandDefinition<O>,
): CommandDefinition<O> {
  return definition;
}
