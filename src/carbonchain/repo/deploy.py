"""The repo domain's contract for the composed deployer: RepoManager over the notary's
DocumentRegistry, the identity domain's CredentialRegistry and the oracle's MarketRegistry.

Role holders on local chains: the personas (core.personas) ``financier`` (the desk), ``custodian``
(also the exchange confirming transfers), ``risk`` and ``risk-officer-2`` (two distinct risk
officers for maker-checker). On other chains the admin grants
them; the default-admin transfer delay is ``options["repo_admin_delay"]`` (2 days unless given;
the contract refuses 0 outside local chains).
"""

from __future__ import annotations

from ..core.deployer import ContractSpec, DeployContext
from ..core.personas import PERSONAS

LOCAL_CHAINS = (1337, 31337)
ROLE_PERSONAS = {"FINANCIER_ROLE": ("financier",), "CUSTODIAN_ROLE": ("custodian",),
                 "RISK_ROLE": ("risk", "risk-officer-2")}
DEFAULT_ADMIN_DELAY = 2 * 86_400


def _admin_delay() -> int:
    from ape import chain

    return 0 if chain.chain_id in LOCAL_CHAINS else DEFAULT_ADMIN_DELAY


CONTRACTS = [
    ContractSpec("RepoManager", lambda admin, _deployer, deployed: [
        _admin_delay(), admin, deployed["MarketRegistry"].address, deployed["DocumentRegistry"].address,
        deployed["CredentialRegistry"].address,
    ]),
]


def role_holders() -> dict[str, list[str]]:
    """Local chains: role -> test accounts holding it (by persona)."""
    from ape import accounts

    test = accounts.test_accounts
    return {role: [test[PERSONAS[name]].address for name in names] for role, names in ROLE_PERSONAS.items()}


def after_deploy(ctx: DeployContext) -> None:
    """On local chains, grants the repo roles to the test accounts (when the deployer is the admin)."""
    from ape import chain

    repo = ctx.instances["RepoManager"]
    if chain.chain_id not in LOCAL_CHAINS or not repo.hasRole(repo.DEFAULT_ADMIN_ROLE(), ctx.deployer.address):
        return
    holders = ctx.options.get("repo_roles") or role_holders()
    for role_name, addresses in holders.items():
        role = getattr(repo, role_name)()
        for address in addresses:
            if not repo.hasRole(role, address):
                repo.grantRole(role, address, sender=ctx.deployer)
                ctx.log(f"RepoManager: {role_name} granted to {address}")
