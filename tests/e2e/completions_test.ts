import assert from "node:assert/strict";
import { cliCommand } from "../helpers/cli.ts";

const decoder = new TextDecoder();

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(command: string, args: readonly string[], env = {}): Promise<Result> {
  const output = await new Deno.Command(command, {
    args: [...args],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", TZ: "UTC", ...env },
    stdin: "null",
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Runs queuectl with a data directory that it must not create: completions need none. */
async function queuectl(...args: string[]): Promise<Result> {
  const [command, ...prefix] = cliCommand();
  const home = `${Deno.env.get("TMPDIR") ?? "/tmp"}/queuectl-test-${crypto.randomUUID()}`;
  const result = await run(command!, [...prefix, ...args], { QUEUECTL_HOME: home });
  await assert.rejects(Deno.stat(home), Deno.errors.NotFound);
  return result;
}

/** Writes `queuectl completions <shell>` to a temporary file; returns its path. */
async function scriptFile(shell: string): Promise<string> {
  const result = await queuectl("completions", shell);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const path = await Deno.makeTempFile({ prefix: `queuectl-completion-`, suffix: `.${shell}` });
  await Deno.writeTextFile(path, result.stdout);
  return path;
}

/** Whether a shell is installed; else the reason the tests for it are skipped. */
async function skipReason(shell: string): Promise<string | null> {
  try {
    const { code } = await new Deno.Command(shell, { args: ["-c", "exit 0"] }).output();
    return code === 0 ? null : `${shell} does not run`;
  } catch {
    return `${shell} is not installed`;
  }
}

// Completes a command line in bash the way readline would: COMP_WORDS, COMP_CWORD, then the
// function that the script registered with `complete -F`. A trailing space starts a new word.
// With STRICT set, the completion runs under \`set -u\`, as in strict dotfiles.
const BASH_DRIVER = `
source "$1" || exit 3
[[ -n "\${STRICT-}" ]] && set -u
spec="$(complete -p queuectl)" || exit 4
function="\${spec##*-F }" function="\${function%% *}"
read -r -a COMP_WORDS <<< "$2"
[[ "$2" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )) COMP_LINE="$2" COMP_POINT=\${#2}
"$function" queuectl "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;

async function bashComplete(script: string, line: string, strict = false): Promise<string[]> {
  const result = await run("bash", [
    "--norc",
    "--noprofile",
    "-c",
    BASH_DRIVER,
    "bash",
    script,
    line,
  ], strict ? { STRICT: "1" } : {});
  assert.equal(result.code, 0, `${line}: ${result.stderr}`);
  assert.equal(result.stderr, "", line);
  return result.stdout.split("\n").filter(Boolean);
}

Deno.test("completions bash passes bash -n and completes commands, subcommands and options", async () => {
  const script = await scriptFile("bash");
  try {
    const syntax = await run("bash", ["-n", script]);
    assert.equal(syntax.code, 0, syntax.stderr);
    assert.deepEqual(await bashComplete(script, "queuectl wo"), ["worker"]);
    assert.deepEqual(await bashComplete(script, "queuectl worker s"), ["start", "stop"]);
    assert.deepEqual(await bashComplete(script, "queuectl list --st"), ["--state"]);
    assert.deepEqual(await bashComplete(script, "queuectl --debug dlq r"), ["retry"]);
    assert.deepEqual(await bashComplete(script, "queuectl worker start --c"), [
      "--count",
      "--concurrency",
    ]);
  } finally {
    await Deno.remove(script);
  }
});

Deno.test("completions bash completes states, config keys, shells and lists after a comma", async () => {
  const script = await scriptFile("bash");
  try {
    assert.deepEqual(await bashComplete(script, "queuectl list --state "), [
      "pending",
      "processing",
      "completed",
      "failed",
      "dead",
      "cancelled",
    ]);
    assert.deepEqual(await bashComplete(script, "queuectl list --state failed,d"), [
      "failed,dead",
    ]);
    assert.deepEqual(await bashComplete(script, "queuectl list --state=c"), [
      "--state=completed",
      "--state=cancelled",
    ]);
    assert.deepEqual(await bashComplete(script, "queuectl prune --state "), [
      "completed",
      "dead",
      "cancelled",
    ]);
    assert.deepEqual(await bashComplete(script, "queuectl config get max"), ["max_retries"]);
    assert.deepEqual(await bashComplete(script, "queuectl config set retry_on "), []);
    assert.deepEqual(await bashComplete(script, "queuectl completions "), ["bash", "zsh", "fish"]);
    assert.deepEqual(await bashComplete(script, "queuectl list --queue st"), []);
  } finally {
    await Deno.remove(script);
  }
});

Deno.test("completions bash offers help, --debug and short options, also under set -u", async () => {
  const script = await scriptFile("bash");
  try {
    for (const strict of [false, true]) {
      const complete = (line: string) => bashComplete(script, line, strict);
      assert.deepEqual(await complete("queuectl he"), ["help"]);
      assert.deepEqual(await complete("queuectl help wo"), ["worker"]);
      assert.deepEqual(await complete("queuectl help worker s"), ["start", "stop"]);
      assert.deepEqual(await complete("queuectl help worker start "), []);
      assert.deepEqual(await complete("queuectl bogus "), []);
      assert.deepEqual(await complete("queuectl -"), [
        "--help",
        "-h",
        "--version",
        "-V",
        "--debug",
      ]);
      assert.deepEqual(await complete("queuectl logs -"), [
        "--follow",
        "-f",
        "--attempt",
        "--last",
        "--tail",
        "-n",
        "--json",
        "--debug",
        "--help",
        "-h",
      ]);
      assert.deepEqual(await complete("queuectl worker start --d"), ["--debug"]);
      assert.deepEqual(await complete("queuectl enqueue -q "), []);
      assert.deepEqual(await complete("queuectl list --state "), [
        "pending",
        "processing",
        "completed",
        "failed",
        "dead",
        "cancelled",
      ]);
    }
  } finally {
    await Deno.remove(script);
  }
});

const zshSkip = await skipReason("zsh");
const fishSkip = await skipReason("fish");
for (const reason of [zshSkip, fishSkip]) {
  // deno-lint-ignore no-console -- the skip reason belongs in the test report
  if (reason) console.warn(`completion test skipped: ${reason}`);
}

Deno.test({
  name: `completions zsh passes zsh -n and registers _queuectl after compinit${
    zshSkip ? ` (skipped: ${zshSkip})` : ""
  }`,
  ignore: zshSkip !== null,
  async fn() {
    const script = await scriptFile("zsh");
    const dump = await Deno.makeTempFile({ prefix: "queuectl-zcompdump-" });
    try {
      const syntax = await run("zsh", ["-n", script]);
      assert.equal(syntax.code, 0, syntax.stderr);
      const loaded = await run("zsh", [
        "-f",
        "-c",
        'autoload -U compinit && compinit -u -d "$2" && source "$1" && print -r -- $_comps[queuectl] && whence -w _queuectl_help _queuectl_help_worker',
        "zsh",
        script,
        dump,
      ]);
      assert.equal(loaded.code, 0, loaded.stderr);
      assert.equal(
        loaded.stdout,
        "_queuectl\n_queuectl_help: function\n_queuectl_help_worker: function\n",
      );
      const text = await Deno.readTextFile(script);
      assert.match(text, /'help:show the help of a command'/);
      assert.match(text, /--debug'\[add the stack trace to an error\]'/);
      assert.match(text, /\{-n\+,--count=\}/);
    } finally {
      await Deno.remove(script);
      await Deno.remove(dump);
    }
  },
});

async function fishComplete(script: string, line: string): Promise<string[]> {
  const result = await run("fish", [
    "--no-config",
    "-c",
    "source $argv[1]; and complete -C $argv[2]",
    script,
    line,
  ]);
  assert.equal(result.code, 0, `${line}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean).map((entry) => entry.split("\t")[0]!);
}

Deno.test({
  name: `completions fish passes fish -n and completes commands, options and states${
    fishSkip ? ` (skipped: ${fishSkip})` : ""
  }`,
  ignore: fishSkip !== null,
  async fn() {
    const script = await scriptFile("fish");
    try {
      const syntax = await run("fish", ["--no-config", "-n", script]);
      assert.equal(syntax.code, 0, syntax.stderr);
      assert.deepEqual(await fishComplete(script, "queuectl wo"), ["worker"]);
      assert.deepEqual(await fishComplete(script, "queuectl worker s"), ["start", "stop"]);
      assert.deepEqual(await fishComplete(script, "queuectl list --st"), ["--state"]);
      assert.deepEqual(await fishComplete(script, "queuectl list --state failed,d"), [
        "failed,dead",
      ]);
      assert.deepEqual(await fishComplete(script, "queuectl config get max"), ["max_retries"]);
      assert.deepEqual(await fishComplete(script, "queuectl completions z"), ["zsh"]);
      assert.deepEqual(await fishComplete(script, "queuectl he"), ["help"]);
      assert.deepEqual(await fishComplete(script, "queuectl help worker s"), ["start", "stop"]);
      assert.deepEqual(await fishComplete(script, "queuectl help worker start "), []);
      assert.deepEqual(await fishComplete(script, "queuectl -"), [
        "-h",
        "-V",
        "--debug",
        "--help",
        "--version",
      ]);
      assert.deepEqual(await fishComplete(script, "queuectl logs -"), [
        "-f",
        "-h",
        "-n",
        "--attempt",
        "--debug",
        "--follow",
        "--help",
        "--json",
        "--last",
        "--tail",
      ]);
    } finally {
      await Deno.remove(script);
    }
  },
});

Deno.test("completions with a bad shell or none is a one-line usage error", async () => {
  const bad = await queuectl("completions", "tcsh");
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.equal(
    bad.stderr,
    `queuectl: Unknown shell "tcsh": use bash, zsh or fish (see 'queuectl completions --help')\n`,
  );
  const none = await queuectl("completions");
  assert.equal(none.code, 2);
  assert.equal(
    none.stderr,
    "queuectl: Give one shell: queuectl completions bash|zsh|fish\n",
  );
});
