#!/bin/sh
# Installs the queuectl release binary for this OS and architecture, after checking it against
# the release's SHA256SUMS.
#
#   curl -fsSL https://github.com/queuectl/queuectl/releases/latest/download/install.sh | sh
#
# Environment:
#   QUEUECTL_VERSION       release tag such as v0.1.0 (default: the latest release)
#   QUEUECTL_REPO          GitHub repository of the releases (default: queuectl/queuectl)
#   QUEUECTL_INSTALL_DIR   where to put queuectl (default: ~/.local/bin)
#   QUEUECTL_DOWNLOAD_URL  where the release files are, instead of GitHub: a mirror, or a
#                          file:// directory
set -eu

fail() {
  printf 'queuectl install: %s\n' "$*" >&2
  exit 1
}

# The release target of this machine, such as x86_64-unknown-linux-gnu.
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release binary for the $arch architecture: use the bundle or deno install instead" ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-gnu" ;;
    Darwin)
      # An x86_64 shell under Rosetta on Apple silicon still gets the native binary.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" = 1 ]; then
        arch=aarch64
      fi
      echo "$arch-apple-darwin"
      ;;
    MINGW* | MSYS* | CYGWIN*)
      [ "$arch" = x86_64 ] || fail "no release binary for Windows on $arch"
      echo "x86_64-pc-windows-msvc"
      ;;
    *) fail "no release binary for $os: use the bundle or deno install instead" ;;
  esac
}

download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$2" "$1" || fail "cannot download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "cannot download $1"
  else
    fail "curl or wget is needed to download $1"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "sha256sum or shasum is needed to verify the download"
  fi
}

repo=${QUEUECTL_REPO:-queuectl/queuectl}
version=${QUEUECTL_VERSION:-latest}
install_dir=${QUEUECTL_INSTALL_DIR:-$HOME/.local/bin}
if [ -n "${QUEUECTL_DOWNLOAD_URL:-}" ]; then
  base_url=${QUEUECTL_DOWNLOAD_URL%/}
elif [ "$version" = latest ]; then
  base_url="https://github.com/$repo/releases/latest/download"
else
  base_url="https://github.com/$repo/releases/download/$version"
fi

target=$(detect_target)
file="queuectl-$target"
name=queuectl
case "$target" in
  *windows*)
    file="$file.exe"
    name=queuectl.exe
    ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

download "$base_url/SHA256SUMS" "$tmp/SHA256SUMS"
expected=$(awk -v file="$file" '$2 == file || $2 == "*" file { print $1 }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || fail "$base_url/SHA256SUMS lists no $file"
download "$base_url/$file" "$tmp/$file"
actual=$(sha256 "$tmp/$file")
[ "$actual" = "$expected" ] ||
  fail "checksum mismatch for $file: expected $expected, got $actual; nothing was installed"

mkdir -p "$install_dir" || fail "cannot create $install_dir"
chmod 755 "$tmp/$file"
mv -f "$tmp/$file" "$install_dir/$name" || fail "cannot write $install_dir/$name"
echo "Installed queuectl ($version, $target) to $install_dir/$name"

case ":$PATH:" in
  *":$install_dir:"*) ;;
  *)
    echo "warning: $install_dir is not on your PATH; add it, e.g. in ~/.profile:" >&2
    echo "  export PATH=\"$install_dir:\$PATH\"" >&2
    ;;
esac
