"""CarbonChain: on-chain carbon finance and trust infrastructure, Python side.

Shared by the `ape run` scripts, the tests and `ape console`. One subpackage per domain over one
shared core (see ARCHITECTURE.md):

- :mod:`carbonchain.core`: hashing (SHA-256, Keccak-256, SM3), EIP-712, errors, network and
  accounts, the deployments file, HTML reports, CLI helpers, Merkle trees, JSON, units, benchmarks
- :mod:`carbonchain.notary`: the DocumentRegistry SDK (anchor, sign, batch, verify, evidence)
- :mod:`carbonchain.identity`: did:ethr DIDs, trusted issuers, credentials and VC-JWTs
- :mod:`carbonchain.oracle`: carbon price feeds, quote sources and the operators' feeder
- :mod:`carbonchain.repo`, :mod:`carbonchain.offset`, :mod:`carbonchain.fund`: the carbon repo,
  offset retirement and private-fund domains
- :mod:`carbonchain.deploy`, :mod:`carbonchain.bench`, :mod:`carbonchain.demo`: compose the domains
"""

__version__ = "0.1.0"
