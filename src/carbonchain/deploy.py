"""Deploys every domain's contracts, wires the roles, writes the deployments file.

The domains are composed here and nowhere else: each lists its contracts (``CONTRACTS``, in
dependency order) and may finish with an ``after_deploy`` hook (the oracle deploys one feed per
market). Re-running against the same chain reuses what is deployed (checked to still be there and
built from the same artifact) unless ``fresh`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .core.deployer import ContractSpec, DeployContext, check_admin_delay, deploy_or_reuse, role_holders
from .core.deployments import Deployment
from .fund import deploy as fund_deploy
from .identity import deploy as identity_deploy
from .notary import deploy as notary_deploy
from .offset import deploy as offset_deploy
from .oracle import deploy as oracle_deploy
from .oracle.deploy import OPERATOR_ACCOUNTS, RISK_ACCOUNT, default_operators  # noqa: F401 - public names
from .oracle.markets import DEFAULT_MARKETS, MarketSpec
from .repo import deploy as repo_deploy

#: The domains, in dependency order. A new domain adds its ``deploy`` module here.
DOMAINS = (notary_deploy, identity_deploy, oracle_deploy, repo_deploy, fund_deploy, offset_deploy)

CONTRACTS: list[ContractSpec] = [spec for domain in DOMAINS for spec in domain.CONTRACTS]


@dataclass
class DeployResult:
    deployment: Deployment
    deployed: list[str]
    reused: list[str]
    feeds_deployed: list[str] = field(default_factory=list)


def deploy_all(
    deployer: Any,
    *,
    admin: str | None = None,
    fresh: bool = False,
    markets: Sequence[MarketSpec] = DEFAULT_MARKETS,
    operators: Sequence[str] | None = None,
    quorum: int = 3,
    roles: Mapping[str, str] | None = None,
    admin_delay: int | None = None,
    log: Callable[[str], None] = lambda _msg: None,
    contracts: Sequence[str] | None = None,
) -> DeployResult:
    """Deploys (or reuses) every domain's contracts, then runs each domain's ``after_deploy``.

    ``contracts`` limits the run to those names (their dependencies must be among them); a domain's
    hook runs only when all its contracts are deployed. For tests and partial setups.

    ``roles`` maps role names to their holders (see core.deployer.role_holders); ``admin_delay`` is
    the DEFAULT_ADMIN_ROLE transfer delay of the AccessControlDefaultAdminRules contracts."""
    from ape import chain

    chain_id = chain.chain_id
    first_block = chain.blocks.head.number + 1  # the block of this run's first transaction
    previous = None if fresh else Deployment.load(chain_id)
    admin_address = admin or deployer.address
    ctx = DeployContext(
        deployer=deployer, admin=admin_address, instances={}, previous=previous,
        deployment=Deployment(chain_id=chain_id), log=log,
        options={"markets": markets, "operators": operators, "quorum": quorum},
        roles=role_holders(roles, admin_address, chain_id, CONTRACTS),
        admin_delay=check_admin_delay(admin_delay, chain_id),
    )
    deployed: list[str] = []
    reused: list[str] = []
    wanted = set(contracts) if contracts is not None else {spec.name for spec in CONTRACTS}
    for domain in DOMAINS:
        for spec in domain.CONTRACTS:
            if spec.name in wanted:
                (deployed if deploy_or_reuse(ctx, spec) else reused).append(spec.name)
    for domain in DOMAINS:
        hook = getattr(domain, "after_deploy", None)
        if hook is not None and all(spec.name in wanted for spec in domain.CONTRACTS):
            hook(ctx)
    dep = ctx.deployment
    changed = deployed or ctx.deployed
    # The deployment's block is where its events begin (constructors' events included), so that
    # readers of its history (the notary's logs, the dashboard's indexer) start there; contracts
    # reused from an earlier run keep the earlier start.
    if previous and not changed:
        dep.block = previous.block
    elif previous and reused:
        dep.block = min(previous.block, first_block)
    else:
        dep.block = first_block
    dep.save()
    return DeployResult(deployment=dep, deployed=deployed, reused=reused, feeds_deployed=list(ctx.deployed))
