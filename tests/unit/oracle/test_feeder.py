"""Feeder decisions (deviation, heartbeat, joining, restart) and its handling of failures."""

import pytest
from ape.exceptions import ProviderError

from carbonchain.oracle.feeder import ERROR, SKIP, SUBMIT, WOULD_SUBMIT, Feeder
from carbonchain.oracle.markets import DEFAULT_MARKETS, to_price
from carbonchain.oracle import PriceFeeds
from carbonchain.oracle.quotes import Quote
from carbonchain.oracle.scenario import fresh_feeds

DAY = 86400


@pytest.fixture(scope="module")
def ops(accounts):
    return [accounts[i] for i in (6, 7, 8, 9)]


@pytest.fixture(scope="module")
def feeds(accounts, ops):
    return fresh_feeds(accounts[0], ops, quorum=2)


@pytest.fixture
def t(chain):
    return chain.pending_timestamp - 10 * DAY


def q(price, at, market="CEA"):
    return Quote(market, to_price(price), at)


def only_cea(feeds):
    return PriceFeeds({"CEA": feeds["CEA"]})


def publish(feeds, ops, price, at):
    for o in ops[:2]:
        Feeder(only_cea(feeds), o).run_once([q(price, at)])


def test_first_price_then_quorum(feeds, ops, t):
    d = Feeder(only_cea(feeds), ops[0]).run_once([q("70", t)])
    assert [x.action for x in d] == [SUBMIT] and "first price" in d[0].reason
    d = Feeder(only_cea(feeds), ops[1]).run_once([q("70", t)])
    assert "joining round 1" in d[0].reason and "Published" in d[0].reason
    assert feeds["CEA"].latest().answer == to_price("70")


def test_deviation_and_heartbeat(feeds, ops, t, chain):
    publish(feeds, ops, "70", t)
    f = Feeder(only_cea(feeds), ops[0], deviation_bps=100, push_after=30 * DAY)
    small = f.run_once([q("70.5", t + 100)], dry_run=True)[0]
    assert small.action == SKIP and "within deviation (71 < 100 bps)" in small.reason
    big = f.run_once([q("71", t + 100)], dry_run=True)[0]
    assert big.action == WOULD_SUBMIT and "moved 142 bps" in big.reason
    due = Feeder(only_cea(feeds), ops[0], deviation_bps=100, push_after=5 * DAY).run_once([q("70.5", t + 100)],
                                                                                      dry_run=True)[0]
    assert due.action == WOULD_SUBMIT and "heartbeat due" in due.reason
    assert feeds["CEA"].round(2).state == "None"  # dry runs sent nothing


def test_skips_what_is_on_chain_or_already_quoted(feeds, ops, t):
    publish(feeds, ops, "70", t)
    f = Feeder(only_cea(feeds), ops[0])
    assert "already on chain" in f.run_once([q("70", t)])[0].reason
    f.run_once([q("75", t + 100)])
    again = f.run_once([q("75", t + 100)])[0]
    assert again.action == SKIP and "already quoted round 2" in again.reason


def test_missing_quote_and_future_quote(feeds, ops, chain):
    f = Feeder(only_cea(feeds), ops[0])
    assert "no quote" in f.run_once([q("70", 1, market="HBEA")])[0].reason
    future = f.run_once([q("70", chain.pending_timestamp + DAY)])[0]
    assert future.action == SKIP and "future" in future.reason


def test_transient_failure_is_retried(feeds, ops, t, monkeypatch):
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
    d = f.run_once([q("70", t)])[0]
    assert d.action == SUBMIT and calls["n"] == 2 and sleeps == [0.5]
    assert "retry 1/3" in logs[0]


def test_persistent_failure_is_one_error_and_others_go_on(feeds, ops, t, monkeypatch):
    feed = feeds["CEA"]
    monkeypatch.setattr(feed, "submit", lambda *a, **k: (_ for _ in ()).throw(ProviderError("connection refused")))
    both = PriceFeeds({"CEA": feed, "CCER": feeds["CCER"]})
    f = Feeder(both, ops[0], retries=2, sleep=lambda _s: None)
    ds = f.run_once([q("70", t), q("80", t, market="CCER")])
    assert [d.action for d in ds] == [ERROR, SUBMIT]
    assert "connection refused" in ds[0].reason


def test_round_closed_meanwhile_is_re_evaluated(feeds, ops, t, monkeypatch):
    """Another operator closes the round between our read and our send: we skip, not fail."""
    publish(feeds, ops, "70", t)
    feed = feeds["CEA"]
    f = Feeder(only_cea(feeds), ops[2])
    decision = f.decide(feed, q("75", t + 100))
    for o in ops[:2]:  # the others publish round 2 first
        feed.submit(to_price("75"), t + 100, sender=o)
    result = f._send(feed, decision)
    assert result.action == SKIP and "already on chain" in result.reason


def test_watch_runs_cycles(feeds, ops, t):
    seen = []
    f = Feeder(only_cea(feeds), ops[0], sleep=lambda _s: None)
    f.watch(_Src([q("70", t)]), interval=1, cycles=3, on_cycle=lambda n, ds: seen.append(ds[0].action))
    assert seen == [SUBMIT, SKIP, SKIP]


class _Src:
    name = "list"

    def __init__(self, quotes):
        self._q = quotes

    def quotes(self):
        return self._q


def test_every_default_market_has_a_feed(feeds):
    assert set(feeds) == {m.code for m in DEFAULT_MARKETS}
