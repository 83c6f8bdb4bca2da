/**
 * The environment this process was given, without what Deno adds to it at its start: where no
 * `node` is on PATH (or there is no PATH at all: `env -i`, some daemons), Deno puts a directory
 * of its own `node` shim first on PATH and sets DENO_NODE_SHIM_ACTIVE. A job would get them
 * through its worker: with no PATH given, only that directory, where sh would have used its
 * default PATH and found `ls`; with one, a `node` that is Deno.
 */
export function givenEnvironment(): Record<string, string> {
  const env = Deno.env.toObject();
  if (env[SHIM_MARKER] === undefined) return env;
  delete env[SHIM_MARKER];
  const separator = Deno.build.os === "windows" ? ";" : ":";
  const [first, ...rest] = (env.PATH ?? "").split(separator);
  if (first !== undefined && /[\\/]node_compat_bin$/.test(first)) {
    if (rest.length === 0) delete env.PATH;
    else env.PATH = rest.join(separator);
  }
  return env;
}

const SHIM_MARKER = "DENO_NODE_SHIM_ACTIVE";
