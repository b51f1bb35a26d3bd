"""Property test of CarbonPriceFeed (issue 8 oracle findings, issue 10): random sequences of quotes
(within the band, at the limit, beyond it), time passing over weekends, closures added to the
calendar, and the risk role confirming or discarding, checked after every step against a
plain-Python model of rounds, holds, closures and staleness (carbonchain.oracle.markets holds the
calendar and band arithmetic the model shares with the feed script).

Every example starts from the same chain state and clock (hypothesis replays a failing example and
shrinks it, so a step must do the same thing each time it runs): `fresh` snapshots the chain and
moves the clock to a fixed point of the week (the first Monday 09:00 CST at least a day after the
snapshot's head, so weekends and closures fall the same way), and `teardown` restores the snapshot."""

import pytest
from ape.exceptions import ContractLogicError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from carbonchain.oracle.markets import (
    UTC_OFFSET,
    close_of,
    day_of,
    in_band_across,
    in_closure,
    stale_at,
    to_price,
)
from tests.utils.oracle import reference_median

LIMIT, TOL, QUORUM, GRACE = 1000, 100, 3, 8 * 3600
HOUR = 3600
DAY = 24 * HOUR


def week_start(head_timestamp):
    """The first Monday 09:00 CST at least a day after `head_timestamp` (unix seconds)."""
    d = day_of(head_timestamp + DAY) + 1
    while (d + 3) % 7 != 0:  # market day d is a Monday
        d += 1
    return d * DAY - UTC_OFFSET + 9 * HOUR


