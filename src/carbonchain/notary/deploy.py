"""The notary's contracts, in dependency order, for the composed deployer (carbonchain.deploy)."""

from ..core.deployer import ContractSpec

CONTRACTS = [
    ContractSpec("DocumentRegistry", lambda admin, _deployer, _deployed: [admin]),
]
