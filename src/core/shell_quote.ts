const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for a POSIX shell, leaving it bare when no character needs quoting. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Joins argv words into one POSIX shell command line that reproduces them exactly. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
