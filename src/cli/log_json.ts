import { toIso } from "../core/timestamp.ts";
import type { Job } from "../core/job.ts";
import type { LogAttempt, LogFile } from "./log_file.ts";
import type { Output } from "./output.ts";

/** What `logs --json` shows of a log: these attempts, from `from` on. */
export interface LogJsonSource {
  readonly log: LogFile;
  readonly attempts: readonly LogAttempt[];
  readonly from: number;
}

/**
 * Writes `logs --json`: the job's id and state, and each attempt with its output from `from` on
 * (attempts that end before it are left out; none without a log). The output is streamed into
 * its JSON string a megabyte at a time, so that a log larger than a JavaScript string can hold
 * (about 1 GB) prints too; the rest is laid out as `Output.json` lays out any value.
 */
export async function writeLogJson(
  output: Output,
  job: Pick<Job, "id" | "state">,
  source: LogJsonSource | null,
): Promise<void> {
  if (source === null) {
    output.json({ id: job.id, state: job.state, attempts: [] });
    return;
  }
  const { log, attempts, from } = source;
  const kept = attempts.filter(({ range }) => range.end > from);
  // Each output's place in the document, marked by a string no other value can hold.
  const marker = crypto.randomUUID();
  const document = JSON.stringify(
    {
      id: job.id,
      state: job.state,
      attempts: kept.map(({ header }, index) => ({
        attempt: header?.attempt ?? null,
        started_at: header ? toIso(header.startedAt) : null,
        worker: header?.worker ?? null,
        output: `${marker}${index}`,
      })),
    },
    null,
    2,
  );
  const pieces = document.split(new RegExp(`"${marker}(\\d+)"`));
  output.write(pieces[0]!);
  for (let at = 1; at < pieces.length; at += 2) {
    const range = kept[Number(pieces[at])]!.output;
    output.write('"');
    // Bytes as text, as a whole decode would give them: a character split between two pieces
    // is decoded once both are read.
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const bytes = log.chunks({ start: Math.max(from, range.start), end: range.end });
    for await (const chunk of bytes) {
      if (output.readerGone) return;
      output.write(jsonStringBody(decoder.decode(chunk, { stream: true })));
    }
    output.write(`${jsonStringBody(decoder.decode())}"${pieces[at + 1]!}`);
  }
  output.write("\n");
}

/** A string as JSON writes it between its quotes. */
function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
