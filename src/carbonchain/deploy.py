"""Deploys every contract the project has, wires the roles, writes the deployments file.

Re-running against the same chain reuses what is deployed (checked to still be there and built
from the same artifact) unless ``fresh`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .deployments import Deployment, artifact_hash, code_hash, is_live
from .markets import DEFAULT_MARKETS, MarketSpec, market_code


@dataclass
class ContractSpec:
    name: str
    args: Callable[[str, str, dict[str, Any]], list[Any]]  # (admin, deployer, deployed so far) -> constructor args


# In dependency order. Later issues append their contracts here.
CONTRACTS: list[ContractSpec] = [
    ContractSpec("DocumentRegistry", lambda admin, _deployer, _deployed: [admin]),
    ContractSpec("DIDRegistry", lambda _admin, _deployer, _deployed: []),  # ERC-1056: no admin by design
    ContractSpec("TrustedIssuerRegistry", lambda admin, _deployer, _deployed: [admin]),
    ContractSpec("CredentialRegistry",
                 lambda admin, _deployer, deployed: [admin, deployed["TrustedIssuerRegistry"].address]),
    # Deployed with the deployer as admin so that it can register the feeds; handed over below.
    ContractSpec("MarketRegistry", lambda _admin, deployer, _deployed: [deployer]),
]


@dataclass
class DeployResult:
    deployment: Deployment
    deployed: list[str]
    reused: list[str]
    feeds_deployed: list[str] = field(default_factory=list)


OPERATOR_ACCOUNTS = (6, 7, 8, 9)
RISK_ACCOUNT = 10


def default_operators() -> list[str]:
    """Local chains: test accounts 6 to 9 operate the feeds (quorum 3: one outlier and one
    offline operator still leave a correct median)."""
    from ape import accounts

    return [accounts.test_accounts[i].address for i in OPERATOR_ACCOUNTS]


def deploy_all(
    deployer: Any,
    *,
    admin: str | None = None,
    fresh: bool = False,
    markets: Sequence[MarketSpec] = DEFAULT_MARKETS,
    operators: Sequence[str] | None = None,
    quorum: int = 3,
    log: Callable[[str], None] = lambda _msg: None,
) -> DeployResult:
    """Deploys (or reuses) every contract in :data:`CONTRACTS` and one price feed per market."""
    from ape import chain, project

    admin_address = admin or deployer.address
    chain_id = chain.chain_id
    previous = None if fresh else Deployment.load(chain_id)
    dep = Deployment(chain_id=chain_id)
    deployed: list[str] = []
    reused: list[str] = []
    instances: dict[str, Any] = {}
    for spec in CONTRACTS:
        container = getattr(project, spec.name)
        old = previous.contracts.get(spec.name) if previous else None
        if old and is_live(old, container, previous, spec.name):
            instances[spec.name] = container.at(old)
            dep.artifacts[spec.name] = previous.artifacts[spec.name]
            reused.append(spec.name)
            log(f"{spec.name}: reusing {old}")
        else:
            instance = deployer.deploy(container, *spec.args(admin_address, deployer.address, instances))
            instances[spec.name] = instance
            dep.artifacts[spec.name] = artifact_hash(container)
            deployed.append(spec.name)
            log(f"{spec.name}: deployed at {instance.address}")
        dep.contracts[spec.name] = instances[spec.name].address
        dep.code_hashes[spec.name] = code_hash(instances[spec.name].address)

    feeds_deployed = _deploy_feeds(
        deployer, admin_address, instances["MarketRegistry"], markets,
        list(operators) if operators is not None else default_operators(), quorum, previous, dep, log,
    )
    _hand_over(instances["MarketRegistry"], deployer, admin_address, ("MARKET_ADMIN_ROLE",), log)
    changed = deployed or feeds_deployed
    dep.block = previous.block if (previous and not changed) else chain.blocks.head.number
    dep.save()
    return DeployResult(deployment=dep, deployed=deployed, reused=reused, feeds_deployed=feeds_deployed)


def _hand_over(contract: Any, deployer: Any, admin: str, roles: Sequence[str], log: Callable[[str], None]) -> None:
    """Gives ``admin`` the deployer's roles on ``contract`` and renounces them (no-op when equal)."""
    if admin.lower() == deployer.address.lower():
        return
    default = contract.DEFAULT_ADMIN_ROLE()
    if not contract.hasRole(default, deployer.address):
        return
    for name in roles:
        role = getattr(contract, name)()
        contract.grantRole(role, admin, sender=deployer)
        contract.renounceRole(role, deployer.address, sender=deployer)
    contract.grantRole(default, admin, sender=deployer)
    contract.renounceRole(default, deployer.address, sender=deployer)
    log(f"{getattr(contract.contract_type, 'name', 'contract')}: roles handed over to {admin}")


def deploy_feed(deployer: Any, admin: str, m: MarketSpec, operators: Sequence[str], quorum: int) -> Any:
    """Deploys one market's CarbonPriceFeed with the market's default risk parameters."""
    from ape import project

    return deployer.deploy(
        project.CarbonPriceFeed, market_code(m.code), m.feed_description, admin, list(operators),
        m.min_price, m.max_price, quorum, m.max_move_bps, m.heartbeat,
    )


def _deploy_feeds(
    deployer: Any,
    admin: str,
    registry: Any,
    markets: Sequence[MarketSpec],
    operators: list[str],
    quorum: int,
    previous: Deployment | None,
    dep: Deployment,
    log: Callable[[str], None],
) -> list[str]:
    from ape import project

    container = project.CarbonPriceFeed
    dep.artifacts["CarbonPriceFeed"] = artifact_hash(container)
    registered = {bytes(c) for c in registry.marketCodes()}
    fresh_feeds = []
    for m in markets:
        old = previous.price_feeds.get(m.code) if previous else None
        if old and is_live(old, container, previous, "CarbonPriceFeed", key=f"feed:{m.code}"):
            feed = container.at(old)
        else:
            feed = deploy_feed(deployer, admin, m, operators, quorum)
            fresh_feeds.append(m.code)
        dep.price_feeds[m.code] = feed.address
        dep.code_hashes[f"feed:{m.code}"] = code_hash(feed.address)
        code = market_code(m.code)
        currency = m.currency.encode("ascii")
        if code not in registered:
            registry.registerMarket(code, feed.address, currency, m.description, sender=deployer)
        elif str(registry.feedOf(code)).lower() != str(feed.address).lower():
            registry.updateMarket(code, feed.address, currency, m.description, sender=deployer)
    if fresh_feeds:
        log(f"price feeds deployed: {', '.join(fresh_feeds)} (operators {', '.join(operators)}, quorum {quorum})")
    else:
        log(f"price feeds: reusing {len(markets)}")
    return fresh_feeds
