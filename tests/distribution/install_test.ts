import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sha256sums } from "../../scripts/sha256sums.ts";
import { type CliResult, decodeOutput } from "../helpers/cli.ts";

const INSTALL_SH = fileURLToPath(new URL("../../scripts/install.sh", import.meta.url));
const POSIX = Deno.build.os !== "windows";

/**
 * A release directory served as file://, a `uname` that reports the machine we pretend to be,
 * and an empty HOME: install.sh runs its real logic with no network.
 */
class Sandbox implements AsyncDisposable {
  private constructor(readonly root: string) {}

  static async create(targets: readonly string[]): Promise<Sandbox> {
    const sandbox = new Sandbox(await Deno.makeTempDir({ prefix: "queuectl-install-" }));
    for (const dir of ["release", "fakebin", "home"]) await Deno.mkdir(`${sandbox.root}/${dir}`);
    const files = [];
    for (const target of targets) {
      const file = `${sandbox.release}/queuectl-${target}`;
      await Deno.writeTextFile(file, `binary for ${target}\n`);
      files.push(file);
    }
    await Deno.writeTextFile(`${sandbox.release}/SHA256SUMS`, await sha256sums(files));
    return sandbox;
  }

  get release(): string {
    return `${this.root}/release`;
  }

  get home(): string {
    return `${this.root}/home`;
  }

  /** Puts an executable named `name` first on PATH. */
  async fake(name: string, script: string): Promise<void> {
    await Deno.writeTextFile(`${this.root}/fakebin/${name}`, `#!/bin/sh\n${script}\n`);
    await Deno.chmod(`${this.root}/fakebin/${name}`, 0o755);
  }

  async install(
    os: string,
    arch: string,
    env: Record<string, string> = {},
  ): Promise<CliResult> {
    await this.fake("uname", `case "$1" in -s) echo ${os} ;; -m) echo ${arch} ;; esac`);
    const output = await new Deno.Command("sh", {
      args: [INSTALL_SH],
      clearEnv: true,
      env: {
        HOME: this.home,
        PATH: `${this.root}/fakebin:${Deno.env.get("PATH")}`,
        QUEUECTL_DOWNLOAD_URL: pathToFileURL(this.release).href,
        ...env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return decodeOutput(output);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Deno.remove(this.root, { recursive: true });
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "install.sh puts the checked Linux binary in ~/.local/bin and warns it is not on PATH",
  ignore: !POSIX,
  async fn() {
    await using box = await Sandbox.create(["x86_64-unknown-linux-gnu", "aarch64-apple-darwin"]);
    const result = await box.install("Linux", "x86_64");
    assert.equal(result.code, 0, result.stderr);
    const installed = `${box.home}/.local/bin/queuectl`;
    assert.equal(await Deno.readTextFile(installed), "binary for x86_64-unknown-linux-gnu\n");
    assert.equal((await Deno.stat(installed)).mode! & 0o777, 0o755);
    assert.equal(
      result.stdout,
      `Installed queuectl (latest, x86_64-unknown-linux-gnu) to ${installed}\n`,
    );
    assert.match(result.stderr, /^warning: .*\/home\/\.local\/bin is not on your PATH/);
  },
});

Deno.test({
  name: "install.sh picks the Apple silicon binary and honours QUEUECTL_INSTALL_DIR on PATH",
  ignore: !POSIX,
  async fn() {
    await using box = await Sandbox.create(["x86_64-unknown-linux-gnu", "aarch64-apple-darwin"]);
    const dir = `${box.root}/tools/bin`;
    const result = await box.install("Darwin", "arm64", {
      QUEUECTL_INSTALL_DIR: dir,
      PATH: `${box.root}/fakebin:${dir}:${Deno.env.get("PATH")}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/queuectl`), "binary for aarch64-apple-darwin\n");
    assert.equal(result.stderr, "");
  },
});

Deno.test({
  name: "install.sh refuses a binary whose checksum does not match and installs nothing",
  ignore: !POSIX,
  async fn() {
    await using box = await Sandbox.create(["x86_64-unknown-linux-gnu"]);
    await Deno.writeTextFile(`${box.release}/queuectl-x86_64-unknown-linux-gnu`, "tampered\n");
    const result = await box.install("Linux", "amd64");
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^queuectl install: checksum mismatch for queuectl-x86_64-unknown-linux-gnu: expected [0-9a-f]{64}, got [0-9a-f]{64}; nothing was installed\n$/,
    );
    assert.ok(!exists(`${box.home}/.local/bin`));
  },
});

Deno.test({
  name: "install.sh stops with one line on a machine without a release binary",
  ignore: !POSIX,
  async fn() {
    await using box = await Sandbox.create(["x86_64-unknown-linux-gnu"]);
    const arch = await box.install("Linux", "riscv64");
    assert.equal(arch.code, 1);
    assert.equal(
      arch.stderr,
      "queuectl install: no release binary for the riscv64 architecture: use the bundle or deno install instead\n",
    );
    const os = await box.install("FreeBSD", "x86_64");
    assert.equal(os.code, 1);
    assert.match(os.stderr, /^queuectl install: no release binary for FreeBSD: /);
    const missing = await box.install("Linux", "aarch64");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /SHA256SUMS lists no queuectl-aarch64-unknown-linux-gnu\n$/);
  },
});

Deno.test({
  name: "install.sh downloads from the GitHub release of QUEUECTL_REPO and QUEUECTL_VERSION",
  ignore: !POSIX,
  async fn() {
    await using box = await Sandbox.create([]);
    // A curl that fails like an unreachable server, so the test needs no network.
    await box.fake("curl", "exit 22");
    const result = await box.install("Linux", "x86_64", {
      QUEUECTL_DOWNLOAD_URL: "",
      QUEUECTL_REPO: "acme/queuectl",
      QUEUECTL_VERSION: "v1.2.3",
    });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      "queuectl install: cannot download https://github.com/acme/queuectl/releases/download/v1.2.3/SHA256SUMS\n",
    );
    const latest = await box.install("Linux", "x86_64", { QUEUECTL_DOWNLOAD_URL: "" });
    assert.match(
      latest.stderr,
      /cannot download https:\/\/github\.com\/queuectl\/queuectl\/releases\/latest\/download\/SHA256SUMS\n$/,
    );
  },
});
