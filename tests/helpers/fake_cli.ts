/**
 * In-process CLI harness: runs `runCli` with a fake context (memory outputs, a fixed clock, a
 * temporary data directory), so that commands are tested without a subprocess.
 */
import type { CliContext } from "../../src/cli/context.ts";
import { memoryOutput } from "../../src/cli/output.ts";
import { runCli } from "../../src/cli/run_cli.ts";
import { homeLayout } from "../../src/core/paths.ts";
import { EmptyStore } from "../../src/store/empty_store.ts";
import { prepareHome } from "../../src/store/home.ts";
import { openStore } from "../../src/store/open_store.ts";
import type { Store } from "../../src/store/store.ts";
import { existsSync } from "node:fs";

export const FIXED_NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

export interface FakeRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the command opened (and so perhaps created) the store. */
  readonly openedStore: boolean;
}

export interface FakeCliOptions {
  readonly now?: () => number;
  readonly stdin?: string;
  readonly env?: Record<string, string>;
  /** Replaces the store, e.g. by one that throws. */
  readonly store?: () => Store;
}

/** A temporary data directory in which CLI invocations run in-process. */
export class FakeCli implements AsyncDisposable {
  readonly home: string;
  #store: Store | undefined;

  private constructor(home: string) {
    this.home = home;
  }

  static async create(): Promise<FakeCli> {
    return new FakeCli(await Deno.makeTempDir({ prefix: "queuectl-unit-" }));
  }

  get databasePath(): string {
    return homeLayout(this.home).database;
  }

  async run(argv: readonly string[], options: FakeCliOptions = {}): Promise<FakeRun> {
    const stdout = memoryOutput();
    const stderr = memoryOutput();
    let openedStore = false;
    const layout = homeLayout(this.home);
    const env = { QUEUECTL_HOME: this.home, ...options.env };
    const context: CliContext = {
      env: (name) => env[name as keyof typeof env],
      cwd: this.home,
      now: options.now ?? (() => FIXED_NOW),
      stdout,
      stderr,
      // A memory output's reader never goes.
      stdoutReaderGone: () => new Promise(() => {}),
      argumentsNotUtf8: () => Promise.resolve([]),
      stdin: ReadableStream.from([new TextEncoder().encode(options.stdin ?? "")]),
      color: false,
      sharedTerminal: false,
      terminalWidth: null,
      layout: () => layout,
      store: () => {
        openedStore = true;
        if (options.store) return options.store();
        if (!this.#store) {
          prepareHome(layout);
          this.#store = openStore(layout.database);
        }
        return this.#store;
      },
      existingStore: () => {
        if (!this.#store && !options.store && !existsSync(layout.database)) return null;
        return context.store();
      },
      storeOrEmpty: () => context.existingStore() ?? new EmptyStore(layout.database),
      close: () => {},
    };
    const code = await runCli(argv, context);
    return { code, stdout: stdout.text(), stderr: stderr.text(), openedStore };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#store?.close();
    await Deno.remove(this.home, { recursive: true });
  }
}
