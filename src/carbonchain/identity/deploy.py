"""The identity domain's contracts, in dependency order, for the composed deployer."""

from ..core.deployer import ContractSpec

CONTRACTS = [
    ContractSpec("DIDRegistry", lambda _admin, _deployer, _deployed: []),  # ERC-1056: no admin by design
    ContractSpec("TrustedIssuerRegistry", lambda admin, _deployer, _deployed: [admin]),
    ContractSpec("CredentialRegistry",
                 lambda admin, _deployer, deployed: [admin, deployed["TrustedIssuerRegistry"].address]),
]
