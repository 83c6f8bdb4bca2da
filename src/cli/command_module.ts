import type { CommandDefinition } from "./command.ts";

/**
 * Imports the module of a command when it runs: `worker start` is `commands/worker_start.ts`.
 * The specifier is computed on purpose: Deno loads every module that a literal or template
 * `import()` can name before the program starts (the graphs of all commands, ~6 ms per
 * process measured here), a computed one only when it is called. The bundle replaces this
 * module by one with a literal import per command (scripts/bundle.ts).
 */
export async function importCommand(name: string): Promise<CommandDefinition> {
  const file = `./commands/${name.replace(" ", "_")}.ts`;
  const module: { default: CommandDefinition } = await import(
    new URL(file, import.meta.url).href
  );
  return module.default;
}
