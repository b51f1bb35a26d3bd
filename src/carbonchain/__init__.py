"""CarbonChain: on-chain carbon finance and trust infrastructure, Python side.

Shared by the `ape run` scripts, the tests and `ape console`:

- :mod:`carbonchain.hashing`: streamed SHA-256, Keccak-256 and SM3 digests of files and bytes
- :mod:`carbonchain.merkle`: OpenZeppelin StandardMerkleTree-compatible trees and proofs
- :mod:`carbonchain.notary`: the DocumentRegistry SDK (anchor, sign, batch, verify)
- :mod:`carbonchain.deployments` / :mod:`carbonchain.deploy`: the deployments file and the deployer
- :mod:`carbonchain.reports`: HTML evidence reports
"""

__version__ = "0.1.0"
