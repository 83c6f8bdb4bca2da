import { basename } from "node:path";

/** The lines of a `SHA256SUMS` file for `paths`, in the format `sha256sum -c` reads. */
export async function sha256sums(paths: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const path of paths) {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
    const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0"))
      .join("");
    lines.push(`${hex}  ${basename(path)}\n`);
  }
  return lines.join("");
}
