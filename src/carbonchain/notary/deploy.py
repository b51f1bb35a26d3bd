"""The notary's contracts, in dependency order, for the composed deployer (carbonchain.deploy)."""

from ..core.deployer import ContractSpec, no_args

CONTRACTS = [
    # (adminDelay, admin, registryAdmin): AccessControlDefaultAdminRules, one holder per role
    ContractSpec("DocumentRegistry", no_args, roles=("REGISTRY_ADMIN_ROLE",)),
]
