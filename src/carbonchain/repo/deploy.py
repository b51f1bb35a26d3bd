"""The repo domain's contract for the composed deployer: RepoManager over the notary's
DocumentRegistry, the identity domain's CredentialRegistry and the oracle's MarketRegistry.

Role holders on local chains (test accounts): financier desk 1, custodian (exchange) 2, risk
officers 10 and 11 (two distinct accounts for maker-checker). On other chains the admin grants
them; the default-admin transfer delay is ``options["repo_admin_delay"]`` (2 days unless given;
the contract refuses 0 outside local chains).
"""

from __future__ import annotations

from ..core.deployer import ContractSpec, DeployContext

LOCAL_CHAINS = (1337, 31337)
FINANCIER_ACCOUNT = 1
CUSTODIAN_ACCOUNT = 2
RISK_ACCOUNTS = (10, 11)
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
    """Local chains: role -> test accounts holding it."""
    from ape import accounts

    test = accounts.test_accounts
    return {
        "FINANCIER_ROLE": [test[FINANCIER_ACCOUNT].address],
        "CUSTODIAN_ROLE": [test[CUSTODIAN_ACCOUNT].address],
        "RISK_ROLE": [test[i].address for i in RISK_ACCOUNTS],
    }


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
