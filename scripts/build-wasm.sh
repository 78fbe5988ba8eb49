#!/usr/bin/env bash
# Build the WebAssembly package: crate/pkg/{keyleak.js, keyleak_bg.wasm, keyleak.d.ts}.
# tree-sitter's C code is compiled with clang-19 for wasm32, against the tiny
# libc headers that ship inside the tree-sitter-language crate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm

lang_dir=$(cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([p for p in d["packages"] if p["name"] == "tree-sitter-language"][0]["manifest_path"].rsplit("/", 1)[0])')
export CC_wasm32_unknown_unknown=clang-19
export AR_wasm32_unknown_unknown=llvm-ar-19
export CFLAGS_wasm32_unknown_unknown="-I$lang_dir/wasm/include -Oz"

cargo build --locked -p keyleak --lib --target wasm32-unknown-unknown --profile release-wasm \
  --no-default-features --features wasm
# wasm-opt runs before wasm-bindgen: Debian's binaryen 108 rewrites the
# externref table that wasm-bindgen 0.2.130 emits, and the module then fails
# to instantiate ("Table.set(): Argument 1 is invalid").
opt=target/wasm32-unknown-unknown/release-wasm/keyleak.opt.wasm
# --converge repeats -Oz until it stops shrinking (about 0.5 KB gzipped)
wasm-opt -Oz --converge --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals target/wasm32-unknown-unknown/release-wasm/keyleak.wasm -o "$opt"
rm -rf crate/pkg
# the function-name and producers sections only serve debuggers and telemetry
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir crate/pkg --out-name keyleak "$opt"
raw=$(stat -c %s crate/pkg/keyleak_bg.wasm)
gz=$(gzip -9 -c crate/pkg/keyleak_bg.wasm | wc -c)
echo "crate/pkg/keyleak_bg.wasm: $raw bytes raw, $gz bytes gzipped (budget 409600)"
if [ "$gz" -gt 409600 ]; then echo "wasm over the 400 KB gzipped budget" >&2; exit 1; fi