class FeedModel(RuleBasedStateMachine):
    ops: list = []
    risk = None
    admin = None
    chain = None
    deploy = None
    snapshot = None

    @initialize()
    def fresh(self):
        self.snapshot = self.chain.snapshot()
        self.chain.pending_timestamp = week_start(self.chain.blocks.head.timestamp)
        self.feed = type(self).deploy()
        self.rounds = []  # (answer, observedAt)
        self.held = None  # (answer, observedAt, day, n)
        self.pending = None  # dict(day, seq, quotes={op: (price, obs)})
        self.windows = []

    def teardown(self):
        if self.snapshot is not None:
            self.chain.restore(self.snapshot)

    # -- model ------------------------------------------------------------------------------
    def _latest_obs(self):
        return self.rounds[-1][1] if self.rounds else 0

    def _publish(self, answer, obs):
        self.rounds.append((answer, obs))

    def _band(self, prev, cand, from_obs, to_day):
        return in_band_across(prev, cand, day_of(from_obs), to_day, LIMIT, TOL, self.windows)

    def _settle(self, med, obs, day, n):
        if not self.rounds:
            self._publish(med, obs)
        elif self.held is not None:
            h_answer, h_obs, h_day, h_n = self.held
            if in_band_across(h_answer, med, h_day, day, LIMIT, TOL, self.windows):
                self.held = None
                if h_day < day:
                    self._publish(h_answer, h_obs)
                self._publish(med, obs)
            elif self._band(self.rounds[-1][0], med, self._latest_obs(), day):
                self.held = None
                self._publish(med, obs)
            else:
                self.held = (med, obs, day, n)
        elif self._band(self.rounds[-1][0], med, self._latest_obs(), day):
            self._publish(med, obs)
        else:
            self.held = (med, obs, day, n)

    def _model_submit(self, op, price, obs):
        """None when accepted (model updated), else the expected error's name."""
        if obs <= self._latest_obs():
            return "CarbonPriceFeedAlreadyPublished"
        day = day_of(obs)
        p = self.pending
        live = p is not None and p["quotes"] and p["seq"] == len(self.rounds)
        if live and day < p["day"]:
            return "CarbonPriceFeedStaleQuote"
        if not live or day != p["day"]:
            p = self.pending = {"day": day, "seq": len(self.rounds), "quotes": {}}
        if op in p["quotes"]:
            return "CarbonPriceFeedAlreadySubmitted"
        p["quotes"][op] = (price, obs)
        if len(p["quotes"]) >= QUORUM:
            qs = list(p["quotes"].values())
            self._settle(reference_median([q[0] for q in qs]), reference_median([q[1] for q in qs]), day, len(qs))
        return None

    # -- rules ------------------------------------------------------------------------------
    @rule(hours=st.integers(1, 60))
    def advance(self, hours):
        self.chain.pending_timestamp += hours * HOUR
        self.chain.mine()

    @rule(op=st.integers(0, 3), move_bps=st.sampled_from([0, 30, -30, 950, -950, 1010, -1010, 1500, -2500]),
          back=st.integers(0, 5))
    def quote(self, op, move_bps, back):
        base = self.held[0] if self.held and move_bps in (0, 30, -30) else (self.rounds[-1][0] if self.rounds else
                                                                           to_price("70"))
        price = min(to_price("999"), max(to_price("1"), base * (10_000 + move_bps) // 10_000 // 10**6 * 10**6))
        obs = self.chain.pending_timestamp - 1 - back * HOUR
        rid = len(self.rounds) + 1  # the open round: read before the model settles the quorum
        expected = self._model_submit(self.ops[op], price, obs)
        if expected is None:
            self.feed.submit(rid, price, obs, sender=self.ops[op])
        else:
            with pytest.raises(ContractLogicError) as info:
                self.feed.submit(rid, price, obs, sender=self.ops[op])
            assert type(info.value).__name__ == expected, info.value

    @rule(in_days=st.integers(0, 6), length_days=st.integers(1, 9))
    def schedule_closure(self, in_days, length_days):
        start = close_of(day_of(self.chain.pending_timestamp) + in_days) - 10 * HOUR
        end = start + length_days * 86_400
        if any(s < end and start < e for s, e in self.windows) or len(self.windows) >= 32:
            with pytest.raises(ContractLogicError) as info:
                self.feed.scheduleClosure(start, end, sender=self.admin)
            assert type(info.value).__name__ in ("CarbonPriceFeedClosureOverlap", "CarbonPriceFeedCalendarFull")
            return
        self.feed.scheduleClosure(start, end, sender=self.admin)
        self.windows = sorted(self.windows + [(start, end)])

    @rule(confirm=st.booleans())
    def risk_decides(self, confirm):
        rid = len(self.rounds) + 1
        fn = self.feed.confirmHeldRound if confirm else self.feed.discardHeldRound
        if self.held is None:
            with pytest.raises(ContractLogicError) as info:
                fn(rid, sender=self.risk)
            assert type(info.value).__name__ == "CarbonPriceFeedRoundNotHeld"
            return
        fn(rid, sender=self.risk)
        if confirm:
            self._publish(self.held[0], self.held[1])
        else:
            self.pending = None
        self.held = None

    # -- what consumers read ----------------------------------------------------------------
    @invariant()
    def consumers_read_the_model(self):
        c = self.feed
        assert int(c.latestRoundId()) == len(self.rounds)
        for rid in range(max(1, len(self.rounds) - 1), len(self.rounds) + 1):  # contiguous ids, honest times
            answer, obs = self.rounds[rid - 1]
            assert tuple(c.getRoundData(rid)) == (rid, answer, obs, obs, rid)
        assert bool(c.isHeld()) == (self.held is not None)
        now = int(self.chain.blocks.head.timestamp)
        stale = not self.rounds or now > stale_at(self.windows, day_of(self._latest_obs()), GRACE)
        closed = in_closure(self.windows, now)
        assert bool(c.isStale()) == stale and bool(c.marketClosed()) == closed
        usable = bool(self.rounds) and not stale and self.held is None and not closed
        assert bool(c.usablePrice()[0]) == usable


def test_feed_state_machine(make_feed, operators, risk, feed_admin, chain):
    FeedModel.ops = operators[:4]
    FeedModel.risk = risk
    FeedModel.admin = feed_admin
    FeedModel.chain = chain
    FeedModel.deploy = staticmethod(lambda: make_feed(n_operators=4, quorum=QUORUM).contract)
    runner = FeedModel.TestCase
    runner.settings = settings(
        max_examples=5, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    runner().runTest()
