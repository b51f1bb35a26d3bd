"""The identity domain's contracts, in dependency order, for the composed deployer."""

from ..core.deployer import ContractSpec, no_args

CONTRACTS = [
    ContractSpec("DIDRegistry", no_args),  # ERC-1056: no admin by design
    # (adminDelay, admin, <role holders>, ...): AccessControlDefaultAdminRules, one holder per role
    ContractSpec("TrustedIssuerRegistry", no_args, roles=("GOVERNANCE_ROLE",)),
    ContractSpec("CredentialRegistry", lambda _admin, _deployer, deployed: [deployed["TrustedIssuerRegistry"].address],
                 roles=("REVOKER_ROLE",)),
]
