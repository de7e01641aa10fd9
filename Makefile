# config-delivery-guard: the entry points. `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VENV ?= .venv
PYTHON := $(VENV)/bin/python
# One target directory for every build (debug, tests, cargo lambda); CI points it outside the clone.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
# cargo-lambda and zig come from the venv (PyPI packages cargo-lambda and ziglang).
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
DIST ?= dist

.PHONY: browser help venv build lint unit e2e test demo emulator package package-check bench clean

help:
	@echo "make demo     build, start the local AWS emulator with broken pipelines, run the rule, show verdicts"
	@echo "make test     lint, unit and SDK tests, end-to-end tests against the emulator, packaging"
	@echo "make package  $(DIST)/<arch>/bootstrap.zip with cargo lambda (x86_64; arm64 if its target is installed)"
	@echo "make lint     cargo fmt --check and clippy -D warnings"
	@echo "make bench    package size, CLI wall time and peak RSS against the emulator, evaluator speed"
	@echo "make emulator the local AWS emulator in the foreground (PORT=4566 OVERRIDES=file.json)"

venv: $(VENV)/.installed

$(VENV)/.installed: tests/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

build:
	cargo build --bins

# Debian's Chromium for the HTML report test (playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
		echo "installing Debian's chromium for the HTML report test"; \
		$$(command -v sudo || true) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$(command -v sudo || true) apt-get install -y -qq chromium >/dev/null; }

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

unit:
	cargo test

e2e: venv build browser
	cd tests && ../$(PYTHON) -m pytest

demo: venv build
	$(PYTHON) tests/emulator/demo.py

PORT ?= 4566
OVERRIDES ?= $(CURDIR)/.emulator-overrides.json
emulator: venv
	$(PYTHON) tests/emulator/launcher.py --port $(PORT) --overrides $(OVERRIDES)

package: venv
	cargo lambda build --release --bin bootstrap --output-format zip --x86-64 --lambda-dir $(DIST)/x86_64
	@if rustup target list --installed 2>/dev/null | grep -q '^aarch64-unknown-linux-gnu$$'; then \
		cargo lambda build --release --bin bootstrap --output-format zip --arm64 --lambda-dir $(DIST)/arm64; \
	else \
		echo "arm64 skipped: 'rustup target add aarch64-unknown-linux-gnu' to build it"; \
	fi
	@ls -l $(DIST)/*/bootstrap/bootstrap.zip

# The packaged bootstrap, not the debug build, serves one invocation against the emulator.
package-check: package venv
	cd tests && ../$(PYTHON) -m pytest -q package/

test: lint unit e2e package-check

# Release builds, then the figures of bench/run.py (table on stdout, JSON in bench/results.json).
bench: package venv
	cargo build --release --bin delivery-guard --bin bootstrap --example evaluator_bench --example hello_lambda
	$(PYTHON) bench/run.py

clean:
	cargo clean
	rm -rf $(DIST)
