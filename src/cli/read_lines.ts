/** Yields the lines of a byte stream one at a time, holding only the current chunk in memory. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      yield pending.slice(start, end).replace(/\r$/, "");
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  if (pending !== "") yield pending.replace(/\r$/, "");
}
