import assert from "node:assert/strict";
import { compileBase, HOST_TARGET, TARGETS } from "../../scripts/compile_base.ts";
import { runScript } from "../helpers/scripts.ts";

async function withOutdir(fn: (outdir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "queuectl-build-" });
  try {
    await fn(`${dir}/out`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.equal(stderr.split("\n").length, 2, `not one line: ${stderr}`);
  assert.match(stderr, pattern);
}

function listing(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

Deno.test("build refuses an unknown target with a usage error", async () => {
  const result = await runScript("build.ts", ["--target", "sparc-sun-solaris"]);
  assert.equal(result.code, 2);
  assertOneLine(result.stderr, /^build: Unknown target "sparc-sun-solaris": one of x86_64-/);
});

Deno.test("build stops with one line when DENORT_BIN names no file", async () => {
  await withOutdir(async (outdir) => {
    const result = await runScript(
      "build.ts",
      ["--target", HOST_TARGET, "--outdir", outdir],
      { DENORT_BIN: `${outdir}/no-such-denort` },
    );
    assert.equal(result.code, 1);
    assertOneLine(result.stderr, /DENORT_BIN=".*no-such-denort" does not exist; set DENORT_BIN/);
    assert.deepEqual(listing(outdir), []);
  });
});

Deno.test("build never leaves a binary that is not queuectl (DENORT_BIN set to deno)", async () => {
  await withOutdir(async (outdir) => {
    const result = await runScript(
      "build.ts",
      ["--target", HOST_TARGET, "--outdir", outdir],
      { DENORT_BIN: Deno.execPath() },
    );
    assert.equal(result.code, 1);
    assertOneLine(result.stderr, /does not run as queuectl .*so it was removed: DENORT_BIN=/);
    assert.deepEqual(listing(outdir), ["queuectl.js"]);
  });
});

const OTHER_TARGET = TARGETS.find((target) => target !== HOST_TARGET)!;
const otherBase = await compileBase(OTHER_TARGET, () => undefined);

Deno.test({
  name: otherBase.available
    ? "build explains a missing compile base (skipped: the base can be fetched here)"
    : `build of ${OTHER_TARGET} stops with one line when its compile base cannot be fetched`,
  ignore: otherBase.available,
  async fn() {
    await withOutdir(async (outdir) => {
      const result = await runScript("build.ts", ["--target", OTHER_TARGET, "--outdir", outdir]);
      assert.equal(result.code, 1);
      assertOneLine(
        result.stderr,
        new RegExp(`^build: Cannot build ${OTHER_TARGET}: .* cannot be downloaded .*DENORT_BIN=`),
      );
      assert.deepEqual(listing(outdir), []);
    });
  },
});
