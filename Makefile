# keyleak: the README's two commands are `make run` and `make test`.
# Every target installs what it needs (idempotent, fast when present).

SHELL   := /bin/bash
CARGO   ?= cargo
SHARED  ?= ../shared
KEYLEAK := target/release/keyleak
RULES   := KL101,KL201,KL203,KL301,KL402
BENCH_DIR ?= target/bench-corpus

.PHONY: run test build setup lint test-rust corpus sarif docs bench clean

## run: scan the bundled example Flask app (findings are expected: exit 0 unless the scan fails)
run: build
	@$(KEYLEAK) check examples/shop; status=$$?; [ $$status -le 1 ]

## test: format, lints, every test, corpus scores, SARIF validation
test: setup lint test-rust corpus sarif
	@echo "make test: all checks passed"

setup:
	@scripts/setup.sh all

build: setup
	$(CARGO) build --release --locked -p keyleak

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

test-rust: setup
	$(CARGO) test --locked

# The Rust corpus test enforces the thresholds on its own; this also scores
# the corpus with the shared scorer the rule catalogue defines.
corpus: build
	$(KEYLEAK) check tests/corpus --isolated --format sarif -o target/corpus.sarif --exit-zero -q
	@if [ -f $(SHARED)/score.py ]; then \
	  python3 $(SHARED)/score.py tests/corpus target/corpus.sarif --rules $(RULES) --min-precision 0.95 --min-recall 0.95 | tail -6; \
	elif [ -n "$$CI" ]; then echo "corpus: $(SHARED)/score.py is missing" >&2; exit 1; \
	else echo "corpus: $(SHARED)/score.py not found; skipped the cross-check (cargo test scored the corpus)"; fi

sarif: build
	@scripts/npm-install.sh tests/sarif
	$(KEYLEAK) check examples tests/corpus --isolated --format sarif -o target/examples.sarif --exit-zero -q
	node tests/sarif/validate.mjs target/examples.sarif

## docs: regenerate docs/rules.md from the rules' own documentation
docs: build
	$(KEYLEAK) rules --format markdown > docs/rules.md

## bench: time keyleak on the pinned real-world corpus, beside ruff and bandit
bench: build
	@[ -d $(BENCH_DIR)/medium ] || bash $(SHARED)/bench/make-corpus.sh $(BENCH_DIR)
	@[ -x target/bench-venv/bin/bandit ] || { python3 -m venv target/bench-venv && \
	  target/bench-venv/bin/pip install -q ruff==0.17.6 bandit==1.9.4; }
	python3 scripts/bench.py $(BENCH_DIR) $(KEYLEAK) --tools-venv target/bench-venv --runs 5

clean:
	$(CARGO) clean
	rm -rf tests/sarif/node_modules
