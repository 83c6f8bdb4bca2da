import { homeInPasswd, type HomeLayout, homeLayout, resolveHome } from "../core/paths.ts";
import { databaseExists, prepareHome } from "../store/home.ts";
import { openStore } from "../store/open_store.ts";
import { EmptyStore } from "../store/empty_store.ts";
import type { ExistingDataStore, Store } from "../store/store.ts";
import { type Output, streamOutput } from "./output.ts";

/** Everything a command touches outside itself, passed in so tests can replace it. */
export interface CliContext {
  readonly env: (name: string) => string | undefined;
  readonly cwd: string;
  readonly now: () => number;
  readonly stdout: Output;
  /**
   * Resolves once stdout's reader has gone, seen without writing (a pipe's reading end closed),
   * for a command that may write nothing for long; never where that cannot be seen (a file, a
   * terminal): a write still finds it (`Output.readerGone`).
   */
  readonly stdoutReaderGone: () => Promise<void>;
  readonly stderr: Output;
  /** Which of `args`, the program's arguments, were not valid UTF-8 as given (argument_bytes.ts). */
  readonly argumentsNotUtf8: (args: readonly string[]) => Promise<number[]>;
  readonly stdin: ReadableStream<Uint8Array>;
  /** Colour on stdout: a terminal and no NO_COLOR. */
  readonly color: boolean;
  /** stdout and stderr are both terminals: their lines meet on one screen. */
  readonly sharedTerminal: boolean;
  /** The terminal's width, or null when stdout is not a terminal. */
  readonly terminalWidth: number | null;
  readonly layout: () => HomeLayout;
  /** Opens the store on first use (creating the data directory); later calls share it. */
  readonly store: () => Store;
  /**
   * The store if its database exists, else null and nothing created: for a command that only
   * needs jobs that exist already, of which a missing database has none.
   */
  readonly existingStore: () => Store | null;
  /**
   * The store if its database exists, else an empty one and nothing created: for a command that
   * reads, or changes only what exists already, of which a missing database has nothing. It
   * answers as on an empty database.
   */
  readonly storeOrEmpty: () => ExistingDataStore;
  readonly close: () => void;
}

export function processContext(): CliContext {
  const env = (name: string) => Deno.env.get(name);
  let isTerminal: boolean | undefined;
  const stdoutIsTerminal = () => isTerminal ??= Deno.stdout.isTerminal();
  let color: boolean | undefined;
  let layout: HomeLayout | undefined;
  let store: Store | undefined;
  let prepared = false;
  const getLayout = () =>
    layout ??= homeLayout(resolveHome(env, Deno.build.os, Deno.cwd, accountHome));
  const openDatabase = () => store ??= openStore(getLayout().database);
  // An existing database is all a reading command needs: it creates no directory, so that one
  // missing or in the way (a file named `workers`) concerns only the commands that use it.
  const existingStore = () => store ?? (databaseExists(getLayout()) ? openDatabase() : null);
  const openHome = () => {
    if (!prepared) {
      prepareHome(getLayout());
      prepared = true;
    }
    return openDatabase();
  };
  return {
    env,
    // Getters: each Deno API costs its first call ~0.1–0.3 ms, and many commands need none of
    // these (`status --json`, `enqueue --quiet` from a script).
    get cwd() {
      return Deno.cwd();
    },
    now: Date.now,
    stdout: streamOutput(Deno.stdout),
    // Imported when called: only following commands need it, and it binds the C library.
    stdoutReaderGone: async () => {
      const { stdoutReaderGone }: typeof import("./stdout_reader.ts") = await import(
        new URL("./stdout_reader.ts", import.meta.url).href
      );
      return await stdoutReaderGone();
    },
    stderr: streamOutput(Deno.stderr),
    // Deno gives a byte that is not UTF-8 as U+FFFD: only then are the bytes read back.
    argumentsNotUtf8: async (args) => {
      if (!args.some((arg) => arg.includes("\uFFFD"))) return [];
      const { argumentsNotUtf8 }: typeof import("./argument_bytes.ts") = await import(
        new URL("./argument_bytes.ts", import.meta.url).href
      );
      return argumentsNotUtf8(args);
    },
    // A getter: the first `Deno.stdin.readable` loads Deno's web streams, ~7 ms measured here,
    // which only `enqueue --file -` needs.
    get stdin() {
      return Deno.stdin.readable;
    },
    get color() {
      return color ??= stdoutIsTerminal() && !env("NO_COLOR");
    },
    get sharedTerminal() {
      return stdoutIsTerminal() && Deno.stderr.isTerminal();
    },
    get terminalWidth() {
      return stdoutIsTerminal() ? Deno.consoleSize().columns : null;
    },
    layout: getLayout,
    store: openHome,
    existingStore,
    storeOrEmpty: () => existingStore() ?? new EmptyStore(getLayout().database),
    // The process exits right after (main.ts).
    close: () => store?.closeBeforeExit(),
  };
}

/**
 * This process's user's home directory from /etc/passwd (users of a directory service are not
 * there: null), read only when HOME is unset. Here rather than in a module of its own: every
 * command loads this one, and a module costs the source form's start ~0.3 ms.
 */
function accountHome(): string | null {
  const uid = Deno.uid();
  if (uid === null) return null;
  try {
    return homeInPasswd(Deno.readTextFileSync("/etc/passwd"), uid);
  } catch {
    return null;
  }
}
