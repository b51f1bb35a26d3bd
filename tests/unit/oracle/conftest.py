import pytest

from carbonchain.oracle.markets import market_code, to_price
from carbonchain.oracle import Feed


@pytest.fixture(scope="session")
def operators(accounts):
    return [accounts[i] for i in (6, 7, 8, 9, 10)]


@pytest.fixture(scope="session")
def risk(accounts):
    return accounts[11]


@pytest.fixture(scope="session")
def make_feed(project, admin, operators, risk):
    """make_feed(n_operators=3, quorum=2, max_move_bps=1000, heartbeat=4 days, lo="1", hi="1000")"""

    def make(n_operators=3, quorum=2, max_move_bps=1000, heartbeat=4 * 86400, lo="1", hi="1000", code="CEA"):
        feed = admin.deploy(
            project.CarbonPriceFeed, market_code(code), f"{code} / CNY", admin,
            [o.address for o in operators[:n_operators]], to_price(lo), to_price(hi), quorum, max_move_bps, heartbeat,
        )
        feed.grantRole(feed.RISK_ROLE(), risk, sender=admin)
        return Feed(feed)

    return make


@pytest.fixture(scope="module")
def feed(make_feed):
    return make_feed()
