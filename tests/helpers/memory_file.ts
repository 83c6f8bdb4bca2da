import type { LogSource } from "../../src/cli/log_file.ts";

/** A file in memory that counts the bytes read from it. */
export class MemoryFile implements LogSource {
  bytesRead = 0;
  #at = 0;
  constructor(readonly data: Uint8Array) {}
  seek(offset: number | bigint): Promise<number> {
    this.#at = Number(offset);
    return Promise.resolve(this.#at);
  }
  read(buffer: Uint8Array): Promise<number | null> {
    if (this.#at >= this.data.length) return Promise.resolve(null);
    const bytes = this.data.subarray(this.#at, this.#at + buffer.length);
    buffer.set(bytes);
    this.#at += bytes.length;
    this.bytesRead += bytes.length;
    return Promise.resolve(bytes.length);
  }
  close(): void {}
}
