/**
 * Strings in the shape C functions take them, for the FFI calls of session_spawn.ts and
 * libc_unlink.ts. Buffers come from `new ArrayBuffer`, whose memory V8 never moves, so a pointer
 * into one stays valid for as long as the buffer is referenced.
 */
const encoder = new TextEncoder();

/** A NUL-terminated string, or null if it contains a NUL (C would cut it short there). */
export function cString(text: string): Uint8Array | null {
  if (text.includes("\0")) return null;
  const encoded = encoder.encode(text);
  const bytes = new Uint8Array(new ArrayBuffer(encoded.length + 1));
  bytes.set(encoded);
  return bytes;
}

/**
 * NUL-terminated strings written one at a time into a buffer kept for the next: for a C function
 * called many times in a row, without cString's two allocations a call (with unlink(2) on a
 * missing file, ~2.5 µs a call against ~4.5–7).
 */
export class CStringBuffer {
  #bytes = new Uint8Array(new ArrayBuffer(256));

  /** As cString, in the kept buffer: the bytes are valid until the next call. */
  of(text: string): Uint8Array | null {
    if (text.includes("\0")) return null;
    // UTF-8 takes at most 3 bytes for a UTF-16 code unit.
    if (this.#bytes.length <= text.length * 3) {
      this.#bytes = new Uint8Array(new ArrayBuffer(text.length * 3 + 1));
    }
    const { written } = encoder.encodeInto(text, this.#bytes);
    this.#bytes[written] = 0;
    return this.#bytes.subarray(0, written + 1);
  }
}

/**
 * A NULL-terminated array of `char *` (argv, envp) in ONE buffer: the pointer table first,
 * the strings after it. Passing that buffer keeps the strings alive for the whole call.
 * Null if a string contains a NUL.
 */
export function cStringArray(texts: readonly string[]): Uint8Array | null {
  const encoded: Uint8Array[] = [];
  for (const text of texts) {
    if (text.includes("\0")) return null;
    encoded.push(encoder.encode(text));
  }
  const tableBytes = (texts.length + 1) * 8;
  const stringBytes = encoded.reduce((sum, bytes) => sum + bytes.length + 1, 0);
  const buffer = new ArrayBuffer(tableBytes + stringBytes);
  const table = new BigUint64Array(buffer, 0, texts.length + 1);
  const bytes = new Uint8Array(buffer);
  const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
  let offset = tableBytes;
  encoded.forEach((string, index) => {
    table[index] = base + BigInt(offset);
    bytes.set(string, offset);
    offset += string.length + 1;
  });
  table[texts.length] = 0n;
  return bytes;
}
