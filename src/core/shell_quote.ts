const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for a POSIX shell, leaving it bare when no character needs quoting. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Joins argv words into one POSIX shell command line that reproduces them exactly. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/**
 * The command line that the arguments after `--` stand for. Several are argv words, quoted so
 * that sh sees each as given (`-- ./test.sh "$shard"`). One is the command line itself, as when
 * given before `--`: `-- 'make test'` runs make, not a program named "make test" (as tmux and
 * watch take one argument). A lone program path with spaces is written `-- command "$path"`.
 */
export function commandFromArgs(words: readonly string[]): string {
  return words.length === 1 ? words[0]! : shellJoin(words);
}
