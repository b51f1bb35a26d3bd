"""MedianLib (property test against a Python reference) and MarketRegistry."""

import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonchain.oracle.markets import market_code
from tests.utils.oracle import reference_median


@pytest.fixture(scope="module")
def harness(project, admin):
    return admin.deploy(project.MedianHarness)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=-(10**30), max_value=10**30), min_size=1, max_size=15))
def test_median_matches_reference(harness, values):
    assert harness.median(values) == reference_median(values)


def test_median_of_nothing(harness):
    with ape.reverts(harness.MedianLibEmpty):
        harness.median([])


@pytest.fixture(scope="module")
def market_registry(project, admin):
    return admin.deploy(project.MarketRegistry, 0, admin, admin)


CEA, HBEA = market_code("CEA"), market_code("HBEA")


def test_register_update_remove(market_registry, make_feed, admin):
    r = market_registry
    cea, hbea = make_feed(code="CEA"), make_feed(code="HBEA")
    rc = r.registerMarket(CEA, cea.address, b"CNY", "national allowance", sender=admin)
    (ev,) = rc.decode_logs(r.MarketRegistered)
    assert bytes(ev.code) == CEA and ev.feed == cea.address and bytes(ev.currency) == b"CNY"
    r.registerMarket(HBEA, hbea.address, b"CNY", "Hubei", sender=admin)
    assert [bytes(c) for c in r.marketCodes()] == [CEA, HBEA]
    m = r.getMarket(CEA)
    assert m.feed == cea.address and m.description == "national allowance" and r.feedOf(CEA) == cea.address
    cea2 = make_feed(code="CEA")
    rc = r.updateMarket(CEA, cea2.address, b"CNY", "CEA v2", sender=admin)
    assert len(list(rc.decode_logs(r.MarketUpdated))) == 1 and r.feedOf(CEA) == cea2.address
    rc = r.removeMarket(CEA, sender=admin)
    assert len(list(rc.decode_logs(r.MarketRemoved))) == 1
    assert [bytes(c) for c in r.marketCodes()] == [HBEA]
    with ape.reverts(r.MarketRegistryUnknownMarket, code=CEA):
        r.getMarket(CEA)
    with ape.reverts(r.MarketRegistryUnknownMarket, code=CEA):
        r.feedOf(CEA)


def test_registry_rejections(market_registry, make_feed, admin, outsider):
    r = market_registry
    cea = make_feed(code="CEA")
    with ape.reverts(r.MarketRegistryZeroCode):
        r.registerMarket(b"\x00" * 32, cea.address, b"CNY", "", sender=admin)
    with ape.reverts(r.MarketRegistryZeroFeed):
        r.registerMarket(CEA, "0x" + "00" * 20, b"CNY", "", sender=admin)
    with ape.reverts(r.MarketRegistryZeroCurrency):
        r.registerMarket(CEA, cea.address, b"\x00\x00\x00", "", sender=admin)
    with ape.reverts(r.MarketRegistryFeedMismatch, code=HBEA, feedMarket=CEA):
        r.registerMarket(HBEA, cea.address, b"CNY", "", sender=admin)
    with ape.reverts(r.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=r.MARKET_ADMIN_ROLE()):
        r.registerMarket(CEA, cea.address, b"CNY", "", sender=outsider)
    r.registerMarket(CEA, cea.address, b"CNY", "", sender=admin)
    with ape.reverts(r.MarketRegistryMarketExists, code=CEA):
        r.registerMarket(CEA, cea.address, b"CNY", "", sender=admin)
    with ape.reverts(r.MarketRegistryUnknownMarket, code=HBEA):
        r.updateMarket(HBEA, cea.address, b"CNY", "", sender=admin)
    with ape.reverts(r.MarketRegistryUnknownMarket, code=HBEA):
        r.removeMarket(HBEA, sender=admin)
    with ape.reverts(r.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=r.MARKET_ADMIN_ROLE()):
        r.removeMarket(CEA, sender=outsider)
    with ape.reverts(r.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=r.MARKET_ADMIN_ROLE()):
        r.updateMarket(CEA, cea.address, b"CNY", "", sender=outsider)
