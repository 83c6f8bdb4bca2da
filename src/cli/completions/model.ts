/**
 * What shell completion knows about queuectl, built from the registry and each command's
 * options; the bash, zsh and fish generators each turn this one model into a script.
 */
import { CONFIG_KEYS } from "../../core/config.ts";
import { JOB_STATES, TERMINAL_STATES } from "../../core/job_state.ts";
import { optionFlag } from "../parse_args.ts";
import type { LoadedCommand } from "../registry.ts";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = typeof SHELLS[number];

/** How to complete a value: from fixed words (maybe a comma-separated list), files, or not at all. */
export type ValueCompletion =
  | { readonly kind: "words"; readonly words: readonly string[]; readonly commaList: boolean }
  | { readonly kind: "file" }
  | { readonly kind: "none" };

export interface CompletionOption {
  /** The long flag, such as `--max-retries`. */
  readonly flag: string;
  /** The short flag, such as `-n`, or null. */
  readonly alias: string | null;
  readonly description: string;
  /** The value's name, such as `<duration>`; null for a boolean flag. */
  readonly placeholder: string | null;
  /** null: a boolean flag that takes no value. */
  readonly value: ValueCompletion | null;
  /** The option may be given more than once (`--env`). */
  readonly repeatable: boolean;
}

export interface CompletionCommand {
  /** The words after `queuectl`, such as ["worker", "start"]. */
  readonly words: readonly string[];
  readonly summary: string;
  /** Every option, then `--debug`, `--help` last. */
  readonly options: readonly CompletionOption[];
  /** Values for the first positional argument. */
  readonly argument: ValueCompletion;
  /** Arguments after `--` are a command line (`enqueue`, `run`). */
  readonly takesCommandLine: boolean;
}

/** A word that may follow `queuectl`: a command, or a group such as `worker`. */
export interface CompletionWord {
  readonly word: string;
  readonly summary: string;
}

export interface CompletionModel {
  readonly program: string;
  /** Commands and groups, then `help` (which takes a command's words). */
  readonly topLevel: readonly CompletionWord[];
  /** Subcommands of each group, by group word. */
  readonly groups: ReadonlyMap<string, readonly CompletionWord[]>;
  readonly commands: readonly CompletionCommand[];
  /** Options accepted before any command (`--debug` is also accepted after one). */
  readonly globalOptions: readonly CompletionOption[];
}

const HELP_OPTION: CompletionOption = {
  flag: "--help",
  alias: "-h",
  description: "show help",
  placeholder: null,
  value: null,
  repeatable: false,
};

const VERSION_OPTION: CompletionOption = {
  flag: "--version",
  alias: "-V",
  description: "show the version",
  placeholder: null,
  value: null,
  repeatable: false,
};

/** `--debug` works with any command: run_cli takes it out before the command parses options. */
const DEBUG_OPTION: CompletionOption = {
  flag: "--debug",
  alias: null,
  description: "add the stack trace to an error",
  placeholder: null,
  value: null,
  repeatable: false,
};

/** The `help` command: `queuectl help worker start` shows that command's help. */
export const HELP_COMMAND: CompletionWord = {
  word: "help",
  summary: "show the help of a command",
};

const NO_VALUE: ValueCompletion = { kind: "none" };

/** Values of option keys, for every command; an entry under "<command> <key>" wins. */
const OPTION_VALUES: Readonly<Record<string, ValueCompletion>> = {
  "state": { kind: "words", words: JOB_STATES, commaList: true },
  "prune state": { kind: "words", words: TERMINAL_STATES, commaList: true },
};

const CONFIG_KEY_NAMES = CONFIG_KEYS.map((definition) => definition.key);

/** Values of the first positional argument, by command. */
const ARGUMENT_VALUES: Readonly<Record<string, ValueCompletion>> = {
  "config get": { kind: "words", words: CONFIG_KEY_NAMES, commaList: false },
  "config set": { kind: "words", words: CONFIG_KEY_NAMES, commaList: false },
  "completions": { kind: "words", words: SHELLS, commaList: false },
};

export function buildCompletionModel(
  commands: readonly LoadedCommand[],
  program = "queuectl",
): CompletionModel {
  const topLevel: CompletionWord[] = [];
  const groups = new Map<string, CompletionWord[]>();
  for (const { name, summary } of commands) {
    const [first, second] = name.split(" ") as [string, string | undefined];
    if (second === undefined) {
      topLevel.push({ word: first, summary });
      continue;
    }
    if (!groups.has(first)) {
      groups.set(first, []);
      topLevel.push({ word: first, summary: "" });
    }
    groups.get(first)!.push({ word: second, summary });
  }
  // A group's summary names its subcommands.
  for (const [index, entry] of topLevel.entries()) {
    const members = groups.get(entry.word);
    if (members) {
      topLevel[index] = {
        word: entry.word,
        summary: `commands: ${members.map((member) => member.word).join(", ")}`,
      };
    }
  }
  return {
    program,
    topLevel: [...topLevel, HELP_COMMAND],
    groups,
    commands: commands.map(completionCommand),
    globalOptions: [HELP_OPTION, VERSION_OPTION, DEBUG_OPTION],
  };
}

function completionCommand({ name, summary, definition }: LoadedCommand): CompletionCommand {
  const options = Object.entries(definition.options).map(([key, spec]): CompletionOption => ({
    flag: optionFlag(key),
    alias: spec.alias ? `-${spec.alias}` : null,
    description: spec.description,
    placeholder: spec.type === Boolean ? null : spec.placeholder ?? "<value>",
    value: spec.type === Boolean ? null : OPTION_VALUES[`${name} ${key}`] ?? OPTION_VALUES[key] ??
      (spec.placeholder === "<path>" ? { kind: "file" } : NO_VALUE),
    repeatable: Array.isArray(spec.type),
  }));
  return {
    words: name.split(" "),
    summary,
    options: [...options, DEBUG_OPTION, HELP_OPTION],
    argument: ARGUMENT_VALUES[name] ?? NO_VALUE,
    takesCommandLine: /(^|\s)-- </.test(definition.arguments),
  };
}
