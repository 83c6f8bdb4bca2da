import { cliCommand, type HomeOptions } from "./cli.ts";

/** nobody and nogroup on Linux. */
const NOBODY = 65534;

/**
 * How to run the CLI as a user that file modes apply to, for the tests of files it may not
 * write: root may write any file whatever its mode. Run as root, the CLI runs as nobody through
 * setpriv (util-linux), its home given to nobody; run as another user, as it is. Null where
 * neither can be: not Linux, or root without setpriv.
 */
export function unprivilegedHome(): HomeOptions | null {
  if (Deno.build.os !== "linux") return null;
  if (Deno.uid() !== 0) return {};
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
  if (setpriv === undefined) return null;
  return {
    command: [
      setpriv,
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      "--clear-groups",
      ...cliCommand(),
    ],
    owner: NOBODY,
  };
}
