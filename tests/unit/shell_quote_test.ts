import assert from "node:assert/strict";
import { commandFromArgs, shellJoin } from "../../src/core/shell_quote.ts";

const CASES: readonly [string[], string][] = [
  [[], ""],
  [["echo", "hello"], "echo hello"],
  [["curl", "-fsS", "https://example.com/a?b=c"], "curl -fsS 'https://example.com/a?b=c'"],
  [["ls", "/tmp/a_b.c", "x=1,2:3", "me@host", "50%+1"], "ls /tmp/a_b.c x=1,2:3 me@host 50%+1"],
  [["echo", "a b"], "echo 'a b'"],
  [["echo", ""], "echo ''"],
  [["echo", "it's"], `echo 'it'\\''s'`],
  [["echo", "$HOME", "`id`", "$(id)"], "echo '$HOME' '`id`' '$(id)'"],
  [["echo", "a;b", "a|b", "a&b", "a>b", "*", "?", "~"], "echo 'a;b' 'a|b' 'a&b' 'a>b' '*' '?' '~'"],
  [["printf", "line1\nline2"], "printf 'line1\nline2'"],
];

for (const [words, expected] of CASES) {
  Deno.test(`shellJoin() writes ${JSON.stringify(words)} as ${JSON.stringify(expected)}`, () => {
    assert.equal(shellJoin(words), expected);
  });
}

Deno.test("shellJoin() output makes sh see exactly the original words", async () => {
  const words = ["a b", "", "it's", "$HOME", "`id`", "\\", '"q"', "tab\tnew\nline", "--x=*", "é🙂"];
  const output = await new Deno.Command("sh", {
    args: ["-c", `for word in ${shellJoin(words)}; do printf '%s\\0' "$word"; done`],
    env: { HOME: "/nowhere" },
    stdout: "piped",
  }).output();
  assert.equal(output.code, 0);
  const seen = new TextDecoder().decode(output.stdout).split("\0").slice(0, -1);
  assert.deepEqual(seen, words);
});

Deno.test("commandFromArgs() takes one argument as the command line itself", () => {
  assert.equal(commandFromArgs(["echo hello | tr a-z A-Z"]), "echo hello | tr a-z A-Z");
  assert.equal(commandFromArgs(["make"]), "make");
  assert.equal(commandFromArgs(["~/bin/job"]), "~/bin/job");
});

Deno.test("commandFromArgs() quotes several arguments word by word", () => {
  assert.equal(commandFromArgs(["echo", "hello world"]), "echo 'hello world'");
  assert.equal(commandFromArgs(["command", "/opt/my tools/x"]), "command '/opt/my tools/x'");
});
