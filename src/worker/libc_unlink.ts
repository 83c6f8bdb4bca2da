import { CStringBuffer } from "./c_strings.ts";

/**
 * unlink(2) through Deno's FFI, for removing files of which most do not exist (the stale logs
 * of stale_job_logs.ts): it tells a missing file by errno, where Deno.removeSync throws, and the
 * throw is what costs (~20 µs a missing file against ~3 µs here, measured with 100,000). Linux
 * only, where ENOENT is the same on every ABI; elsewhere, and without FFI permission, there is
 * no binding. Only that bulk path loads this module: the library is opened at first use.
 */
const SYMBOLS = {
  unlink: { parameters: ["buffer"], result: "i32" },
  // The calling thread's errno (glibc, musl). Calls without `nonblocking` run on the JS thread,
  // so its address, taken once, holds each unlink's errno until the next call.
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** asm-generic/errno-base.h. */
const ENOENT = 2;

/**
 * Unlinks `path`: true when no file is left there (removed, or there was none), false when the
 * unlink failed otherwise (a directory, no permission, a NUL in the path), for the caller to
 * remove it or report why in Deno's terms.
 */
export type UnlinkFile = (path: string) => boolean;

/** Kept referenced for the life of the process: the symbols point into the loaded library. */
let library: Deno.DynamicLibrary<typeof SYMBOLS> | null | undefined;

/** The unlink, its library opened once; null where it cannot or may not be used. */
export function libcUnlink(): UnlinkFile | null {
  if (library === undefined) library = openLibc();
  if (library === null) return null;
  const { unlink, __errno_location } = library.symbols;
  const errnoAddress = __errno_location();
  if (errnoAddress === null) return null;
  const errno = new Deno.UnsafePointerView(errnoAddress);
  const paths = new CStringBuffer();
  return (path) => {
    const bytes = paths.of(path);
    return bytes !== null && (unlink(bytes) === 0 || errno.getInt32() === ENOENT);
  };
}

function openLibc(): Deno.DynamicLibrary<typeof SYMBOLS> | null {
  if (Deno.build.os !== "linux") return null;
  // Without a grant, dlopen would prompt on a terminal or throw: the caller unlinks the Deno way.
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
  try {
    return Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return null;
  }
}
