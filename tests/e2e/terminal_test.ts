// deno-lint-ignore-file no-control-regex -- terminal escape sequences are what this test checks
import assert from "node:assert/strict";
import { cliCommand, TestHome } from "../helpers/cli.ts";

const hasScript = new Deno.Command("sh", { args: ["-c", "command -v script"] }).outputSync()
  .success;

/**
 * Runs the CLI on a pseudo-terminal `columns` wide (util-linux `script`); its stderr goes there
 * too with `stderr: "terminal"`. It must exit with `code`.
 */
async function onTerminal(
  home: TestHome,
  args: string[],
  columns: number,
  env: Record<string, string>,
  { stderr = "dropped", code = 0 }: { stderr?: "dropped" | "terminal"; code?: number } = {},
): Promise<string> {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [...cliCommand(), ...args].map(quote).join(" ");
  const redirect = stderr === "dropped" ? " 2>/dev/null" : "";
  const output = await new Deno.Command("script", {
    args: ["-qec", `stty cols ${columns} rows 40; ${command}${redirect}`, "/dev/null"],
    env: { ...withoutNoColor(home.env), ...env },
    clearEnv: true,
    stdout: "piped",
  }).output();
  assert.equal(output.code, code);
  return new TextDecoder().decode(output.stdout).replaceAll("\r\n", "\n");
}

function withoutNoColor(env: Record<string, string>): Record<string, string> {
  const { NO_COLOR: _, ...rest } = env;
  return rest;
}

Deno.test({
  name: "on a terminal: colours unless NO_COLOR, tables cut to the terminal's width",
  ignore: !hasScript,
  async fn() {
    await using home = await TestHome.create();
    await home.enqueue("--id", "a-long-running-build", `echo ${"x".repeat(200)}`);
    const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
    const coloured = await onTerminal(home, ["list"], 60, { PATH: path });
    assert.match(coloured, /\x1b\[36mpending\x1b\[39m/);
    for (const line of coloured.trimEnd().split("\n")) {
      const visible = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      assert.ok(visible.length <= 60, `${visible.length} columns: ${visible}`);
    }
    assert.match(coloured, /…\n/);
    const plain = await onTerminal(home, ["list"], 60, { PATH: path, NO_COLOR: "1" });
    assert.doesNotMatch(plain, /\x1b\[/);
    const piped = await home.ok("list");
    assert.doesNotMatch(piped, /\x1b\[/);
    assert.match(piped, /x{200}/);
  },
});

Deno.test({
  name: "on a terminal: a long last error shortens with the command, control characters show",
  ignore: !hasScript,
  async fn() {
    await using home = await TestHome.create();
    const parent = await home.enqueue("--id", `p${"1".repeat(30)}`, "--delay", "1h", "true");
    const child = await home.enqueue("--after", parent, "echo \x1b[2J\rcleared\tscreen");
    await home.ok("cancel", parent);
    const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
    const table = await onTerminal(home, ["list"], 110, { PATH: path, NO_COLOR: "1" });
    assert.doesNotMatch(table, /[\x00-\x09\x0b-\x1f]/);
    const lines = table.trimEnd().split("\n");
    for (const line of lines) assert.ok(line.length <= 110, `${line.length} columns: ${line}`);
    assert.match(lines[0]!, /LAST ERROR +COMMAND$/);
    const row = lines.find((line) => line.startsWith(`${child} `))!;
    assert.match(row, / cancelled .* dependency p1+… +echo ␛\[2J /);
  },
});

Deno.test({
  name: "on a terminal: run's own lines after output that ended mid-line start a line of their own",
  ignore: !hasScript,
  async fn() {
    await using home = await TestHome.create();
    await home.ok("config", "set", "backoff_unit", "1ms");
    await home.ok("worker", "start");
    const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
    const screen = await onTerminal(
      home,
      [
        "run",
        "--max-retries",
        "1",
        "--",
        'printf "partial $QUEUECTL_ATTEMPT"; [ "$QUEUECTL_ATTEMPT" = 2 ]',
      ],
      200,
      { PATH: path, NO_COLOR: "1" },
      { stderr: "terminal" },
    );
    // Deno clears its progress line when a module loads late (`\x1b[0G\x1b[2K\x1b[J`).
    const text = (raw: string) => raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
    assert.match(text(screen), /^partial 1\n=== attempt 2 of 2 · /m);
    assert.match(text(screen), /^partial 2$/m);
    const dead = await onTerminal(
      home,
      ["run", "--max-retries", "0", "--", "printf oops; exit 3"],
      200,
      { PATH: path, NO_COLOR: "1" },
      { stderr: "terminal", code: 3 },
    );
    assert.match(text(dead), /^oops\nqueuectl: job \S+ dead: exited with code 3: oops$/m);
    // Apart, stdout is the job's output byte for byte.
    const piped = await home.run(["run", "--max-retries", "0", "--", "printf partial"]);
    assert.equal(piped.stdout, "partial");
  },
});
