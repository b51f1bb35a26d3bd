"""E2E: a SYNTHETIC real-shaped series (limit days, consecutive limit moves, a holiday that reopens
on a limit move, thin days, a noisy operator and one that misses days) replayed day by day through
the feed script (`ape run feed push`, one run per operator per trading day): no hold on a
within-limit move, no stuck round, no stale weekend or holiday, the right answer every day."""

import datetime as dt

import pytest

from carbonchain.core.network import set_chain_time
from carbonchain.deploy import deploy_all
from carbonchain.oracle.markets import close_of, day_of, spec_of
from carbonchain.oracle.quotes import CST, parse_time
from carbonchain.oracle.samples import real_shaped, write_operator_files
from tests.utils.scripts import run

OPERATORS = (6, 7, 8, 9, 10)


@pytest.fixture
def deployed(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    deploy_all(accounts[0], operators=[accounts[i].address for i in OPERATORS], quorum=3, markets=[spec_of("HBEA")])
    from carbonchain.oracle import PriceFeeds

    return PriceFeeds.deployed()["HBEA"]


def _move_to(chain, ts):
    set_chain_time(max(ts, chain.pending_timestamp))  # a block at that time, on any dev node


def test_replay_real_shaped_series_through_the_feed_script(deployed, tmp_path, chain):
    feed = deployed
    today = dt.datetime.fromtimestamp(chain.pending_timestamp, CST).date()
    start = today + dt.timedelta(days=7 - today.weekday() + 7)  # a Monday, a week or two ahead
    series = real_shaped(start, days=18, holiday=(9, 14))
    assert series.limit_days and series.thin_days and series.closures  # the features are there
    files = write_operator_files(series, tmp_path / "quotes")
    res = run("feed", "schedule-closures", files[-1])
    assert res.exit_code == 0, res.output
    expected = dict(series.closes)
    sees = [dict(rows) for rows in series.operators]
    day = start
    while day < start + dt.timedelta(days=18):
        md = day_of(parse_time(day.isoformat()))
        if day in expected:
            _move_to(chain, close_of(md) + 1800)
            for k, account in enumerate(OPERATORS):
                if day not in sees[k]:
                    continue  # this operator misses the day
                res = run("feed", "push", "--source", files[k], "--markets", "HBEA", "--account", f"test:{account}",
                          "--as-of", day.isoformat())
                assert res.exit_code == 0, f"{day} op{k}: {res.output}"  # no error, no alert (held or stuck)
            latest = feed.latest()
            assert (latest.price, day_of(latest.observed_at)) == (expected[day], md), day
            assert not feed.contract.isHeld(), f"{day}: a within-limit move was held"
        else:  # weekend or holiday: the price is fresh all day
            for hour in (10, 23):
                _move_to(chain, close_of(md) - 15 * 3600 + hour * 3600)
                assert not feed.contract.isStale(), f"{day} {hour}:00 CST read stale"
            assert bool(feed.contract.marketClosed()) == any(s <= day < e for s, e in series.closures)
        day += dt.timedelta(days=1)
    # the first trading day after the series closes without a price: stale from grace after its close
    nxt = day
    while nxt.weekday() >= 5:
        nxt += dt.timedelta(days=1)
    _move_to(chain, close_of(day_of(parse_time(nxt.isoformat()))) + spec_of("HBEA").grace + 1)
    assert feed.contract.isStale() and feed.contract.usablePrice()[0] is False
