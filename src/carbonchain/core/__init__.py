"""The shared core: hashing, EIP-712, errors, network and accounts, the deployments file and the
deployer's pieces, report rendering, CLI helpers, Merkle trees, JSON helpers, units, benchmarks.

It imports no domain: every domain (notary, identity, oracle, repo, offset, fund...) builds on it.
"""
