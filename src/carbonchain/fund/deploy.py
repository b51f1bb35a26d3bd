"""The fund domain's contracts, in dependency order, for the composed deployer (carbonchain.deploy).

They read the notary's DocumentRegistry and the identity domain's CredentialRegistry, so the fund
domain comes after both in ``carbonchain.deploy.DOMAINS``.
"""

from __future__ import annotations

from typing import Any

from ..core.deployer import ContractSpec, DeployContext, admin_delay, is_local_chain

CONTRACTS = [
    ContractSpec("FundProductRegistry", lambda admin, _deployer, _deployed: [admin_delay(), admin]),
    ContractSpec("FundSubscriptions", lambda admin, _deployer, deployed: [
        admin_delay(), admin, deployed["FundProductRegistry"].address, deployed["CredentialRegistry"].address,
        deployed["DocumentRegistry"].address]),
]


def after_deploy(ctx: DeployContext) -> None:
    """On local chains only: the `manager` persona gets the manager role and the `regulator` persona
    the regulator role (core.personas), so that the CLI and the demo work out of the box. Elsewhere
    the admin grants them to the real holders (`grantRole`) after the deployment."""
    from ape import accounts

    from ..core.personas import PERSONAS

    if not is_local_chain():
        return
    for name, role, persona in (("FundProductRegistry", "MANAGER_ROLE", "manager"),
                                ("FundSubscriptions", "REGULATOR_ROLE", "regulator")):
        contract: Any = ctx.instances[name]
        r = getattr(contract, role)()
        holder = accounts.test_accounts[PERSONAS[persona]].address
        if contract.hasRole(contract.DEFAULT_ADMIN_ROLE(), ctx.deployer.address) and not contract.hasRole(r, holder):
            contract.grantRole(r, holder, sender=ctx.deployer)
            ctx.log(f"{name}: {role} granted to the {persona} persona {holder}")
