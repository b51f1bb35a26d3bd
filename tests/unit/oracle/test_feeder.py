"""Feeder decisions (every trading day, bounds, calendar, the exchange's band, joining, restart,
races, alerts) and its handling of failures."""

import pytest
from ape.exceptions import ProviderError

from carbonchain.oracle.feeder import ERROR, SKIP, SUBMIT, WOULD_SUBMIT, Feeder
from carbonchain.oracle.markets import DEFAULT_MARKETS, close_of, to_price
from carbonchain.oracle import PriceFeeds
from carbonchain.oracle.quotes import Quote
from carbonchain.oracle.scenario import fresh_feeds

DAY = 86400


@pytest.fixture(scope="module")
def ops(accounts):
    return [accounts[i] for i in (6, 7, 8, 9)]


@pytest.fixture(scope="module")
def feeds(accounts, ops):
    return fresh_feeds(accounts[0], ops, quorum=3)


def q(price, day, market="CEA", seconds=0):
    return Quote(market, to_price(price), close_of(day) + seconds)


def only_cea(feeds):
    return PriceFeeds({"CEA": feeds["CEA"]})


def publish(feeds, ops, price, day):
    return [Feeder(only_cea(feeds), o).run_once([q(price, day)])[0] for o in ops[:3]]


def test_first_price_then_quorum(feeds, ops, monday):
    ds = publish(feeds, ops, "70", monday)
    assert [d.action for d in ds] == [SUBMIT] * 3 and "first price" in ds[0].reason
    assert "joining round 1" in ds[1].reason and "Published" in ds[2].reason
    assert feeds["CEA"].latest().answer == to_price("70")


def test_every_trading_day_is_pushed_and_bad_quotes_refused(feeds, ops, monday):
    publish(feeds, ops, "70", monday)
    f = Feeder(only_cea(feeds), ops[0])
    same = f.run_once([q("70.00", monday + 1)], dry_run=True)[0]
    assert same.action == WOULD_SUBMIT and "new trading day" in same.reason  # an unchanged close is news too
    limit = f.run_once([q("77.00", monday + 1)], dry_run=True)[0]
    assert limit.action == WOULD_SUBMIT  # +10%: a limit day is never refused
    beyond = f.run_once([q("80.00", monday + 1)], dry_run=True)[0]
    assert beyond.action == ERROR and "beyond the exchange's band" in beyond.reason
    two_days = f.run_once([q("80.00", monday + 2)], dry_run=True)[0]
    assert two_days.action == WOULD_SUBMIT  # two trading days: two limits
    weekend = f.run_once([q("70", monday + 5)], dry_run=True)[0]
    assert weekend.action == ERROR and "weekend" in weekend.reason
    oob = f.run_once([q("5000", monday + 1)], dry_run=True)[0]
    assert oob.action == ERROR and "bounds" in oob.reason
    assert feeds["CEA"].round(2).state == "None"  # dry runs sent nothing


def test_skips_what_is_on_chain_or_already_quoted(feeds, ops, monday):
    publish(feeds, ops, "70", monday)
    f = Feeder(only_cea(feeds), ops[0])
    assert "already on chain" in f.run_once([q("70", monday, seconds=60)])[0].reason
    f.run_once([q("75", monday + 1)])
    again = f.run_once([q("75", monday + 1)])[0]
    assert again.action == SKIP and "already quoted round 2" in again.reason


def test_missing_quote_and_future_quote(feeds, ops, chain):
    f = Feeder(only_cea(feeds), ops[0])
    assert "no quote" in f.run_once([Quote("HBEA", to_price("70"), 1)])[0].reason
    future = f.run_once([Quote("CEA", to_price("70"), chain.pending_timestamp + DAY)])[0]
    assert future.action == SKIP and "future" in future.reason


def test_transient_failure_is_retried(feeds, ops, monday, monkeypatch):
    feed = feeds["CEA"]
    real_submit = feed.submit
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ProviderError("connection reset by peer")
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(feed, "submit", flaky)
    logs, sleeps = [], []
    f = Feeder(only_cea(feeds), ops[0], log=logs.append, sleep=sleeps.append, backoff=0.5)
    d = f.run_once([q("70", monday)])[0]
    assert d.action == SUBMIT and calls["n"] == 2 and sleeps == [0.5]
    assert "retry 1/3" in logs[0]


def test_persistent_failure_is_one_error_and_others_go_on(feeds, ops, monday, monkeypatch):
    feed = feeds["CEA"]
    monkeypatch.setattr(feed, "submit", lambda *a, **k: (_ for _ in ()).throw(ProviderError("connection refused")))
    both = PriceFeeds({"CEA": feed, "CCER": feeds["CCER"]})
    f = Feeder(both, ops[0], retries=2, sleep=lambda _s: None)
    ds = f.run_once([q("70", monday), q("80", monday, market="CCER")])
    assert [d.action for d in ds] == [ERROR, SUBMIT]
    assert "connection refused" in ds[0].reason


def test_losing_the_race_is_a_normal_skip(feeds, ops, monday):
    """Finding 9: another quorum publishes between our read and our send: we skip, not fail."""
    publish(feeds, ops, "70", monday)
    feed = feeds["CEA"]
    late = Feeder(only_cea(feeds), ops[3])
    decision = late.decide(feed, q("75", monday + 1))
    assert decision.action == SUBMIT
    publish(feeds, ops, "75", monday + 1)  # the other three are faster
    result = late._send(feed, decision)
    assert result.action == SKIP and "already on chain" in result.reason


def test_held_round_is_an_alert_and_agreeing_quotes_release_it(feeds, ops, monday, accounts):
    feed = feeds["CEA"]
    publish(feeds, ops, "70", monday)
    for o in ops[:3]:  # operators without the band check push a +30% candidate
        feed.contract.submit(2, to_price("91"), close_of(monday + 1), sender=o)
    assert feed.status().held
    assert "HELD at 91" in Feeder.alert_for(feed)
    d = Feeder(only_cea(feeds), ops[0]).run_once([q("92", monday + 2)], dry_run=True)[0]
    assert d.action == WOULD_SUBMIT and "HELD" in d.alert  # within the band of the held candidate
    publish(feeds, ops, "92", monday + 2)
    assert [r.answer for r in (feed.round(2), feed.round(3))] == [to_price("91"), to_price("92")]
    assert Feeder.alert_for(feed) is None


def test_watch_runs_cycles(feeds, ops, monday):
    seen = []
    f = Feeder(only_cea(feeds), ops[0], sleep=lambda _s: None)
    f.watch(_Src([q("70", monday)]), interval=1, cycles=3, on_cycle=lambda n, ds: seen.append(ds[0].action))
    assert seen == [SUBMIT, SKIP, SKIP]


class _Src:
    name = "list"

    def __init__(self, quotes):
        self._q = quotes

    def quotes(self):
        return self._q


def test_every_default_market_has_a_feed(feeds):
    assert set(feeds) == {m.code for m in DEFAULT_MARKETS}
