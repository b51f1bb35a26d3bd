# CarbonChain: every target sets up what is missing first (tools/setup.sh is idempotent).
SHELL := /bin/bash
VENV  := $(CURDIR)/.venv
APE   := $(VENV)/bin/ape
export PATH := $(VENV)/bin:$(PATH)
# This checkout's solc launchers (tools/solc/install-launcher.sh): never another clone's.
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
# `make node PORT=8546`: the port of the persistent local node.
PORT ?= 8545

.PHONY: setup lint demo test test-fast test-anvil bench node clean build-london test-london test-hardhat test-portable

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
build-london: setup
	cd profiles/london && $(APE) compile --force   # Ape rebuilds changed files only, not their importers
	$(VENV)/bin/python tools/check_opcodes.py profiles/london/.build/__local__.json

test-london: build-london
	cd profiles/london && $(APE) test tests/e2e --network ethereum:local:foundry
	cd profiles/london && $(APE) run demo --out ../../demo-output/london --batch-size 50

test-hardhat: setup
	cd profiles/hardhat && CARBONCHAIN_HARDHAT_PORT=$(HARDHAT_PORT) bash ../../tools/hardhat/run.sh \
	  bash -c '$(APE) test tests/e2e --network ethereum:hardhat:node --disable-isolation && \
	           $(APE) run demo --network ethereum:hardhat:node --out ../../demo-output/hardhat --batch-size 50'

test-portable: test-london test-hardhat

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
