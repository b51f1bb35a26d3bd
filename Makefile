# CarbonChain: every target sets up what is missing first (tools/setup.sh is idempotent).
SHELL := /bin/bash
VENV  := $(CURDIR)/.venv
APE   := $(VENV)/bin/ape
export PATH := $(VENV)/bin:$(PATH)

.PHONY: setup demo test test-fast test-anvil bench node clean

setup:
	@bash tools/setup.sh

## The main job: the end-to-end notary demo on a local anvil node (Ape starts and stops it).
demo: setup
	$(APE) run demo

## All tests: the bulk on Ape's in-process provider, the end-to-end flows again on anvil.
test: setup
	$(APE) test tests --network ethereum:local:test
	$(APE) test tests/e2e tests/unit/test_gas_snapshot.py --network ethereum:local:foundry

test-fast: setup
	$(APE) test tests --network ethereum:local:test -x -q

## Gas figures -> benchmarks/gas.md (+ benchmarks/gas.json)
bench: setup
	$(APE) run bench

## A persistent local node (chain state kept in .anvil-state.json across restarts).
node: setup
	anvil --state .anvil-state.json --port 8545 --accounts 16

clean:
	rm -rf .build reports demo-output
