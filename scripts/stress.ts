/**
 * A randomized stress campaign against the real CLI, run by hand (not part of `deno task test`):
 *
 *   deno run -A scripts/stress.ts --seed 7 --duration 3m [--actors 3] [--profile mixed] [--keep]
 *
 * Actors enqueue jobs with random options, start, stop and SIGKILL workers, cancel, retry,
 * pause and limit queues, prune and change settings, all at once, in a temporary home; each
 * job appends its starts and ends to a ledger. Then a burst worker drains the queues and the
 * run checks the promises of README's "Guarantees" and of the queue commands (scripts/stress/).
 * Exits 1 when a check failed, keeping the directory for a look; --keep keeps it always.
 */
import { parseDuration } from "../src/core/duration.ts";
import { PROFILES, runCampaign } from "./stress/campaign.ts";
import { summarizeCalls } from "./stress/summary.ts";

const encoder = new TextEncoder();

function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

function progress(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

function usage(message: string): never {
  progress(`stress: ${message}`);
  progress(
    "usage: deno run -A scripts/stress.ts --seed <n> --duration <d> [--actors n] [--profile p] [--keep]",
  );
  Deno.exit(2);
}

function parseArgs(args: readonly string[]) {
  let seed = 1;
  let durationMs = 60_000;
  let actors = 3;
  let keep = false;
  let profile = "mixed";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => args[++i] ?? usage(`${arg} needs a value`);
    if (arg === "--seed") seed = Number(value());
    else if (arg === "--duration") durationMs = parseDuration(value(), "--duration");
    else if (arg === "--actors") actors = Number(value());
    else if (arg === "--profile") profile = value();
    else if (arg === "--keep") keep = true;
    else usage(`unknown argument "${arg}"`);
  }
  if (!Number.isInteger(seed) || seed < 0) usage("--seed needs a whole number");
  if (!Number.isInteger(actors) || actors < 1) usage("--actors needs a whole number ≥ 1");
  if (!(profile in PROFILES)) usage(`--profile is one of ${Object.keys(PROFILES).join(", ")}`);
  return { seed, durationMs, actors, profile, keep };
}

const options = parseArgs(Deno.args);
const result = await runCampaign({ ...options, progress });
const { history, cli, runs, violations } = result;
say(
  `seed ${options.seed}, ${
    options.durationMs / 1000
  }s, ${options.actors} actors, profile ${options.profile}`,
);
say(
  `operations: ${
    [...history.operations].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) =>
      `${name} ${n}`
    ).join(", ")
  }`,
);
say(
  `${history.ids.length} jobs enqueued, ${runs.length} attempt runs, ${history.kills} workers SIGKILLed, ${history.stallWindows.length} stalled, ${cli.calls.length} CLI calls; burst worker exit ${result.burstCode}`,
);
for (const line of summarizeCalls(cli.calls)) say(line);
say(`${violations.length} violations`);
for (const violation of violations) say(`  ${violation.rule}: ${violation.detail}`);
if (options.keep || violations.length > 0) {
  // For a look at what led there: every call, and what the checks knew of the run.
  await Deno.writeTextFile(
    `${result.directory}/calls.ndjson`,
    cli.calls.map((call) => JSON.stringify(call)).join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${result.directory}/history.json`,
    JSON.stringify(
      history,
      (_, value) => value instanceof Set ? [...value] : value instanceof Map ? [...value] : value,
      1,
    ),
  );
  say(`kept ${result.directory} (calls.ndjson, history.json, ledger, home)`);
} else await Deno.remove(result.directory, { recursive: true });
Deno.exit(violations.length > 0 ? 1 : 0);
