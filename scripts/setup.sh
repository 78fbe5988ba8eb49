#!/usr/bin/env bash
# Install what the build and tests need, idempotently: fast when present.
#   scripts/setup.sh rust   the pinned Rust toolchain, components and targets
#   scripts/setup.sh node   Node.js and npm (for the SARIF validator and the web hosts)
#   scripts/setup.sh vscode  Chromium, and what code-server's npm install needs (tests/vscode)
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if ! need apt-get; then echo "setup: please install: $*" >&2; exit 1; fi
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' 2>/dev/null | head -1)" ] || $sudo apt-get update -qq
  $sudo apt-get install -y -qq "$@" >/dev/null
}

case "${1:-all}" in
  rust|all)
    channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
    if ! need rustup; then
      echo "setup: rustup is required (https://rustup.rs); this project pins Rust $channel" >&2
      exit 1
    fi
    if ! rustup toolchain list | grep -q "^$channel"; then
      rustup toolchain install "$channel" --profile minimal -c rustfmt,clippy
    fi
    installed=$(rustup component list --installed --toolchain "$channel")
    for c in rustfmt clippy; do
      grep -q "^$c" <<<"$installed" || rustup component add "$c" --toolchain "$channel"
    done
    rustup target list --installed --toolchain "$channel" | grep -q '^wasm32-unknown-unknown$' \
      || rustup target add wasm32-unknown-unknown --toolchain "$channel"
    need python3 || apt_install python3
    ;;&
  wasm)
    "$0" rust
    need clang-19 && need llvm-ar-19 || apt_install clang-19 lld-19 llvm-19
    need wasm-opt || apt_install binaryen
    # wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock
    want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
    # `|| true`: with pipefail, a missing wasm-bindgen (exit 127) must mean
    # "install it", not "stop the script"
    have=$( { wasm-bindgen --version 2>/dev/null || true; } | awk '{print $2}')
    if [ "$have" != "$want" ]; then
      echo "setup: installing wasm-bindgen-cli $want (a few minutes, once)" >&2
      # --force: cargo skips a crate its registry lists as installed even
      # when the binary is gone (no --locked: a dependency the release pinned,
      # webpki-roots 1.0.11, is not in the index this machine reaches)
      cargo install --force wasm-bindgen-cli --version "$want"
    fi
    ;;
  node|all)
    if [ "${1:-all}" != rust ]; then
      need node && need npm || apt_install nodejs npm
    fi
    ;;
  browser)
    "$0" node
    [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
    ;;
  vscode)
    # code-server (tests/vscode) builds kerberos against libkrb5 with
    # pkg-config, and its @vscode/ripgrep postinstall downloads rg, which
    # cannot work here: seed that download's cache with Debian's rg.
    "$0" browser
    need krb5-config && need pkg-config || apt_install libkrb5-dev pkg-config
    need rg || apt_install ripgrep
    cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
    tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
    if [ ! -s "$tarball" ] && need rg && need tar; then
      tmp=$(mktemp -d)
      cp "$(command -v rg)" "$tmp/rg"
      mkdir -p "$cache"
      tar -C "$tmp" -czf "$tarball" rg
      rm -rf "$tmp"
    fi
    ;;
esac
