const encoder = new TextEncoder();

/** Where a command writes: stdout carries data, stderr hints and errors. */
export interface Output {
  write(text: string): void;
  line(text?: string): void;
  json(value: unknown): void;
}

/** An Output over a Deno stream; a closed pipe (`queuectl list | head`) ends writing quietly. */
export function streamOutput(stream: { writeSync(data: Uint8Array): number }): Output {
  let closed = false;
  const write = (text: string) => {
    if (closed) return;
    let data = encoder.encode(text);
    try {
      while (data.length > 0) data = data.subarray(stream.writeSync(data));
    } catch (error) {
      if (error instanceof Deno.errors.BrokenPipe) closed = true;
      else throw error;
    }
  };
  return {
    write,
    line: (text = "") => write(`${text}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** An Output that keeps what was written, for tests. */
export function memoryOutput(): Output & { readonly text: () => string } {
  let buffer = "";
  const write = (text: string) => {
    buffer += text;
  };
  return {
    write,
    line: (text = "") => write(`${text}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
    text: () => buffer,
  };
}
