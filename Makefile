# CarbonChain: every target sets up what is missing first (tools/setup.sh is idempotent).
SHELL := /bin/bash
VENV  := $(CURDIR)/.venv
APE   := $(VENV)/bin/ape
export PATH := $(VENV)/bin:$(PATH)
# This checkout's solc launchers (tools/solc/install-launcher.sh): never another clone's.
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
# `make node PORT=8546`: the port of the persistent local node.
PORT ?= 8545

.PHONY: setup lint demo test test-fast test-anvil bench node clean build-london build-hardhat test-london \
        test-london-e2e test-hardhat test-hardhat-e2e test-portable test-portable-ci

setup:
	@bash tools/setup.sh

## Slither over every contract (tools/lint/slither-triage.txt explains each accepted finding).
lint: setup
	$(CURDIR)/.venv-lint/bin/python tools/lint/slither_check.py

## The main job: the end-to-end notary demo on a local anvil node (Ape starts and stops it).
demo: setup
	$(APE) run demo

## All tests: unit tests and scenarios on Ape's in-process provider, then the end-to-end flows (README
## commands included) and the gas snapshot on a real anvil node; both run, and either failing fails.
test: setup lint
	@status=0; \
	$(APE) test tests scenarios --network ethereum:local:test \
	    --ignore=tests/e2e --ignore=tests/unit/test_gas_snapshot.py || status=1; \
	$(APE) test tests/e2e tests/unit/test_gas_snapshot.py --network ethereum:local:foundry || status=1; \
	exit $$status

## Only the anvil half of `make test`.
test-anvil: setup
	$(APE) test tests/e2e tests/unit/test_gas_snapshot.py --network ethereum:local:foundry

test-fast: setup
	$(APE) test tests scenarios --network ethereum:local:test -x -q

## Portability (docs/networks.md): the conservative build (OpenZeppelin 5.3, evm london) with its
## opcode check, then the e2e suite and the demo on anvil --hardfork london and on Hardhat's node (EDR)
## through Ape's generic JSON-RPC provider.
HARDHAT_PORT ?= 8555
HARDHAT_RUN   = cd profiles/hardhat && CARBONCHAIN_HARDHAT_PORT=$(HARDHAT_PORT) bash ../../tools/hardhat/run.sh
HARDHAT_E2E   = $(APE) test tests/e2e --network ethereum:hardhat:node --disable-isolation
build-london: setup
	cd profiles/london && $(APE) compile --force   # Ape rebuilds changed files only, not their importers
	$(VENV)/bin/python tools/check_opcodes.py profiles/london/.build/__local__.json

## profiles/hardhat compiles the default build into its own .build/: rebuilt whenever setup rebuilt
## the root's (same sources stamp), since Ape would rebuild changed files only, not their importers.
build-hardhat: setup
	@if ! cmp -s .build/.carbonchain-src-stamp profiles/hardhat/.build/.carbonchain-src-stamp; then 	  (cd profiles/hardhat && $(APE) compile --force) && cp .build/.carbonchain-src-stamp profiles/hardhat/.build/; 	fi

test-london-e2e: build-london
	cd profiles/london && $(APE) test tests/e2e --network ethereum:local:foundry

test-london: test-london-e2e
	cd profiles/london && $(APE) run demo --out ../../demo-output/london --batch-size 50

## The e2e suite and the flagship scenario files (the demo's last act, 20 s here) on Hardhat.
test-hardhat-e2e: build-hardhat
	$(HARDHAT_RUN) bash -c '$(HARDHAT_E2E) && \
	  $(APE) run scenario run -k flagship --network ethereum:hardhat:node --out ../../reports/hardhat-scenarios'

test-hardhat: build-hardhat
	$(HARDHAT_RUN) bash -c '$(HARDHAT_E2E) && \
	  $(APE) run demo --network ethereum:hardhat:node --out ../../demo-output/hardhat --batch-size 50'

test-portable: test-london test-hardhat

## CI's second part (.ci/run, after `make test`), two jobs at once, each one's output printed whole
## when it ends; either failing fails: test-london (e2e + demo) and test-hardhat-e2e (e2e + flagship
## scenarios; the demo command on Hardhat, 2.5 more minutes, only in test-hardhat).
test-portable-ci:
	$(MAKE) -j2 --output-sync=target test-london test-hardhat-e2e

## Gas figures -> benchmarks/gas.md (+ benchmarks/gas.json)
bench: setup
	$(APE) run bench

## A persistent local node (chain state kept in .anvil-state.json across restarts). While it runs,
## .carbonchain-node holds its URL, which every CLI's default network follows.
node: setup
	@echo "http://127.0.0.1:$(PORT)" > .carbonchain-node; \
	trap 'rm -f .carbonchain-node' EXIT; \
	anvil --state .anvil-state.json --port $(PORT) --accounts 16

clean:
	rm -rf .build reports demo-output .lint
