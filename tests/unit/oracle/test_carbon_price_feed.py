"""CarbonPriceFeed: Chainlink compatibility, quorum and median, guards, held rounds, staleness,
closures, bundles and roles; every custom error."""

import ape
import pytest

from carbonchain.oracle.markets import market_code, to_price

DAY = 86400
P = to_price


@pytest.fixture
def t0(chain):
    """An observation time just before the next block."""
    return chain.pending_timestamp - 3600


def publish(feed, ops, prices, obs):
    for o, p in zip(ops, prices):
        feed.submit(P(p), obs, sender=o)


def test_aggregator_v3_metadata(feed):
    c = feed.contract
    assert c.decimals() == 8 and c.version() == 1 and c.description() == "CEA / CNY"
    assert bytes(c.market()) == market_code("CEA")
    with ape.reverts(c.CarbonPriceFeedNoData, roundId=0):
        c.latestRoundData()
    assert c.isStale()  # no data yet


def test_quorum_then_median_published(feed, operators, t0, chain):
    c = feed.contract
    a, b, d = operators[:3]
    r1 = c.submit(1, P("71.00"), t0, sender=a)
    assert feed.round(1).state == "Collecting" and c.openRoundId() == 1
    assert [lg.operator for lg in r1.decode_logs(c.QuoteSubmitted)] == [a.address]
    r2 = c.submit(1, P("73.00"), t0 + 5, sender=b)
    (pub,) = r2.decode_logs(c.RoundPublished)
    assert pub.answer == P("72.00") and pub.observedAt == t0 and pub.submissions == 2  # mean of two middles
    rid, answer, started, updated, answered = c.latestRoundData()
    assert (rid, answer, answered) == (1, P("72.00"), 1)
    assert started == chain.blocks[r1.block_number].timestamp and updated == chain.blocks[r2.block_number].timestamp
    assert c.getRoundData(1) == c.latestRoundData()
    # a late operator's quote for the closed round is rejected clearly
    with ape.reverts(c.CarbonPriceFeedRoundClosed, roundId=1):
        c.submit(1, P("72.50"), t0 + 6, sender=d)
    assert c.openRoundId() == 2 and not c.isStale()


def test_median_of_three_ignores_outlier(make_feed, operators, t0):
    feed = make_feed(n_operators=5, quorum=3)
    publish(feed, operators, ["70.10", "950.00", "70.30"], t0)
    assert feed.latest().answer == P("70.30")


def test_one_operator_cannot_move_price_alone(feed, operators, t0):
    c = feed.contract
    publish(feed, operators, ["70", "70"], t0)
    c.submit(2, P("90"), t0 + 10, sender=operators[0])
    assert feed.latest().round_id == 1 and feed.latest().answer == P("70")
    with ape.reverts(c.CarbonPriceFeedAlreadySubmitted, roundId=2, operator=operators[0].address):
        c.submit(2, P("91"), t0 + 11, sender=operators[0])


def test_round_not_open(feed, operators, t0):
    with ape.reverts(feed.contract.CarbonPriceFeedRoundNotOpen, roundId=3, openRoundId=1):
        feed.contract.submit(3, P("70"), t0, sender=operators[0])


def test_bounds(feed, operators, t0, admin):
    c = feed.contract
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=P("1000.01"), minPrice=P("1"), maxPrice=P("1000")):
        c.submit(1, P("1000.01"), t0, sender=operators[0])
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=0, minPrice=P("1"), maxPrice=P("1000")):
        c.submit(1, 0, t0, sender=operators[0])
    receipt = c.setBounds(P("10"), P("200"), sender=admin)
    (ev,) = receipt.decode_logs(c.BoundsChanged)
    assert ev.minPrice == P("10") and ev.maxPrice == P("200")
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=P("5"), minPrice=P("10"), maxPrice=P("200")):
        c.submit(1, P("5"), t0, sender=operators[0])
    for lo, hi in [(0, 5), (P("10"), P("10")), (P("10"), 2**96)]:
        with ape.reverts(c.CarbonPriceFeedInvalidBounds, minPrice=lo, maxPrice=hi):
            c.setBounds(lo, hi, sender=admin)


