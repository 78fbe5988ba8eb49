# keyleak: the README's two commands are `make run` and `make test`.
# Every target installs what it needs (idempotent, fast when present).

SHELL   := /bin/bash
CARGO   ?= cargo
SHARED  ?= ../shared
KEYLEAK := target/release/keyleak
BENCH_DIR ?= target/bench-corpus

.PHONY: run test build setup test-setup fuzz test-fixes-real lint test-rust corpus sarif docs bench accuracy wasm www play test-wasm test-browser extension test-extension vsix test-vscode bench-vscode clean

## run: scan the bundled example Flask app (findings are expected: exit 0 unless the scan fails)
run: build
	@$(KEYLEAK) check examples/shop; status=$$?; [ $$status -le 1 ]

## test: format, lints, every test (Rust, wasm in Node, playground in Chromium), corpus scores, SARIF validation
test: setup test-setup lint test-rust corpus sarif test-wasm test-browser test-extension test-vscode
	@echo "make test: all checks passed"

setup:
	@scripts/setup.sh all

# the set-up scripts with every tool hidden, then with every tool present
test-setup:
	@scripts/test-setup.sh

build: setup
	$(CARGO) build --release --locked -p keyleak

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(CARGO) clippy --locked -p keyleak --lib --no-default-features --features wasm -- -D warnings

test-rust: setup
	$(CARGO) test --locked

# The Rust corpus test enforces the thresholds on its own; this also scores
# the corpus with the shared scorer the rule catalogue defines.
corpus: build
	$(KEYLEAK) check tests/corpus --isolated --format sarif -o target/corpus.sarif --exit-zero -q
	@rules=$$($(KEYLEAK) rules --format json | python3 -c 'import json, sys; print(",".join(r["code"] for r in json.load(sys.stdin) if r["default_enabled"]))'); \
	if [ -f $(SHARED)/score.py ]; then \
	  python3 $(SHARED)/score.py tests/corpus target/corpus.sarif --rules $$rules --min-precision 0.95 --min-recall 0.95 | tail -6; \
	elif [ -n "$$CI" ]; then echo "corpus: $(SHARED)/score.py is missing" >&2; exit 1; \
	else echo "corpus: $(SHARED)/score.py not found; skipped the cross-check (cargo test scored the corpus)"; fi

sarif: build
	@scripts/npm-install.sh tests/sarif
	$(KEYLEAK) check examples tests/corpus --isolated --format sarif -o target/examples.sarif --exit-zero -q
	node tests/sarif/validate.mjs target/examples.sarif

## fuzz: coverage-guided fuzzing of check() and of the editor's document edits, FUZZ_SECONDS each (default 300)
FUZZ_SECONDS ?= 300
fuzz: setup
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
	@mkdir -p fuzz/corpus/check fuzz/corpus/document
	@cp -n tests/corpus/*/*.py crate/tests/fuzz-regressions/check-* fuzz/corpus/check/ 2>/dev/null || true
	@cp -n tests/corpus/*/*.py crate/tests/fuzz-regressions/document-* fuzz/corpus/document/ 2>/dev/null || true
	cd fuzz && cargo fuzz run -s none --fuzz-dir . check corpus/check -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048
	cd fuzz && cargo fuzz run -s none --fuzz-dir . document corpus/document -- -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -rss_limit_mb=2048
	@echo "fuzz: no crash; copy any new crash from fuzz/artifacts into crate/tests/fuzz-regressions"

## test-fixes-real: every fix on the pinned PyPI corpus (parses, resolves, converges)
test-fixes-real: build
	@[ -d $(BENCH_DIR)/large ] || bash $(SHARED)/bench/make-corpus.sh $(BENCH_DIR)
	KEYLEAK_FIX_CORPUS=$(abspath $(BENCH_DIR))/large $(CARGO) test --locked --release --test fix_properties -- --ignored --nocapture

## wasm: build crate/pkg (keyleak.js, keyleak_bg.wasm, keyleak.d.ts) for every web host
wasm: setup
	@scripts/build-wasm.sh

test-wasm: wasm build
	@scripts/setup.sh node
	@scripts/npm-install.sh tests/wasm
	cd tests/wasm && node --test api.test.mjs && npx tsc --noEmit -p . && node bench.mjs

## www: build the playground into www/dist
www: wasm
	@scripts/setup.sh node
	@scripts/npm-install.sh www
	cd www && node build.mjs

