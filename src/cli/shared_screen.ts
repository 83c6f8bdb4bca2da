import type { CliContext } from "./context.ts";
import type { Output } from "./output.ts";

/**
 * A job's output on stdout and queuectl's own lines on stderr, for a command that interleaves
 * them (`run`). When both are one terminal, a line of queuectl's after output that ended
 * mid-line (`printf partial; exit 1`) would end that line on screen: it starts a line of its own.
 * Apart, each stream stays exactly as written.
 */
export interface SharedScreen {
  /** Where the job's output goes: stdout, its line ends watched. */
  readonly output: Output;
  /** Writes one of queuectl's lines to stderr. */
  note(line: string): void;
}

export function sharedScreen(context: CliContext): SharedScreen {
  const stdout = context.stdout;
  let midLine = false;
  const output: Output = {
    write(text) {
      stdout.write(text);
      if (text !== "") midLine = !text.endsWith("\n");
    },
    writeBytes(data) {
      stdout.writeBytes(data);
      if (data.length > 0) midLine = data[data.length - 1] !== 0x0a;
    },
    line(text) {
      stdout.line(text);
      midLine = false;
    },
    json(value) {
      stdout.json(value);
      midLine = false;
    },
    get readerGone() {
      return stdout.readerGone;
    },
  };
  return {
    output,
    note(line) {
      context.stderr.line(midLine && context.sharedTerminal ? `\n${line}` : line);
      midLine = false;
    },
  };
}