def test_observation_time(feed, operators, t0, chain):
    c = feed.contract
    future = chain.pending_timestamp + 3600
    with ape.reverts(c.CarbonPriceFeedInvalidObservation, observedAt=future, lastObservedAt=0):
        c.submit(1, P("70"), future, sender=operators[0])
    publish(feed, operators, ["70", "70"], t0)
    with ape.reverts(c.CarbonPriceFeedInvalidObservation, observedAt=t0, lastObservedAt=t0):
        c.submit(2, P("70"), t0, sender=operators[0])  # the same close again is not news


def test_wild_move_is_held_then_confirmed_by_one_more_operator(feed, operators, t0):
    c = feed.contract
    publish(feed, operators, ["70", "70"], t0)
    c.submit(2, P("90"), t0 + 10, sender=operators[0])
    r = c.submit(2, P("92"), t0 + 11, sender=operators[1])
    (held,) = r.decode_logs(c.RoundHeld)
    assert held.candidate == P("91") and held.previous == P("70") and held.moveBps == 3000
    assert feed.round(2).state == "Held" and feed.latest().round_id == 1
    r = c.submit(2, P("91"), t0 + 12, sender=operators[2])  # quorum + 1 confirms
    (pub,) = r.decode_logs(c.RoundPublished)
    assert pub.answer == P("91") and pub.submissions == 3
    assert feed.latest().answer == P("91")


def test_held_round_confirmed_or_discarded_by_risk_role(feed, operators, risk, t0, outsider):
    c = feed.contract
    publish(feed, operators, ["70", "70"], t0)
    publish(feed, operators, ["50", "50"], t0 + 10)
    assert feed.round(2).state == "Held"
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.RISK_ROLE()):
        c.confirmHeldRound(2, sender=outsider)
    r = c.discardHeldRound(2, sender=risk)
    assert len(list(r.decode_logs(c.RoundDiscarded))) == 1
    assert feed.round(2).state == "Discarded" and c.openRoundId() == 3
    with ape.reverts(c.CarbonPriceFeedNoData, roundId=2):
        c.getRoundData(2)
    with ape.reverts(c.CarbonPriceFeedRoundClosed, roundId=2):
        c.submit(2, P("50"), t0 + 11, sender=operators[2])
    publish(feed, operators, ["49", "51"], t0 + 20)
    assert feed.round(3).state == "Held"
    r = c.confirmHeldRound(3, sender=risk)
    assert len(list(r.decode_logs(c.HeldRoundConfirmed))) == 1
    assert feed.latest().round_id == 3 and feed.latest().answer == P("50")
    with ape.reverts(c.CarbonPriceFeedRoundNotHeld, roundId=3):
        c.confirmHeldRound(3, sender=risk)
    with ape.reverts(c.CarbonPriceFeedRoundNotHeld, roundId=4):
        c.discardHeldRound(4, sender=risk)


def test_staleness_and_heartbeat(feed, operators, chain, admin):
    c = feed.contract
    t = chain.pending_timestamp - 60
    publish(feed, operators, ["70", "70"], t)
    assert not c.isStale()
    chain.pending_timestamp = t + 4 * DAY + 1
    chain.mine()
    assert c.isStale()
    r = c.setParams(2, 1000, 10 * DAY, sender=admin)
    (ev,) = r.decode_logs(c.ParamsChanged)
    assert ev.heartbeat == 10 * DAY
    assert not c.isStale()


