import { quoteValue, UsageError } from "../../core/errors.ts";
import { defineCommand } from "../command.ts";
import { bashScript } from "../completions/bash.ts";
import { fishScript } from "../completions/fish.ts";
import {
  buildCompletionModel,
  type CompletionModel,
  type Shell,
  SHELLS,
} from "../completions/model.ts";
import { loadAllCommands } from "../registry.ts";
import { zshScript } from "../completions/zsh.ts";

const GENERATORS: Readonly<Record<Shell, (model: CompletionModel) => string>> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
};

export default defineCommand({
  name: "completions",
  arguments: SHELLS.join("|"),
  description: [
    "Prints a script that completes commands, options, job states, config keys and shells.",
    "Load it in bash from ~/.bashrc; in zsh save it as _queuectl in a directory of $fpath",
    "(or source it after compinit); in fish save it in ~/.config/fish/completions/.",
  ].join("\n"),
  options: {},
  examples: [
    "queuectl completions bash > ~/.local/share/bash-completion/completions/queuectl",
    "source <(queuectl completions bash)",
    `queuectl completions zsh > "\${fpath[1]}/_queuectl"`,
    "queuectl completions fish > ~/.config/fish/completions/queuectl.fish",
  ],
  async run(context, { positionals }) {
    if (positionals.length !== 1) {
      throw new UsageError(`Give one shell: queuectl completions ${SHELLS.join("|")}`);
    }
    const shell = positionals[0]!;
    if (!isShell(shell)) {
      throw new UsageError(
        `Unknown shell ${
          quoteValue(shell)
        }: use bash, zsh or fish (see 'queuectl completions --help')`,
      );
    }
    context.stdout.write(GENERATORS[shell](buildCompletionModel(await loadAllCommands())));
    return 0;
  },
});

function isShell(name: string): name is Shell {
  return (SHELLS as readonly string[]).includes(name);
}