## play: build the playground and serve it on 127.0.0.1
play: www
	node scripts/serve.mjs www/dist $${PORT:-8000}

test-browser: www build
	@scripts/setup.sh browser
	@scripts/npm-install.sh tests/browser
	cd tests/browser && node --test --test-concurrency=1 playground.test.mjs

## extension: build the browser extension into extension/dist and extension/keyleak-extension.zip
extension: wasm
	@scripts/setup.sh node
	@scripts/npm-install.sh extension
	cd extension && node build.mjs

# Unit tests in Node, the DOM adapters and the unpacked extension in Chromium
# (the fixture raw-content host needs a certificate: openssl makes one).
test-extension: extension
	@scripts/setup.sh browser
	@command -v openssl >/dev/null 2>&1 || { s=""; [ "$$(id -u)" = 0 ] || s=sudo; $$s apt-get install -y -qq openssl >/dev/null; }
	@scripts/npm-install.sh tests/extension
	cd extension && npx tsc --noEmit -p .
	cd tests/extension && node --test --test-concurrency=1 unit.test.mjs dom.test.mjs e2e.test.mjs

## vsix: package the VS Code extension into vscode/keyleak-<version>.vsix (Node and web worker hosts, one wasm)
vsix: wasm
	@scripts/setup.sh node
	@scripts/npm-install.sh vscode
	cd vscode && npx tsc --noEmit -p . && node build.mjs vsix

# Unit tests of the extension's pure parts with the real wasm, then the vsix
# installed into a real VS Code (code-server from npm, in tests/vscode),
# driven in Debian's Chromium, in the Node and the web worker extension hosts.
# code-server's install builds native modules against Node's headers.
test-vscode: vsix
	@scripts/setup.sh vscode
	@npm_config_nodedir=/usr npm_config_yes=true npm_config_unsafe_perm=true scripts/npm-install.sh tests/vscode
	cd vscode && node build.mjs test
	cd tests/vscode && node --test --test-concurrency=1 unit.test.mjs e2e.test.mjs

## bench-vscode: open-to-squiggles and keystroke-to-squiggles in VS Code, on real ~1,000 and ~5,000-line modules
bench-vscode: vsix
	@scripts/setup.sh vscode
	@npm_config_nodedir=/usr npm_config_yes=true npm_config_unsafe_perm=true scripts/npm-install.sh tests/vscode
	@[ -d $(BENCH_DIR)/medium ] || bash $(SHARED)/bench/make-corpus.sh $(BENCH_DIR)
	cd tests/vscode && node bench.mjs $(abspath $(BENCH_DIR))/medium

## docs: regenerate docs/rules.md from the rules' own documentation
docs: build
	$(KEYLEAK) rules --format markdown > docs/rules.md

## accuracy: findings on the pinned real-world corpus, by review verdict (docs/accuracy.md)
accuracy: build
	@[ -d $(BENCH_DIR)/large ] || bash $(SHARED)/bench/make-corpus.sh $(BENCH_DIR)
	python3 scripts/accuracy.py $(BENCH_DIR) $(KEYLEAK) --corpus medium
	python3 scripts/accuracy.py $(BENCH_DIR) $(KEYLEAK) --corpus large

## bench: keyleak beside Ruff, Bandit, Semgrep and detect-secrets (CLI) and Ruff's wasm (editor), into docs/benchmarks.md
bench: build wasm
	@[ -d $(BENCH_DIR)/large ] || bash $(SHARED)/bench/make-corpus.sh $(BENCH_DIR)
	@[ -x target/bench-venv/bin/detect-secrets ] || { python3 -m venv target/bench-venv && \
	  target/bench-venv/bin/pip install -q ruff==0.17.6 bandit==1.9.4 semgrep==1.187.0 detect-secrets==1.5.0; }
	@scripts/setup.sh node
	@scripts/npm-install.sh scripts/bench
	node scripts/bench/editor.mjs $(abspath $(BENCH_DIR))/medium target/bench-editor > target/bench-editor.json
	python3 scripts/bench.py $(BENCH_DIR) $(KEYLEAK) --tools-venv target/bench-venv --runs 3 --editor-json target/bench-editor.json

clean:
	$(CARGO) clean
	rm -rf crate/pkg www/dist www/node_modules tests/*/node_modules tests/out
	rm -rf extension/dist extension/keyleak-extension.zip extension/node_modules
	rm -rf vscode/dist vscode/out vscode/keyleak-*.vsix vscode/node_modules
