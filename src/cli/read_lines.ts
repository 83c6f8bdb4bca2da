/**
 * Yields the lines of a byte stream, those complete in each chunk together: one await per
 * chunk, not per line. Holds only the current chunk and a partial line in memory. Drops the CR
 * of CRLF line ends and a UTF-8 byte order mark.
 */
export async function* readLineBatches(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of chunks) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    pending = lines.pop()!;
    if (lines.length > 0) yield withoutCr(lines);
  }
  pending += decoder.decode();
  if (pending !== "") yield withoutCr([pending]);
}

function withoutCr(lines: string[]): string[] {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.endsWith("\r")) lines[index] = line.slice(0, -1);
  }
  return lines;
}
