#!/usr/bin/env bash
# The set-up scripts, tested from nothing and from everything.
#
# `make test` on a fresh machine once failed because a tool's absence made
# setup.sh exit before it installed that tool, and CI (where the tool was
# already installed) never saw it. Here every tool the scripts install is
# hidden: they run with a PATH of basic utilities plus recording stand-ins
# for the installers (rustup, cargo, apt-get, npm), and must ask to install
# each missing tool and finish. Then the same run with every tool present
# must install nothing and be fast. The real installs are what `make test`
# itself does on a fresh machine; this checks the scripts' logic on every
# run, wherever the tools happen to be installed already.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
want_wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)

# basic utilities only: nothing the scripts install
base="$work/base"
mkdir -p "$base"
for tool in bash sh env sed grep awk find head tail id dirname cat cut sha256sum mkdir rm cp ls tr wc sort basename date sleep true false mktemp; do
  src=$(command -v "$tool" || true)
  [ -n "$src" ] && ln -s "$src" "$base/$tool"
done

# a recording stand-in: logs its arguments, prints what $STATE says it has
stub() { # name, script body
  cat >"$2/$1" <<EOF
#!/usr/bin/env bash
echo "$1 \$*" >>"$work/calls"
$3
EOF
  chmod +x "$2/$1"
}

run_case() { # case name, "absent"|"present"
  local bin="$work/$1"
  rm -rf "$bin"
  mkdir -p "$bin"
  : >"$work/calls"
  if [ "$2" = absent ]; then
    stub rustup "$bin" 'exit 0'
    stub cargo "$bin" 'exit 0'
    stub apt-get "$bin" 'exit 0'
    export CHROMIUM="$work/no-chromium"
  else
    stub rustup "$bin" "case \"\$1 \$2\" in
      'toolchain list') echo '$channel-x86_64-unknown-linux-gnu (default)';;
      'component list') printf 'rustfmt-x86_64\nclippy-x86_64\n';;
      'target list') echo wasm32-unknown-unknown;;
    esac"
    stub cargo "$bin" 'exit 0'
    stub apt-get "$bin" 'exit 0'
    for t in clang-19 llvm-ar-19 wasm-opt node npm python3 krb5-config pkg-config rg; do stub "$t" "$bin" 'exit 0'; done
    stub wasm-bindgen "$bin" "echo 'wasm-bindgen $want_wb'"
    stub chromium "$bin" 'exit 0'
    export CHROMIUM="$bin/chromium"
    # an apt cache, so that no `apt-get update` is needed
  fi
  for target in rust wasm node browser vscode all; do
    if ! PATH="$bin:$base" bash scripts/setup.sh "$target" >"$work/out" 2>&1; then
      echo "test-setup: scripts/setup.sh $target failed with the tools $2:" >&2
      cat "$work/out" >&2
      exit 1
    fi
  done
}

expect_call() {
  if ! grep -qF -- "$1" "$work/calls"; then
    echo "test-setup: with nothing installed, setup never ran: $1" >&2
    echo "calls were:" >&2
    cat "$work/calls" >&2
    exit 1
  fi
}

# 1. nothing installed: each tool is asked for, and every target finishes
run_case from-nothing absent
expect_call "rustup toolchain install $channel"
expect_call "rustup target add wasm32-unknown-unknown"
expect_call "apt-get install -y -qq python3"
expect_call "apt-get install -y -qq clang-19 lld-19 llvm-19"
expect_call "apt-get install -y -qq binaryen"
expect_call "cargo install --force wasm-bindgen-cli --version $want_wb"
expect_call "apt-get install -y -qq nodejs npm"
expect_call "apt-get install -y -qq chromium"
expect_call "apt-get install -y -qq libkrb5-dev pkg-config"
expect_call "apt-get install -y -qq ripgrep"

# 2. everything installed: nothing is installed again, quickly
start=$(date +%s%N)
run_case everything present
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if grep -E "install|target add|update" "$work/calls" | grep -v "component list\|toolchain list\|target list" >/dev/null; then
  echo "test-setup: with everything installed, setup still installed:" >&2
  grep -E "install|target add|update" "$work/calls" >&2
  exit 1
fi

# 2b. code-server's ripgrep download is answered from a cache seeded with the system rg
bin="$work/everything"
ln -sf "$(command -v tar)" "$bin/tar"
ln -sf "$(command -v gzip)" "$bin/gzip"
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" PATH="$bin:$base" bash scripts/setup.sh vscode >/dev/null
seeded="$work/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if ! tar -tzf "$seeded" 2>/dev/null | grep -qx rg; then
  echo "test-setup: setup.sh vscode did not seed code-server's ripgrep cache with rg" >&2
  exit 1
fi

# 3. npm packages: installed from the lock file when missing, skipped when current
npmdir="$work/pkg"
mkdir -p "$npmdir"
echo '{"lockfileVersion": 3}' >"$npmdir/package-lock.json"
bin="$work/npm-bin"
mkdir -p "$bin"
: >"$work/calls"
stub npm "$bin" 'mkdir -p node_modules'
PATH="$bin:$base" bash scripts/npm-install.sh "$npmdir" >/dev/null
grep -q "npm ci" "$work/calls" || { echo "test-setup: npm-install.sh did not install a missing node_modules" >&2; exit 1; }
: >"$work/calls"
PATH="$bin:$base" bash scripts/npm-install.sh "$npmdir" >/dev/null
if [ -s "$work/calls" ]; then echo "test-setup: npm-install.sh reinstalled current packages" >&2; exit 1; fi

echo "test-setup: from nothing, every install step runs and every target finishes; with everything present nothing is installed (${ms} ms for 6 targets)"
