import assert from "node:assert/strict";
import { TestHome } from "../helpers/cli.ts";

/** Runs the CLI and keeps its stdout as bytes. */
async function runRaw(home: TestHome, args: readonly string[]) {
  const [command, ...prefix] = home.command;
  const output = await new Deno.Command(command!, {
    args: [...prefix, ...args],
    cwd: home.path,
    env: home.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: output.stdout,
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("logs and run reproduce a job's output byte for byte, even when it is not UTF-8", async () => {
  await using home = await TestHome.create();
  await home.ok("worker", "start");
  const ran = await runRaw(home, [
    "run",
    "--",
    "sh",
    "-c",
    "head -c 3000 /dev/urandom > bin.dat; printf 'caf\\351\\n' >> bin.dat; cat bin.dat",
  ]);
  assert.equal(ran.code, 0, ran.stderr);
  const written = await Deno.readFile(`${home.path}/bin.dat`);
  assert.equal(written.length, 3005);
  assert.deepEqual(ran.stdout, written);

  const id = /job (\S+) enqueued/.exec(ran.stderr)![1]!;
  const log = await Deno.readFile(`${home.path}/logs/${id}.log`);
  assert.deepEqual(log.subarray(log.length - written.length), written);
  const logs = await runRaw(home, ["logs", id]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.deepEqual(logs.stdout, log);
  const followed = await runRaw(home, ["logs", "--follow", id]);
  assert.equal(followed.code, 0, followed.stderr);
  assert.deepEqual(followed.stdout, log);

  // JSON holds strings: what is not UTF-8 becomes U+FFFD there (docs/json.md).
  const json = await home.json<{ attempts: { output: string }[] }>("logs", id);
  assert.equal(json.attempts[0]!.output, new TextDecoder().decode(written));
});

Deno.test("enqueue --file refuses input that is not UTF-8, naming the line, and enqueues nothing", async () => {
  await using home = await TestHome.create();
  const path = `${home.path}/latin.ndjson`;
  // Far past the first chunk read (16 KiB), so the bad byte comes in a later chunk.
  const before = Array.from({ length: 3000 }, (_, index) => `echo line ${index + 1}\n`).join("");
  const encoder = new TextEncoder();
  await Deno.writeFile(
    path,
    Uint8Array.of(
      ...encoder.encode(before),
      ...encoder.encode("echo caf"),
      0xe9,
      ...encoder.encode(" > x\necho after\n"),
    ),
  );
  const result = await home.run(["enqueue", "--file", path]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, "queuectl: Line 3001: not valid UTF-8 (nothing was enqueued)\n");
  assert.equal((await home.json<{ total: number }>("status")).total, 0);
});

/** Runs the CLI with its arguments, then one made by printf from `format` (bytes, not text). */
async function runWithBytesArgument(home: TestHome, args: readonly string[], format: string) {
  const output = await new Deno.Command("sh", {
    args: ["-c", `exec "$@" "$(printf '${format}')"`, "sh", ...home.command, ...args],
    cwd: home.path,
    env: home.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("an argument that is not UTF-8 is refused, not stored altered", async () => {
  await using home = await TestHome.create();
  const refused = await runWithBytesArgument(home, ["enqueue", "--", "cat"], "caf\\351.txt");
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, "");
  assert.match(
    refused.stderr,
    /^queuectl: Argument 4 \("caf\uFFFD\.txt"\) is not valid UTF-8: queuectl keeps commands as UTF-8 text and would change it \(.*\)\n$/,
  );
  assert.deepEqual(await home.json("list"), []);
  // U+FFFD itself, as UTF-8, is text like any other.
  const kept = await runWithBytesArgument(
    home,
    ["enqueue", "-q", "--", "cat"],
    "caf\\357\\277\\275",
  );
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal((await home.job(kept.stdout.trim())).command, "cat 'caf\uFFFD'");
});
