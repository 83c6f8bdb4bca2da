import { QueuectlError, quoteJsonValue, quoteValue, UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { parseCommandArgs, rejectUnexpectedOperands } from "./parse_args.ts";
import { importCommand } from "./command_module.ts";
import { COMMANDS, commandsInGroup, findCommand } from "./registry.ts";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs one invocation of the CLI and returns its exit status; never throws. */
export async function runCli(given: readonly string[], context: CliContext): Promise<number> {
  // `deno task queuectl -- status` passes the "--" along: it separates nothing here.
  const argv = given[0] === "--" ? given.slice(1) : given;
  // Only before "--": what follows belongs to the job's command.
  const separator = argv.indexOf("--");
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const debug = own.includes("--debug") || Boolean(context.env("QUEUECTL_DEBUG"));
  const args = [
    ...own.filter((arg) => arg !== "--debug"),
    ...(separator === -1 ? [] : argv.slice(separator)),
  ];
  try {
    await rejectArgumentsNotUtf8(given, context);
    return await dispatch(args, context);
  } catch (error) {
    return reportError(error, context, debug);
  }
}

/** A command, or anything else, altered on its way in is refused rather than stored or run. */
async function rejectArgumentsNotUtf8(given: readonly string[], context: CliContext) {
  const [first] = await context.argumentsNotUtf8(given);
  if (first === undefined) return;
  throw new UsageError(
    `Argument ${first + 1} (${
      quoteJsonValue(given[first]!)
    }) is not valid UTF-8: queuectl keeps commands as UTF-8 text and would change it (a file name in another encoding? rename it, or match it with a glob)`,
  );
}

async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const topic = first === "help" ? argv.slice(1) : [];
    if (topic.length > 0) return dispatch([...topic, "--help"], context);
    const { rootHelp } = await importHelp();
    (first === undefined ? context.stderr : context.stdout).write(rootHelp());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === "-V" || first === "--version") {
    return dispatch(["version", ...argv.slice(1)], context);
  }
  const found = findCommand(argv);
  if (!found) {
    const group = commandsInGroup(first);
    if (group.length > 0) {
      const sub = argv[1];
      if (sub === "-h" || sub === "--help") {
        const { groupHelp } = await importHelp();
        context.stdout.write(groupHelp(first, group));
        return EXIT_OK;
      }
      throw new UsageError(
        sub === undefined
          ? `'queuectl ${first}' needs a command: one of ${
            group.map((entry) => entry.name.split(" ")[1]).join(", ")
          }`
          : `Unknown command 'queuectl ${first} ${sub}': see 'queuectl ${first} --help'`,
      );
    }
    const reordered = first.startsWith("-") ? commandFirst(argv) : null;
    if (reordered !== null) {
      // The order that works, only if it does: `--queue x status` is refused for its option.
      const command = findCommand(reordered)!;
      const definition = await importCommand(command.entry.name);
      parseCommandArgs(command.entry.name, definition.options, command.args, definition.valuesFrom);
      // Only this refusal quotes words: imported here, not by every command's start.
      const { shellJoin }: typeof import("../core/shell_quote.ts") = await import(
        new URL("../core/shell_quote.ts", import.meta.url).href
      );
      throw new UsageError(
        `Options go after the command, as in: ${shellJoin(["queuectl", ...reordered])}`,
      );
    }
    throw new UsageError(
      `Unknown command ${quoteValue(first)}: the commands are ${
        [...new Set(COMMANDS.map((entry) => entry.name.split(" ")[0]))].join(", ")
      } (see 'queuectl --help')`,
    );
  }
  const definition = await importCommand(found.entry.name);
  const separator = found.args.indexOf("--");
  const beforeSeparator = separator === -1 ? found.args : found.args.slice(0, separator);
  if (beforeSeparator.includes("--help") || beforeSeparator.includes("-h")) {
    const { commandHelp } = await importHelp();
    context.stdout.write(commandHelp(found.entry, definition));
    return EXIT_OK;
  }
  const parsed = parseCommandArgs(
    found.entry.name,
    definition.options,
    found.args,
    definition.valuesFrom,
  );
  rejectUnexpectedOperands(found.entry, definition, parsed);
  return await definition.run(context, parsed);
}

/**
 * The arguments with the command moved before the options given ahead of it (`--json status`
 * is `status --json`; `--version` is the command `version`), or null if no command follows.
 * Only before "--": what follows is a job's command.
 */
function commandFirst(argv: readonly string[]): string[] | null {
  const separator = argv.indexOf("--");
  const own = separator === -1 ? argv.length : separator;
  for (let index = 1; index < own; index++) {
    const rest = argv.slice(index);
    const command = rest[0] === "--version" || rest[0] === "-V"
      ? { words: ["version"], args: rest.slice(1) }
      : found(findCommand(rest));
    if (command) return [...command.words, ...argv.slice(0, index), ...command.args];
  }
  return null;
}

function found(
  match: ReturnType<typeof findCommand>,
): { words: string[]; args: string[] } | null {
  return match && { words: match.entry.name.split(" "), args: match.args };
}

/**
 * Help is loaded only when asked for: through a computed URL, since Deno loads every module a
 * literal `import()` names before the program starts (command_module.ts).
 */
async function importHelp(): Promise<typeof import("./help.ts")> {
  return await import(new URL("./help.ts", import.meta.url).href);
}

function reportError(error: unknown, context: CliContext, debug: boolean): number {
  if (error instanceof QueuectlError) {
    context.stderr.line(`queuectl: ${oneLine(error.message)}`);
    if (debug && error.stack) context.stderr.line(error.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.line(
    `queuectl: internal error: ${
      oneLine(message.split("\n")[0]!)
    } (run again with --debug for details)`,
  );
  if (debug && error instanceof Error && error.stack) context.stderr.line(error.stack);
  return EXIT_FAILURE;
}

// deno-lint-ignore no-control-regex -- control characters are what oneLine escapes
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

/** How JSON writes the control characters that have a short escape. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

/**
 * A message as one line: its control characters, and the Unicode line and paragraph separators,
 * written as escapes (`\n`, `\u001b`) as JSON writes them. An error quotes what the user gave,
 * which may hold any of them (`show $'build-1\n'`): raw, a line break would split the message
 * and ESC would let the terminal act on it, where the escape shows why the value was refused.
 * Here, not in a module of its own: every process loads this one (startup_modules_test.ts).
 */
function oneLine(message: string): string {
  return message.replace(
    CONTROLS,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