def test_market_closure_suspends_staleness(feed, operators, chain, admin):
    c = feed.contract
    t = chain.pending_timestamp - 60
    publish(feed, operators, ["70", "70"], t)
    start, end = t + DAY, t + 9 * DAY  # Spring Festival: eight days
    r = c.scheduleClosure(start, end, sender=admin)
    assert len(list(r.decode_logs(c.ClosureScheduled))) == 1
    assert c.closure() == (start, end)
    chain.pending_timestamp = t + 6 * DAY
    chain.mine()
    assert c.marketClosed() and not c.isStale()  # carried-over price, not a failed feed
    chain.pending_timestamp = end + 3 * DAY
    chain.mine()
    assert not c.marketClosed() and not c.isStale()  # heartbeat counts from the reopening
    chain.pending_timestamp = end + 4 * DAY + 1
    chain.mine()
    assert c.isStale()
    c.scheduleClosure(0, 0, sender=admin)
    assert c.closure() == (0, 0)


def test_closure_rejections(feed, admin, outsider):
    c = feed.contract
    with ape.reverts(c.CarbonPriceFeedInvalidClosure, start=100, end=100):
        c.scheduleClosure(100, 100, sender=admin)
    with ape.reverts(c.CarbonPriceFeedInvalidClosure, start=100, end=100 + 32 * DAY):
        c.scheduleClosure(100, 100 + 32 * DAY, sender=admin)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.scheduleClosure(100, 200, sender=outsider)


def test_params_rejections(feed, admin, outsider):
    c = feed.contract
    with ape.reverts(c.CarbonPriceFeedInvalidQuorum, quorum=1, operatorCount=3):
        c.setParams(1, 1000, DAY, sender=admin)
    with ape.reverts(c.CarbonPriceFeedInvalidQuorum, quorum=4, operatorCount=3):
        c.setParams(4, 1000, DAY, sender=admin)
    for move, hb in [(0, DAY), (10_001, DAY), (1000, 0)]:
        with ape.reverts(c.CarbonPriceFeedInvalidParams):
            c.setParams(2, move, hb, sender=admin)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.setParams(2, 1000, DAY, sender=outsider)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.setBounds(P("1"), P("2"), sender=outsider)


def test_operator_management(feed, operators, admin, outsider, t0):
    c = feed.contract
    role = c.OPERATOR_ROLE()
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.OPERATOR_ROLE()):
        c.submit(1, P("70"), t0, sender=outsider)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.grantRole(role, outsider, sender=outsider)
    r = c.grantRole(role, operators[3], sender=admin)
    (ev,) = r.decode_logs(c.OperatorAdded)
    assert ev.operator == operators[3].address and ev.index == 4
    assert c.params().operatorCount == 4
    r = c.revokeRole(role, operators[0], sender=admin)
    assert len(list(r.decode_logs(c.OperatorRemoved))) == 1
    assert set(c.operators()) == {o.address for o in operators[1:4]}
    c.revokeRole(role, operators[1], sender=admin)
    with ape.reverts(c.CarbonPriceFeedInvalidQuorum, quorum=2, operatorCount=1):
        c.revokeRole(role, operators[2], sender=admin)
    assert c.params().operatorCount == 2


def test_bundle_publishes_in_one_transaction(make_feed, operators, t0):
    feed = make_feed(n_operators=5, quorum=3)
    rid = feed.open_round()
    quotes = [feed.sign_quote(rid, P(p), t0 + i, o) for i, (p, o) in enumerate(zip(["71", "72", "73"], operators))]
    r = feed.submit_bundle(quotes, sender=operators[4])
    (ev,) = r.decode_logs(feed.contract.BundleSubmitted)
    assert ev.relayer == operators[4].address and sorted(ev.operators) == sorted(o.address for o in operators[:3])
    assert feed.latest().answer == P("72") and feed.latest().observed_at == t0
    assert bytes(feed.contract.quoteHash(rid, P("71"), t0)) != b"\x00" * 32


