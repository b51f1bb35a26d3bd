import pytest

from carbonchain.oracle.markets import close_of, day_of, market_code, to_price
from carbonchain.oracle import Feed

DAY = 86400


@pytest.fixture(scope="session")
def operators(accounts):
    return [accounts[i] for i in (6, 7, 8, 9, 10)]


@pytest.fixture(scope="session")
def risk(accounts):
    return accounts[11]


@pytest.fixture(scope="session")
def feed_admin(accounts):
    return accounts[12]


@pytest.fixture(scope="session")
def make_feed(project, admin, feed_admin, operators, risk):
    """make_feed(n_operators=3, quorum=3, limit_bps=1000, tolerance_bps=100, grace=8 h, lo="1", hi="1000",
    code="CEA", delay=0): admin holds DEFAULT_ADMIN_ROLE, feed_admin FEED_ADMIN_ROLE, risk RISK_ROLE."""

    def make(n_operators=3, quorum=3, limit_bps=1000, tolerance_bps=100, grace=8 * 3600, lo="1", hi="1000",
             code="CEA", delay=0):
        feed = admin.deploy(
            project.CarbonPriceFeed, market_code(code), f"{code} / CNY", delay, admin, feed_admin, risk,
            [o.address for o in operators[:n_operators]],
            (to_price(lo), to_price(hi), limit_bps, tolerance_bps, quorum, grace),
        )
        return Feed(feed)

    return make


@pytest.fixture(scope="module")
def feed(make_feed):
    return make_feed()


@pytest.fixture
def monday(chain):
    """A Monday (market day number) three to four weeks before the pending block."""
    d = day_of(chain.pending_timestamp) - 21
    while (d + 3) % 7 != 0:
        d -= 1
    return d


@pytest.fixture
def close():
    """close(day, seconds=0): the unix time of a market day's 15:00 CST close, plus seconds."""
    return lambda day, seconds=0: close_of(day) + seconds
