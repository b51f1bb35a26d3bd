# CarbonChain: every target sets up what is missing first (tools/setup.sh is idempotent).
SHELL := /bin/bash
VENV  := $(CURDIR)/.venv
APE   := $(VENV)/bin/ape
export PATH := $(VENV)/bin:$(PATH)
# This checkout's solc launchers (tools/solc/install-launcher.sh): never another clone's.
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
# `make node PORT=8546`: the port of the persistent local node.
PORT ?= 8545

.PHONY: setup lint demo test test-fast test-anvil bench node clean

setup:
	@bash tools/setup.sh

## Slither over every contract (tools/lint/slither-triage.txt explains each accepted finding).
lint: setup
	$(CURDIR)/.venv-lint/bin/python tools/lint/slither_check.py

## The main job: the end-to-end notary demo on a local anvil node (Ape starts and stops it).
demo: setup
	$(APE) run demo

## All tests: the bulk on Ape's in-process provider, the end-to-end flows again on anvil.
test: setup lint
	$(APE) test tests --network ethereum:local:test
	$(APE) test tests/e2e tests/unit/test_gas_snapshot.py --network ethereum:local:foundry

test-fast: setup
	$(APE) test tests --network ethereum:local:test -x -q

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
