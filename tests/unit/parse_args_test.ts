import assert from "node:assert/strict";
import type { OptionSpecs } from "../../src/cli/command.ts";
import { optionFlag, parseCommandArgs } from "../../src/cli/parse_args.ts";
import { loadAllCommands } from "../../src/cli/registry.ts";
// @ts-types="../../src/vendor/type-flag/index.d.ts"
import { typeFlag } from "../../src/vendor/type-flag/index.mjs";
import { UsageError } from "../../src/core/errors.ts";

const OPTIONS = {
  id: { type: String, description: "id" },
  maxRetries: { type: String, description: "retries" },
  priority: { type: String, description: "priority" },
  count: { type: String, alias: "n", description: "count" },
  json: { type: Boolean, description: "json" },
  quiet: { type: Boolean, alias: "q", description: "quiet" },
  tag: { type: [String], description: "tags" },
} as const satisfies OptionSpecs;

function parse(...argv: string[]) {
  return parseCommandArgs("demo", OPTIONS, argv);
}

function rejects(argv: string[], message: string): void {
  assert.throws(() => parse(...argv), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("optionFlag() spells camelCase keys in kebab-case", () => {
  assert.equal(optionFlag("maxRetries"), "--max-retries");
  assert.equal(optionFlag("runAt"), "--run-at");
  assert.equal(optionFlag("json"), "--json");
});

Deno.test("parseCommandArgs() reads string, boolean, alias and repeated options", () => {
  const parsed = parse(
    "--id",
    "a",
    "--max-retries",
    "5",
    "-n",
    "3",
    "-q",
    "--tag",
    "x",
    "--tag=y",
  );
  assert.equal(parsed.options.id, "a");
  assert.equal(parsed.options.maxRetries, "5");
  assert.equal(parsed.options.count, "3");
  assert.equal(parsed.options.json, undefined);
  assert.equal(parsed.options.quiet, true);
  assert.deepEqual(parsed.options.tag, ["x", "y"]);
  assert.deepEqual(parsed.positionals, []);
  assert.equal(parsed.rest, null);
});

Deno.test("parseCommandArgs() gives a value attached to a short option to it (-n5)", () => {
  assert.equal(parse("-n5").options.count, "5");
  assert.equal(parse("-n-3").options.count, "-3");
  assert.equal(parse("-n1.5").options.count, "1.5");
  assert.equal(parse("-n=5").options.count, "5");
  const bundled = parse("-qn5", "word");
  assert.equal(bundled.options.count, "5");
  assert.equal(bundled.options.quiet, true);
  assert.deepEqual(bundled.positionals, ["word"]);
  rejects(["-xn5"], "Unknown option -x for 'queuectl demo': see 'queuectl demo --help'");
  assert.deepEqual(parse("-n5", "--", "-n5").rest, ["-n5"]);
});

Deno.test("parseCommandArgs() leaves absent options undefined", () => {
  const parsed = parse("word");
  assert.equal(parsed.options.id, undefined);
  assert.equal(parsed.options.json, undefined);
  assert.deepEqual(parsed.positionals, ["word"]);
});

Deno.test("parseCommandArgs() takes a negative number as an option's value", () => {
  assert.equal(parse("--priority", "-5").options.priority, "-5");
  assert.equal(parse("--priority=-5").options.priority, "-5");
  assert.equal(parse("--priority", "-1.5").options.priority, "-1.5");
  assert.equal(parse("-n", "-3").options.count, "-3");
  assert.deepEqual(parse("--tag", "-1").options.tag, ["-1"]);
});

Deno.test("parseCommandArgs() takes a negative number as a positional argument", () => {
  assert.deepEqual(parse("max_retries", "-1").positionals, ["max_retries", "-1"]);
  assert.deepEqual(parse("-5").positionals, ["-5"]);
  assert.deepEqual(parse("--json", "-2.5", "x").positionals, ["-2.5", "x"]);
  assert.equal(parse("--json", "-2.5").options.json, true);
});

Deno.test("parseCommandArgs() takes a negative duration as a positional argument", () => {
  assert.deepEqual(parse("kill_grace", "-1s").positionals, ["kill_grace", "-1s"]);
  assert.equal(parse("--id", "-1s").options.id, "-1s");
});

Deno.test("parseCommandArgs() takes every argument from valuesFrom on as a value", () => {
  const values = (...argv: string[]) => parseCommandArgs("demo", OPTIONS, argv, 1);
  assert.deepEqual(values("retry_on", "-x").positionals, ["retry_on", "-x"]);
  assert.deepEqual(values("key", "--json").positionals, ["key", "--json"]);
  assert.equal(values("key", "--json").options.json, undefined);
  // Options and their values before it are still options.
  assert.equal(values("--id", "a", "key", "-q").options.id, "a");
  assert.deepEqual(values("--id", "a", "key", "-q").positionals, ["key", "-q"]);
  assert.throws(() => values("-x", "key"), /Unknown option -x/);
});

Deno.test("parseCommandArgs() keeps a lone dash as a positional (stdin)", () => {
  assert.deepEqual(parse("-").positionals, ["-"]);
});

Deno.test("parseCommandArgs() reports an option without its value", () => {
  rejects(["--id"], "Option --id needs a value: see 'queuectl demo --help'");
  rejects(["--id", "--json"], "Option --id needs a value: see 'queuectl demo --help'");
  rejects(["--id="], "Option --id needs a value: see 'queuectl demo --help'");
  rejects(["-n"], "Option --count needs a value: see 'queuectl demo --help'");
  rejects(
    ["--max-retries", "--", "x"],
    "Option --max-retries needs a value: see 'queuectl demo --help'",
  );
  rejects(["--tag", "a", "--tag"], "Option --tag needs a value: see 'queuectl demo --help'");
});

Deno.test("parseCommandArgs() refuses a single-value option given more than once", () => {
  rejects(
    ["--id", "a", "--id=b"],
    'Option --id was given 2 times ("a", "b"): give it once (see \'queuectl demo --help\')',
  );
  rejects(
    ["-n", "1", "--count", "2", "-n", "3"],
    'Option --count was given 3 times ("1", "2", "3"): give it once (see \'queuectl demo --help\')',
  );
  // Repeatable options and flags are not affected.
  assert.deepEqual(parse("--tag", "a", "--tag", "b").options.tag, ["a", "b"]);
  assert.equal(parse("--json", "--json").options.json, true);
});

Deno.test("parseCommandArgs() reports an unknown long or short option", () => {
  rejects(["--nope"], "Unknown option --nope for 'queuectl demo': see 'queuectl demo --help'");
  rejects(
    ["--nope=1", "x"],
    "Unknown option --nope for 'queuectl demo': see 'queuectl demo --help'",
  );
  rejects(["-x"], "Unknown option -x for 'queuectl demo': see 'queuectl demo --help'");
  rejects(["-qx"], "Unknown option -x for 'queuectl demo': see 'queuectl demo --help'");
});

Deno.test("parseCommandArgs() refuses a value given to a switch, other than true or false", () => {
  const refused = (value: string, flag: string) =>
    `Option ${flag} takes no value, got ${
      JSON.stringify(value)
    }: give it alone, or as ${flag}=true or ${flag}=false (see 'queuectl demo --help')`;
  rejects(["--json=0"], refused("0", "--json"));
  rejects(["--json=no"], refused("no", "--json"));
  rejects(["--json="], refused("", "--json"));
  rejects(["--json:off"], refused("off", "--json"));
  rejects(["-q=1"], refused("1", "--quiet"));
  assert.equal(parse("--json=false").options.json, false);
  assert.equal(parse("--json=true").options.json, true);
  assert.equal(parse("--id=0").options.id, "0");
});

Deno.test("parseCommandArgs() puts everything after -- in rest, untouched", () => {
  const parsed = parse("--id", "a", "--", "sh", "-c", "--json", "-q", "--nope", "--");
  assert.equal(parsed.options.id, "a");
  assert.equal(parsed.options.json, undefined);
  assert.equal(parsed.options.quiet, undefined);
  assert.deepEqual(parsed.positionals, []);
  assert.deepEqual(parsed.rest, ["sh", "-c", "--json", "-q", "--nope", "--"]);
});

Deno.test("parseCommandArgs() gives an empty rest for a trailing --", () => {
  const parsed = parse("x", "--");
  assert.deepEqual(parsed.positionals, ["x"]);
  assert.deepEqual(parsed.rest, []);
});

Deno.test("parseCommandArgs() keeps positionals before -- apart from rest", () => {
  const parsed = parse("a", "--json", "b", "--", "c");
  assert.deepEqual(parsed.positionals, ["a", "b"]);
  assert.deepEqual(parsed.rest, ["c"]);
});

Deno.test("parseCommandArgs() refuses --quiet with --json, in any spelling and order", () => {
  const message = "--quiet and --json cannot be used together: pick one";
  rejects(["--quiet", "--json"], message);
  rejects(["--json", "-q"], message);
  rejects(["--json=true", "--quiet=true"], message);
  assert.equal(parse("--json").options.json, true);
  assert.equal(parse("-q").options.quiet, true);
});

Deno.test("parseCommandArgs() without option-like arguments gives what type-flag would", async () => {
  const argvs = [[], ["make test"], ["a", "b c"], ["k3x9m2qa7z", "build-1"], ["x", "--", "-y"]];
  for (const { name, definition } of await loadAllCommands()) {
    for (const argv of argvs) {
      const separator = argv.indexOf("--");
      const before = separator === -1 ? argv : argv.slice(0, separator);
      const reference = typeFlag(
        definition.options as unknown as Parameters<typeof typeFlag>[0],
        [...before],
      );
      const parsed = parseCommandArgs(name, definition.options, argv);
      assert.deepEqual(parsed.options, reference.flags, `${name} ${argv.join(" ")}`);
      assert.deepEqual(parsed.positionals, [...reference._], `${name} ${argv.join(" ")}`);
    }
  }
});
