const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Joins argv words into one POSIX shell command line that reproduces them exactly. */
export function shellJoin(words: readonly string[]): string {
  return words.map((word) => SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)
    .join(" ");
}
