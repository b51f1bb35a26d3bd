"""The oracle's deployment: the MarketRegistry, then one CarbonPriceFeed per market, registered.

Used by the composed deployer (carbonchain.deploy) through ``CONTRACTS`` and ``after_deploy``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.deployer import ContractSpec, DeployContext, hand_over
from ..core.deployments import Deployment, artifact_hash, code_hash, is_live
from .markets import DEFAULT_MARKETS, MarketSpec, market_code

CONTRACTS = [
    # Deployed with the deployer as admin so that it can register the feeds; handed over in after_deploy.
    ContractSpec("MarketRegistry", lambda _admin, deployer, _deployed: [deployer]),
]

OPERATOR_ACCOUNTS = (6, 7, 8, 9)
RISK_ACCOUNT = 10


def default_operators() -> list[str]:
    """Local chains: test accounts 6 to 9 operate the feeds (quorum 3: one outlier and one
    offline operator still leave a correct median)."""
    from ape import accounts

    return [accounts.test_accounts[i].address for i in OPERATOR_ACCOUNTS]


def after_deploy(ctx: DeployContext) -> None:
    """Deploys (or reuses) one feed per market and hands the registry over to the admin.

    Options: ``markets`` (MarketSpec list), ``operators`` (addresses), ``quorum``."""
    markets = ctx.options.get("markets") or DEFAULT_MARKETS
    operators = ctx.options.get("operators")
    ctx.deployed += _deploy_feeds(
        ctx.deployer, ctx.admin, ctx.instances["MarketRegistry"], markets,
        list(operators) if operators is not None else default_operators(), ctx.options.get("quorum", 3),
        ctx.previous, ctx.deployment, ctx.log,
    )
    hand_over(ctx.instances["MarketRegistry"], ctx.deployer, ctx.admin, ("MARKET_ADMIN_ROLE",), ctx.log)


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
