"""The oracle's deployment: the MarketRegistry, then one CarbonPriceFeed per market, registered.

Used by the composed deployer (carbonchain.deploy) through ``CONTRACTS`` and ``after_deploy``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.deployer import ContractSpec, DeployContext
from ..core.deployments import Deployment, artifact_hash, code_hash, is_live
from .markets import DEFAULT_MARKETS, MarketSpec, feed_config, market_code

OPERATOR_ACCOUNTS = (6, 7, 8, 9)
RISK_ACCOUNT = 10
#: Delay of a default-admin transfer (AccessControlDefaultAdminRules): none on local chains, two
#: days elsewhere (a delay of 0 is not allowed on shared chains).
ADMIN_DELAY = 2 * 86400
LOCAL_CHAIN_IDS = (1337, 31337)


def admin_delay() -> int:
    from ape import chain

    return 0 if chain.chain_id in LOCAL_CHAIN_IDS else ADMIN_DELAY


def default_risk(admin: str) -> str:
    """Local chains: test account 10 holds RISK_ROLE, apart from the admin; elsewhere the admin
    until the risk officer is granted the role."""
    from ape import accounts, chain

    return accounts.test_accounts[RISK_ACCOUNT].address if chain.chain_id in LOCAL_CHAIN_IDS else admin


CONTRACTS = [
    # The deployer is admin and market admin so that it can register the feeds; handed over in
    # after_deploy (two-step admin transfer: AccessControlDefaultAdminRules).
    ContractSpec("MarketRegistry", lambda _admin, deployer, _deployed: [admin_delay(), deployer, deployer]),
]


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
    _hand_over(ctx.instances["MarketRegistry"], ctx.deployer, ctx.admin, ctx.log)


def _hand_over(registry: Any, deployer: Any, admin: str, log: Callable[[str], None]) -> None:
    """MARKET_ADMIN_ROLE to ``admin`` (the deployer renounces it) and a two-step default-admin
    transfer to ``admin``, which ``admin`` accepts after the delay (at once on a local chain, for a
    test account)."""
    if admin.lower() == deployer.address.lower():
        return
    from ape import accounts, chain

    role = registry.MARKET_ADMIN_ROLE()
    if registry.hasRole(role, deployer.address):
        registry.grantRole(role, admin, sender=deployer)
        registry.renounceRole(role, deployer.address, sender=deployer)
    if str(registry.defaultAdmin()).lower() != deployer.address.lower():
        return
    registry.beginDefaultAdminTransfer(admin, sender=deployer)
    local = {a.address.lower(): a for a in accounts.test_accounts} if admin_delay() == 0 else {}
    if admin.lower() in local:
        chain.pending_timestamp += 1  # the schedule must have passed
        registry.acceptDefaultAdminTransfer(sender=local[admin.lower()])
        log(f"MarketRegistry: handed over to {admin}")
    else:
        log(f"MarketRegistry: {admin} must call acceptDefaultAdminTransfer() after the {admin_delay()} s delay")


def deploy_feed(
    deployer: Any, admin: str, m: MarketSpec, operators: Sequence[str], quorum: int, *,
    feed_admin: str | None = None, risk: str | None = None,
) -> Any:
    """Deploys one market's CarbonPriceFeed with the market's default risk parameters; each role its
    own holder (admin: DEFAULT_ADMIN_ROLE; feed admin and risk default to the admin)."""
    from ape import project

    return deployer.deploy(
        project.CarbonPriceFeed, market_code(m.code), m.feed_description, admin_delay(), admin,
        feed_admin or admin, risk or admin, list(operators), feed_config(m, quorum),
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
            feed = deploy_feed(deployer, admin, m, operators, quorum, risk=default_risk(admin))
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
