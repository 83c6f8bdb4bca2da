const encoder = new TextEncoder();

/**
 * The exit status of a command that stopped because stdout's reader went away before it was done
 * (`queuectl run -- cmd | head -1`, `queuectl wait $ids | head -1`): that of a process killed by
 * SIGPIPE, as the outcome it waited for is not known yet.
 */
export const EXIT_READER_GONE = 141;

/** Where a command writes: stdout carries data, stderr hints and errors. */
export interface Output {
  write(text: string): void;
  /** Bytes as they are: a job's output, which need not be UTF-8. */
  writeBytes(data: Uint8Array): void;
  line(text?: string): void;
  json(value: unknown): void;
  /**
   * Whether the reader has gone (a closed pipe, seen on a write): what is written from then on
   * is dropped, so a command that streams for long stops.
   */
  readonly readerGone: boolean;
}

/** An Output over a Deno stream; a closed pipe (`queuectl list | head`) ends writing quietly. */
export function streamOutput(stream: { writeSync(data: Uint8Array): number }): Output {
  let readerGone = false;
  const writeBytes = (bytes: Uint8Array) => {
    if (readerGone) return;
    let data = bytes;
    try {
      while (data.length > 0) data = data.subarray(stream.writeSync(data));
    } catch (error) {
      if (error instanceof Deno.errors.BrokenPipe) readerGone = true;
      else throw error;
    }
  };
  const write = (text: string) => writeBytes(encoder.encode(text));
  return {
    write,
    writeBytes,
    line: (text = "") => write(`${text}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
    get readerGone() {
      return readerGone;
    },
  };
}

/** An Output that keeps what was written, for tests. */
export function memoryOutput(): Output & {
  readonly text: () => string;
  readonly bytes: () => Uint8Array;
} {
  const chunks: Uint8Array[] = [];
  const writeBytes = (data: Uint8Array) => {
    chunks.push(data.slice());
  };
  const write = (text: string) => writeBytes(encoder.encode(text));
  const bytes = () => {
    const all = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  };
  return {
    write,
    writeBytes,
    line: (text = "") => write(`${text}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
    readerGone: false,
    text: () => new TextDecoder().decode(bytes()),
    bytes,
  };
}
