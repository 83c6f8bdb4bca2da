import assert from "node:assert/strict";
import { homeInPasswd } from "../../src/core/paths.ts";
import { cliCommand, decodeOutput, withProgramPath } from "../helpers/cli.ts";

const NOBODY = 65534;
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

Deno.test({
  name: "without HOME (cron, a system unit, env -i), the data directory is in the account's home",
  // As nobody, whose home from /etc/passwd is one it may not write: nothing is created.
  ignore: Deno.build.os !== "linux" || Deno.uid() !== 0 || SETPRIV === undefined,
  fn: async () => {
    const home = homeInPasswd(await Deno.readTextFile("/etc/passwd"), NOBODY);
    assert.ok(home !== null && home !== "/", `nobody's home: ${home}`);
    const [deno, ...args] = withProgramPath(cliCommand());
    const result = decodeOutput(
      await new Deno.Command(SETPRIV!, {
        args: [
          `--reuid=${NOBODY}`,
          `--regid=${NOBODY}`,
          "--clear-groups",
          deno!,
          ...args,
          "enqueue",
          "true",
        ],
        clearEnv: true,
        env: { PATH: "/usr/bin:/bin", NO_COLOR: "1", RUST_BACKTRACE: "0" },
        cwd: "/",
      }).output(),
    );
    // Before, exit 2: "Cannot find a home directory".
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`^queuectl: Cannot create the data directory ${home}/\\.queuectl: `),
    );
  },
});
