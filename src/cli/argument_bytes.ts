/**
 * The positions (from 0) of the arguments that were not valid UTF-8 as given. Deno hands each one
 * over with every bad byte replaced by U+FFFD, so `enqueue -- cat "$latin1_name"` would store, and
 * run, another file name. On Linux the process's own command line can be read back as bytes;
 * elsewhere nothing is found. Only an argument holding U+FFFD (which a valid one may hold too) is
 * looked at; the arguments are the command line's last ones, whatever ran the program.
 */
export function argumentsNotUtf8(args: readonly string[]): number[] {
  let raw: Uint8Array;
  try {
    raw = Deno.readFileSync("/proc/self/cmdline");
  } catch {
    return [];
  }
  const words: Uint8Array[] = [];
  for (let start = 0; start < raw.length;) {
    const end = raw.indexOf(0, start);
    const stop = end === -1 ? raw.length : end;
    words.push(raw.subarray(start, stop));
    start = stop + 1;
  }
  const given = words.slice(words.length - args.length);
  const strict = new TextDecoder("utf-8", { fatal: true });
  return args.flatMap((arg, index) => {
    if (!arg.includes("\uFFFD") || given.length !== args.length) return [];
    try {
      strict.decode(given[index]);
      return [];
    } catch {
      return [index];
    }
  });
}