def test_bundle_rejections(make_feed, operators, outsider, t0):
    feed = make_feed(n_operators=5, quorum=3)
    c = feed.contract
    rid = 1
    good = [feed.sign_quote(rid, P("70"), t0, o) for o in operators[:3]]
    with ape.reverts(c.CarbonPriceFeedQuorumNotMet, quotes=2, quorum=3):
        feed.submit_bundle(good[:2], sender=operators[0])
    forged = good[:2] + [feed.sign_quote(rid, P("70"), t0, outsider)]
    with ape.reverts(c.CarbonPriceFeedInvalidSigner):
        feed.submit_bundle(forged, sender=operators[0])
    ordered = sorted(good, key=lambda q: int(q.signer, 16))
    dup = [ordered[0], ordered[1], ordered[1]]
    with ape.reverts(c.CarbonPriceFeedSignersNotAscending, index=2, signer=ordered[1].signer):
        c.submitBundle(rid, [q.as_tuple() for q in dup], sender=operators[0])
    tampered = [good[0], good[1], good[2].__class__(**{**good[2].__dict__, "price": P("75")})]
    with ape.reverts(c.CarbonPriceFeedInvalidSigner):
        feed.submit_bundle(tampered, sender=operators[0])
    other_round = [feed.sign_quote(2, P("70"), t0, o) for o in operators[:3]]
    with ape.reverts(c.CarbonPriceFeedRoundNotOpen, roundId=2, openRoundId=1):
        feed.submit_bundle(other_round, sender=operators[0])
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.OPERATOR_ROLE()):
        feed.submit_bundle(good, sender=outsider)
    bad_price = [feed.sign_quote(rid, P("2000"), t0, o) for o in operators[:3]]
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds):
        feed.submit_bundle(bad_price, sender=operators[0])
    c.submit(rid, P("70"), t0, sender=operators[0])
    with ape.reverts(c.CarbonPriceFeedRoundInProgress, roundId=1):
        feed.submit_bundle(good, sender=operators[1])
    assert feed.latest() is None


def test_held_bundle_confirmed_by_submit(make_feed, operators, t0):
    feed = make_feed(n_operators=5, quorum=3)
    publish(feed, operators, ["70", "70", "70"], t0)
    quotes = [feed.sign_quote(2, P("100"), t0 + 10, o) for o in operators[:3]]
    feed.submit_bundle(quotes, sender=operators[0])
    assert feed.round(2).state == "Held" and feed.has_submitted(2, operators[1])
    with ape.reverts(feed.contract.CarbonPriceFeedAlreadySubmitted, roundId=2, operator=operators[1].address):
        feed.contract.submit(2, P("100"), t0 + 11, sender=operators[1])
    feed.contract.submit(2, P("101"), t0 + 11, sender=operators[3])
    assert feed.latest().answer == P("100") and feed.latest().submissions == 4


def test_operator_indices_are_never_reused_and_bounded(feed, admin):
    """Bit indices 1..254 are handed out once each over the feed's life; the 255th grant is refused."""
    c = feed.contract
    role = c.OPERATOR_ROLE()
    # 3 operators were granted at deployment; add until the index space is used up
    for i in range(251):
        c.grantRole(role, "0x" + f"{0xA000 + i:040x}", sender=admin)
    assert c.params().operatorCount == 254
    with ape.reverts(c.CarbonPriceFeedTooManyOperators):
        c.grantRole(role, "0x" + f"{0xB000:040x}", sender=admin)


def test_usable_price_false_without_data_when_held_stale_or_closed(feed, operators, t0, chain, admin):
    c = feed.contract
    assert c.usablePrice() == (False, 0, 0, 0)
    publish(feed, operators, ["70", "70"], t0)
    assert c.usablePrice() == (True, P("70"), 1, t0)
    publish(feed, operators, ["90", "90"], t0 + 10)  # held: the market may have moved past the guard
    assert feed.round(2).state == "Held"
    assert c.usablePrice() == (False, P("70"), 1, t0)
    c.confirmHeldRound(2, sender=admin)
    assert c.usablePrice() == (True, P("90"), 2, t0 + 10)
    now = chain.pending_timestamp
    c.scheduleClosure(now, now + 2 * DAY, sender=admin)
    chain.mine()
    assert c.usablePrice()[0] is False  # market closed
    chain.pending_timestamp = now + 2 * DAY + 4 * DAY + 1
    chain.mine()
    assert c.usablePrice()[0] is False and c.isStale()
