"""CarbonPriceFeed: Chainlink compatibility, quorum and median, observation rules, the limit-day
band, held rounds and their release, staleness in trading days, the calendar, bundles and
roles; every custom error."""

import ape

from carbonchain.oracle.markets import market_code, to_price
from carbonchain.oracle.feeds import decode_trail

DAY = 86400
P = to_price


def publish(feed, ops, prices, obs):
    """Each operator submits its price for the open round (obs: one time or one per operator)."""
    times = obs if isinstance(obs, list) else [obs] * len(prices)
    rid = feed.open_round()
    return [feed.contract.submit(rid, P(p), t, sender=o) for o, p, t in zip(ops, prices, times)]


def walk_back(feed):
    """A consumer walking back from the latest round with getRoundData: every id answers."""
    c = feed.contract
    latest = int(c.latestRoundId())
    return [int(c.getRoundData(r)[1]) for r in range(latest, 0, -1)]


def test_aggregator_v3_metadata(feed):
    c = feed.contract
    assert c.decimals() == 8 and c.version() == 2 and c.description() == "CEA / CNY"
    assert bytes(c.market()) == market_code("CEA")
    with ape.reverts(c.CarbonPriceFeedNoData, roundId=0):
        c.latestRoundData()
    assert c.isStale() and c.staleAt() == 0


def test_quorum_then_median_with_honest_updated_at(feed, operators, monday, close):
    """Finding 6: updatedAt is the round's median observation time, not the publication time."""
    c = feed.contract
    a, b, d = operators[:3]
    t = close(monday)
    r1 = c.submit(1, P("71.00"), t, sender=a)
    assert feed.round(1).state == "Collecting" and c.openRoundId() == 1
    assert [lg.operator for lg in r1.decode_logs(c.QuoteSubmitted)] == [a.address]
    c.submit(1, P("73.00"), t + 60, sender=b)
    r3 = c.submit(1, P("72.50"), t + 7 * 3600, sender=d)  # a late but same-day observation
    (pub,) = r3.decode_logs(c.RoundPublished)
    assert pub.answer == P("72.50") and pub.observedAt == t + 60 and pub.submissions == 3
    assert c.latestRoundData() == (1, P("72.50"), t + 60, t + 60, 1)
    with ape.reverts(c.CarbonPriceFeedRoundClosed, roundId=1):
        c.submit(1, P("72.50"), t + 100, sender=d)
    assert c.openRoundId() == 2


def test_median_ignores_one_outlier(make_feed, operators, monday, close):
    feed = make_feed(n_operators=5, quorum=3)
    publish(feed, operators, ["70.10", "950.00", "70.30"], close(monday))
    assert feed.latest().answer == P("70.30")


def test_round_not_open(feed, operators, monday, close):
    with ape.reverts(feed.contract.CarbonPriceFeedRoundNotOpen, roundId=3, openRoundId=1):
        feed.contract.submit(3, P("70"), close(monday), sender=operators[0])


def test_bounds(feed, operators, monday, close, feed_admin):
    c = feed.contract
    t = close(monday)
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=P("1000.01"), minPrice=P("1"), maxPrice=P("1000")):
        c.submit(1, P("1000.01"), t, sender=operators[0])
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=0, minPrice=P("1"), maxPrice=P("1000")):
        c.submit(1, 0, t, sender=operators[0])
    receipt = c.setBounds(P("10"), P("200"), sender=feed_admin)
    (ev,) = receipt.decode_logs(c.BoundsChanged)
    assert ev.minPrice == P("10") and ev.maxPrice == P("200")
    assert feed.params().minPrice == P("10")
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=P("5"), minPrice=P("10"), maxPrice=P("200")):
        c.submit(1, P("5"), t, sender=operators[0])
    for lo, hi in [(0, 5), (P("10"), P("10")), (P("10"), 2**47)]:
        with ape.reverts(c.CarbonPriceFeedInvalidBounds, minPrice=lo, maxPrice=hi):
            c.setBounds(lo, hi, sender=feed_admin)


def test_observation_rules(feed, operators, monday, close, chain):
    """Finding 7: a quote older than the round's market day is refused; a newer day supersedes."""
    c = feed.contract
    a, b, d = operators[:3]
    future = chain.pending_timestamp + 3600
    with ape.reverts(c.CarbonPriceFeedInvalidObservation, observedAt=future):
        c.submit(1, P("70"), future, sender=a)
    c.submit(1, P("70"), close(monday), sender=a)
    r = c.submit(1, P("71"), close(monday + 1), sender=b)  # Tuesday's close supersedes Monday's lone quote
    (ev,) = r.decode_logs(c.PendingQuotesSuperseded)
    assert (ev.oldDay, ev.newDay) == (monday, monday + 1)
    assert feed.round(1).submissions == 1
    with ape.reverts(c.CarbonPriceFeedStaleQuote, observedAt=close(monday), roundDay=monday + 1):
        c.submit(1, P("70"), close(monday), sender=d)  # the operator that missed a day sends its old close
    c.submit(1, P("71"), close(monday + 1), sender=a)
    c.submit(1, P("71"), close(monday + 1), sender=d)
    assert feed.latest().observed_at == close(monday + 1)
    with ape.reverts(c.CarbonPriceFeedAlreadyPublished, observedAt=close(monday + 1, -60),
                     latestObservedAt=close(monday + 1)):
        c.submit(2, P("71"), close(monday + 1, -60), sender=a)
    with ape.reverts(c.CarbonPriceFeedAlreadySubmitted, roundId=2, operator=a.address):
        c.submit(2, P("71"), close(monday + 2), sender=a)
        c.submit(2, P("71"), close(monday + 2), sender=a)


def test_limit_moves_with_rounding_are_published_not_held(feed, operators, monday, close):
    """Finding 1: a real limit move (+9.99%, or -10.01% after rounding to the fen) never holds."""
    publish(feed, operators, ["36.58", "36.58", "36.58"], close(monday))
    publish(feed, operators, ["40.23", "40.24", "40.24"], close(monday + 1))  # +10.0% and a fen of noise
    publish(feed, operators, ["36.20", "36.21", "36.22"], close(monday + 2))  # -10.0%
    assert [r / 10**8 for r in walk_back(feed)] == [36.21, 40.24, 36.58]
    assert not feed.contract.isHeld()


def test_band_widens_with_trading_days_and_closures(feed, operators, monday, close, feed_admin):
    """Two trading days may move two limits; a closure crossed counts one more; a weekend does not."""
    c = feed.contract
    publish(feed, operators, ["50", "50", "50"], close(monday))
    publish(feed, operators, ["60", "60", "60"], close(monday + 2))  # +20% over Tue and Wed: published
    assert feed.latest().answer == P("60") and not c.isHeld()
    publish(feed, operators, ["72", "72", "72"], close(monday + 7))  # Fri + weekend + Mon: 3 trading days
    assert feed.latest().answer == P("72")
    c.scheduleClosure(close(monday + 8), close(monday + 10), sender=feed_admin)  # Wed, Thu closed
    # Thu and Fri after the closure: two trading days plus one closure crossed -> +25% allowed
    publish(feed, operators, ["90", "90", "90"], close(monday + 11))
    assert feed.latest().answer == P("90") and not c.isHeld()
    publish(feed, operators, ["105", "105", "105"], close(monday + 14))  # Fri -> Mon: one limit only
    assert c.isHeld() and feed.latest().answer == P("90")


def test_held_candidate_released_by_next_day_quorum_without_id_gap(feed, operators, monday, close):
    """Finding 2 and 10: the next trading day's agreeing quorum publishes the held day and itself;
    ids stay contiguous."""
    c = feed.contract
    publish(feed, operators, ["70", "70", "70"], close(monday))
    receipts = publish(feed, operators, ["80", "80", "80"], close(monday + 1))  # +14%: beyond one limit
    (held,) = receipts[-1].decode_logs(c.RoundHeld)
    assert held.candidate == P("80") and held.previous == P("70") and held.roundId == 2
    assert feed.round(2).state == "Held" and c.isHeld() and c.usablePrice()[0] is False
    receipts = publish(feed, operators, ["81", "81", "81"], close(monday + 2))
    pubs = list(receipts[-1].decode_logs(c.RoundPublished))
    assert [(p.roundId, p.answer, p.observedAt) for p in pubs] == [
        (2, P("80"), close(monday + 1)), (3, P("81"), close(monday + 2))]
    assert walk_back(feed) == [P("81"), P("80"), P("70")] and not c.isHeld()


def test_held_glitch_dropped_when_next_day_returns_within_band(feed, operators, monday, close):
    c = feed.contract
    publish(feed, operators, ["70", "70", "70"], close(monday))
    publish(feed, operators, ["95", "95", "95"], close(monday + 1))
    receipts = publish(feed, operators, ["70.5", "70.5", "70.5"], close(monday + 2))
    (dropped,) = receipts[-1].decode_logs(c.RoundDiscarded)
    assert dropped.candidate == P("95") and dropped.by == "0x" + "00" * 20
    assert walk_back(feed) == [P("70.5"), P("70")] and not c.isHeld()


def test_held_replaced_by_a_newer_disagreeing_candidate(feed, operators, monday, close):
    c = feed.contract
    publish(feed, operators, ["70", "70", "70"], close(monday))
    publish(feed, operators, ["95", "95", "95"], close(monday + 1))
    receipts = publish(feed, operators, ["40", "40", "40"], close(monday + 2))
    assert len(list(receipts[-1].decode_logs(c.RoundDiscarded))) == 1
    (held,) = receipts[-1].decode_logs(c.RoundHeld)
    assert held.candidate == P("40") and feed.round(2).answer == P("40")


def test_held_round_confirmed_or_discarded_by_risk_role(feed, operators, risk, monday, close, outsider):
    c = feed.contract
    publish(feed, operators, ["70", "70", "70"], close(monday))
    publish(feed, operators, ["50", "50", "50"], close(monday + 1))
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.RISK_ROLE()):
        c.confirmHeldRound(2, sender=outsider)
    with ape.reverts(c.CarbonPriceFeedRoundNotHeld, roundId=3):
        c.discardHeldRound(3, sender=risk)
    r = c.discardHeldRound(2, sender=risk)
    (ev,) = r.decode_logs(c.RoundDiscarded)
    assert ev.by == risk.address and ev.candidate == P("50")
    assert not c.isHeld() and c.openRoundId() == 2  # no id consumed
    with ape.reverts(c.CarbonPriceFeedNoData, roundId=2):
        c.getRoundData(2)
    publish(feed, operators, ["49", "50", "51"], close(monday + 2))  # -28% over two days: held again
    assert c.isHeld()
    r = c.confirmHeldRound(2, sender=risk)
    assert len(list(r.decode_logs(c.HeldRoundConfirmed))) == 1
    assert feed.latest().round_id == 2 and feed.latest().answer == P("50")
    with ape.reverts(c.CarbonPriceFeedRoundNotHeld, roundId=3):
        c.confirmHeldRound(3, sender=risk)


def test_staleness_in_trading_days(feed, operators, chain, close, monday):
    """Finding 4: a weekend is never stale; a missing Monday close is, grace after Monday's close."""
    c = feed.contract
    friday = monday + 32
    chain.pending_timestamp = close(friday, 600)
    chain.mine()
    publish(feed, operators, ["70", "70", "70"], close(friday))
    monday_after = friday + 3
    assert c.staleAt() == close(monday_after) + 8 * 3600
    for t in (close(friday + 1), close(friday + 2, 8 * 3600), close(monday_after, 8 * 3600)):
        chain.pending_timestamp = t
        chain.mine()
        assert not c.isStale() and c.usablePrice()[0]
    chain.pending_timestamp = close(monday_after, 8 * 3600 + 1)
    chain.mine()
    assert c.isStale() and c.usablePrice() == (False, P("70"), 1, close(friday))


def test_closure_extends_freshness_only_for_a_fresh_feed(feed, operators, chain, close, monday, feed_admin):
    """Finding 5: a feed dead weeks before a holiday is stale during and after it; a fresh one is not."""
    c = feed.contract
    publish(feed, operators, ["70", "70", "70"], close(monday))
    holiday = (close(monday + 35, -6 * 3600), close(monday + 44, -6 * 3600))
    c.scheduleClosure(*holiday, sender=feed_admin)
    chain.pending_timestamp = holiday[0] + 3 * DAY
    chain.mine()
    assert c.marketClosed() and c.isStale()  # dead since long before the holiday
    publish(feed, operators, ["70", "70", "70"], close(monday + 32))  # the last close before the holiday (Fri)
    assert not c.isStale() and c.usablePrice()[0] is False  # fresh, but the market is closed
    assert c.staleAt() == close(monday + 44) + 8 * 3600  # first trading day after the holiday


def test_calendar_many_windows_sorted_never_overwritten(feed, feed_admin, outsider, operators, monday, close):
    """Finding 3: many windows per market, overlap refused, cancel and prune, bounded."""
    c = feed.contract
    wins = [(close(monday + 40), close(monday + 41)), (close(monday + 10), close(monday + 12)),
            (close(monday + 20), close(monday + 28))]
    for s, e in wins:
        r = c.scheduleClosure(s, e, sender=feed_admin)
        assert [(ev.start, ev.end) for ev in r.decode_logs(c.ClosureScheduled)] == [(s, e)]
    assert feed.closures() == tuple(sorted(wins))
    with ape.reverts(c.CarbonPriceFeedClosureOverlap, start=close(monday + 11), end=close(monday + 13),
                     existingStart=wins[1][0], existingEnd=wins[1][1]):
        c.scheduleClosure(close(monday + 11), close(monday + 13), sender=feed_admin)
    assert not c.isTradingDay(close(monday + 11)) and c.isTradingDay(close(monday + 14))
    assert not c.isTradingDay(close(monday + 5))  # Saturday
    r = c.cancelClosure(wins[0][0], sender=feed_admin)
    assert len(list(r.decode_logs(c.ClosureCancelled))) == 1
    with ape.reverts(c.CarbonPriceFeedUnknownClosure, start=wins[0][0]):
        c.cancelClosure(wins[0][0], sender=feed_admin)
    for s, e in [(100, 100), (100, 100 + 32 * DAY)]:
        with ape.reverts(c.CarbonPriceFeedInvalidClosure, start=s, end=e):
            c.scheduleClosure(s, e, sender=feed_admin)
    with ape.reverts(c.CarbonPriceFeedInvalidClosure, start=close(monday + 13), end=0):
        c.pruneClosures(close(monday + 13), sender=feed_admin)  # no observation yet: nothing may go
    publish(feed, operators, ["70", "70", "70"], close(monday + 16))
    r = c.pruneClosures(close(monday + 16), sender=feed_admin)
    (ev,) = r.decode_logs(c.ClosuresPruned)
    assert ev.count == 1 and feed.closures() == (wins[2],)
    for k in range(31):
        c.scheduleClosure(close(monday + 100 + 2 * k), close(monday + 101 + 2 * k), sender=feed_admin)
    with ape.reverts(c.CarbonPriceFeedCalendarFull, max=32):
        c.scheduleClosure(close(monday + 300), close(monday + 301), sender=feed_admin)
    for call in (lambda: c.scheduleClosure(1, 2, sender=outsider), lambda: c.cancelClosure(1, sender=outsider),
                 lambda: c.pruneClosures(1, sender=outsider)):
        with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address,
                         neededRole=c.FEED_ADMIN_ROLE()):
            call()


def test_params_and_odd_quorum(make_feed, feed_admin, outsider):
    """Finding 8: quorum must be odd and at least 3."""
    c = make_feed(n_operators=5, quorum=3).contract
    r = c.setParams(5, 2000, 50, 12 * 3600, sender=feed_admin)
    (ev,) = r.decode_logs(c.ParamsChanged)
    assert (ev.quorum, ev.limitBps, ev.toleranceBps, ev.grace) == (5, 2000, 50, 12 * 3600)
    for quorum in (1, 2, 4, 7):
        with ape.reverts(c.CarbonPriceFeedInvalidQuorum, quorum=quorum, operatorCount=5):
            c.setParams(quorum, 1000, 100, 3600, sender=feed_admin)
    for limit, tol, grace in [(0, 100, 3600), (5001, 100, 3600), (1000, 1001, 3600), (1000, 100, 3599),
                              (1000, 100, 7 * DAY + 1)]:
        with ape.reverts(c.CarbonPriceFeedInvalidParams, limitBps=limit, toleranceBps=tol, grace=grace):
            c.setParams(3, limit, tol, grace, sender=feed_admin)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.setParams(3, 1000, 100, 3600, sender=outsider)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.setBounds(P("1"), P("2"), sender=outsider)


def test_operator_management_and_removed_operator_quote(make_feed, operators, feed_admin, outsider, monday, close):
    """Finding 10: a removed operator's quote no longer counts in the open round."""
    feed = make_feed(n_operators=4, quorum=3)
    c = feed.contract
    role = c.OPERATOR_ROLE()
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=role):
        c.submit(1, P("70"), close(monday), sender=outsider)
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.FEED_ADMIN_ROLE()):
        c.grantRole(role, outsider, sender=outsider)
    publish(feed, operators[:2], ["70", "70"], close(monday))
    assert feed.has_submitted(1, operators[0])
    r = c.revokeRole(role, operators[0], sender=feed_admin)
    (ev,) = r.decode_logs(c.OperatorRemoved)
    assert ev.operator == operators[0].address
    assert set(c.operators()) == {o.address for o in operators[1:4]}
    assert feed.round(1).state == "None" and not feed.has_submitted(1, operators[1])
    c.submit(1, P("70"), close(monday), sender=operators[2])
    c.submit(1, P("70"), close(monday), sender=operators[3])
    assert feed.latest() is None  # operator 0's quote no longer counts: 2 of 3
    r = c.grantRole(role, operators[4], sender=feed_admin)
    (ev,) = r.decode_logs(c.OperatorAdded)
    assert ev.operator == operators[4].address and c.params().operatorCount == 4
    with ape.reverts(c.CarbonPriceFeedInvalidQuorum, quorum=3, operatorCount=2):
        c.revokeRole(role, operators[1], sender=feed_admin)
        c.revokeRole(role, operators[2], sender=feed_admin)
    for i in range(6):
        c.grantRole(role, "0x" + f"{0xA000 + i:040x}", sender=feed_admin)
    with ape.reverts(c.CarbonPriceFeedTooManyOperators, max=9):
        c.grantRole(role, "0x" + f"{0xB000:040x}", sender=feed_admin)


def test_admin_transfer_is_two_step_and_delayed(make_feed, admin, outsider, chain):
    c = make_feed(delay=3 * DAY).contract
    assert c.defaultAdmin() == admin.address and c.defaultAdminDelay() == 3 * DAY
    with ape.reverts(c.AccessControlEnforcedDefaultAdminRules):
        c.grantRole(c.DEFAULT_ADMIN_ROLE(), outsider, sender=admin)
    c.beginDefaultAdminTransfer(outsider, sender=admin)
    with ape.reverts(c.AccessControlEnforcedDefaultAdminDelay):
        c.acceptDefaultAdminTransfer(sender=outsider)
    chain.pending_timestamp += 3 * DAY + 1
    c.acceptDefaultAdminTransfer(sender=outsider)
    assert c.defaultAdmin() == outsider.address


def test_bundle_publishes_in_one_transaction_with_audit_trail(make_feed, operators, monday, close):
    feed = make_feed(n_operators=5, quorum=3)
    rid = feed.open_round()
    t = close(monday)
    quotes = [feed.sign_quote(rid, P(p), t + i * 60, o)
              for i, (p, o) in enumerate(zip(["71", "72", "73", "74"], operators))]
    r = feed.submit_bundle(quotes, sender=operators[4])
    (ev,) = r.decode_logs(feed.contract.BundleSubmitted)
    assert ev.relayer == operators[4].address  # accountable for which signed quotes went in
    trail = sorted((decode_trail(w) for w in ev.quotes), key=lambda q: q.price)
    assert [(q.operator, q.price, q.observed_at) for q in trail] == [
        (o.address, P(p), t + i * 60) for i, (p, o) in enumerate(zip(["71", "72", "73", "74"], operators))]
    assert feed.latest().answer == P("72.5") and feed.latest().observed_at == t + 90  # medians of 4
    assert bytes(feed.contract.quoteHash(rid, P("71"), t)) != b"\x00" * 32


def test_bundle_rejections(make_feed, operators, outsider, monday, close):
    feed = make_feed(n_operators=5, quorum=3)
    c = feed.contract
    rid, t = 1, close(monday)
    good = [feed.sign_quote(rid, P("70"), t, o) for o in operators[:3]]
    with ape.reverts(c.CarbonPriceFeedQuorumNotMet, quotes=2, quorum=3):
        feed.submit_bundle(good[:2], sender=operators[0])
    forged = good[:2] + [feed.sign_quote(rid, P("70"), t, outsider)]
    with ape.reverts(c.CarbonPriceFeedInvalidSigner):
        feed.submit_bundle(forged, sender=operators[0])
    ordered = sorted(good, key=lambda q: int(q.signer, 16))
    with ape.reverts(c.CarbonPriceFeedSignersNotAscending, index=2, signer=ordered[1].signer):
        c.submitBundle(rid, [q.as_tuple() for q in (ordered[0], ordered[1], ordered[1])], sender=operators[0])
    tampered = [good[0], good[1], good[2].__class__(**{**good[2].__dict__, "price": P("75")})]
    with ape.reverts(c.CarbonPriceFeedInvalidSigner):
        feed.submit_bundle(tampered, sender=operators[0])
    with ape.reverts(c.CarbonPriceFeedRoundNotOpen, roundId=2, openRoundId=1):
        feed.submit_bundle([feed.sign_quote(2, P("70"), t, o) for o in operators[:3]], sender=operators[0])
    with ape.reverts(c.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=c.OPERATOR_ROLE()):
        feed.submit_bundle(good, sender=outsider)
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds):
        feed.submit_bundle([feed.sign_quote(rid, P("2000"), t, o) for o in operators[:3]], sender=operators[0])
    mixed = good[:2] + [feed.sign_quote(rid, P("70"), close(monday - 3), operators[2])]
    with ape.reverts(c.CarbonPriceFeedMixedDays):
        feed.submit_bundle(mixed, sender=operators[0])
    feed.submit_bundle(good, sender=operators[1])
    with ape.reverts(c.CarbonPriceFeedRoundClosed, roundId=1):
        feed.submit_bundle(good, sender=operators[1])
    late = [feed.sign_quote(2, P("70"), t, o) for o in operators[:3]]
    with ape.reverts(c.CarbonPriceFeedAlreadyPublished, observedAt=t, latestObservedAt=t):
        feed.submit_bundle(late, sender=operators[1])


def test_usable_price_false_without_data_when_held_stale_or_closed(feed, operators, monday, close, chain,
                                                                  feed_admin, risk):
    c = feed.contract
    assert c.usablePrice() == (False, 0, 0, 0)
    friday = monday + 32
    chain.pending_timestamp = close(friday, 600)
    chain.mine()
    publish(feed, operators, ["70", "70", "70"], close(friday - 1))
    assert c.usablePrice() == (True, P("70"), 1, close(friday - 1))
    publish(feed, operators, ["90", "90", "90"], close(friday))
    assert c.usablePrice() == (False, P("70"), 1, close(friday - 1))  # held
    c.confirmHeldRound(2, sender=risk)
    assert c.usablePrice() == (True, P("90"), 2, close(friday))
    now = chain.pending_timestamp
    c.scheduleClosure(now, now + DAY, sender=feed_admin)
    chain.mine()
    assert c.usablePrice()[0] is False and c.marketClosed()


def test_operator_set_is_a_sorted_data_contract(make_feed, operators, feed_admin, chain):
    """The operators live in the code of a data contract (STOP byte, the two bounds in 6 bytes each,
    the packed addresses), ascending whatever order they were granted in; each role change and each
    bounds change writes a new one."""
    feed = make_feed(n_operators=3, quorum=3)
    c = feed.contract
    ops = [str(a) for a in c.operators()]
    assert ops == sorted((o.address for o in operators[:3]), key=lambda a: int(a, 16))
    r = c.grantRole(c.OPERATOR_ROLE(), operators[4], sender=feed_admin)
    (ev,) = r.decode_logs(c.OperatorAdded)
    code = bytes(chain.provider.get_code(ev.set))
    expected = sorted((o.address for o in [*operators[:3], operators[4]]), key=lambda a: int(a, 16))
    bounds = P("1").to_bytes(6, "big") + P("1000").to_bytes(6, "big")
    assert code == b"\x00" + bounds + b"".join(bytes.fromhex(a[2:]) for a in expected)
    assert [str(a) for a in c.operators()] == expected
    r = c.setBounds(P("10"), P("200"), sender=feed_admin)
    assert c.operators() == c.operators() and [str(a) for a in c.operators()] == expected
    p = c.params()
    assert (p.minPrice, p.maxPrice, p.operatorCount) == (P("10"), P("200"), 4)


def test_bundle_rejections_name_the_quote(make_feed, operators, outsider, monday, close, chain, accounts):
    """Each bundle check names the failing quote's index, whatever its position."""
    feed = make_feed(n_operators=5, quorum=3)
    c = feed.contract
    rid, t = 1, close(monday)
    ordered = sorted(operators[:3], key=lambda o: int(o.address, 16))

    def bundle(*quotes):
        return c.submitBundle(rid, [q.as_tuple() for q in quotes], sender=operators[0])

    q = [feed.sign_quote(rid, P("70"), t, o) for o in ordered]
    with ape.reverts(c.CarbonPriceFeedPriceOutOfBounds, price=P("2000")):
        bundle(q[0], feed.sign_quote(rid, P("2000"), t, ordered[1]), q[2])
    future = chain.pending_timestamp + 3600
    with ape.reverts(c.CarbonPriceFeedInvalidObservation, observedAt=future):
        bundle(q[0], q[1], feed.sign_quote(rid, P("70"), future, ordered[2]))
    with ape.reverts(c.CarbonPriceFeedMixedDays, index=1, observedAt=close(monday + 1)):
        bundle(q[0], feed.sign_quote(rid, P("70"), close(monday + 1), ordered[1]), q[2])
    # a signer outside the set is an invalid signer even where it also breaks the ascending order
    low = accounts.generate_test_account()
    while int(low.address, 16) >= int(ordered[0].address, 16):
        low = accounts.generate_test_account()
    with ape.reverts(c.CarbonPriceFeedInvalidSigner, index=1, recovered=low.address):
        bundle(q[0], feed.sign_quote(rid, P("70"), t, low), q[2])
    with ape.reverts(c.CarbonPriceFeedSignersNotAscending, index=1, signer=ordered[0].address):
        bundle(q[1], q[0], q[2])
    # an invalid signature (high s) recovers nobody
    s_high = q[1].__class__(**{**q[1].__dict__, "vs": b"\xff" * 32})
    with ape.reverts(c.CarbonPriceFeedInvalidSigner, index=1):
        bundle(q[0], s_high, q[2])
    feed.submit_bundle(q, sender=operators[0])
    assert feed.latest().answer == P("70")


def test_history_three_rounds_per_slot_reads_back_every_round(make_feed, operators, monday, close, feed_admin):
    """Rounds are packed three per storage slot: every round reads back exactly through
    getRoundData across slot boundaries, including a price at the top of the bounds."""
    feed = make_feed(n_operators=5, quorum=3, lo="1", hi="1000")
    c = feed.contract
    top = 2**47 - 1
    c.setBounds(P("1"), top, sender=feed_admin)
    c.setParams(3, 5000, 1000, 8 * 3600, sender=feed_admin)
    expected = []
    prices = [P("70"), P("71.5"), P("70.25"), P("72"), P("73.1"), P("74"), P("75.5")]
    for k, price in enumerate(prices):
        t = close(monday + k)
        n = 3 + (k % 3 == 0) * 2  # 5 quotes on some rounds, 3 on others
        quotes = [feed.sign_quote(k + 1, price + i, t + i, o) for i, o in enumerate(operators[:n])]
        feed.submit_bundle(quotes, sender=operators[0])
        expected.append((k + 1, price + (n // 2), t + n // 2, n))
    for rid, answer, obs, n in expected:
        assert c.getRoundData(rid) == (rid, answer, obs, obs, rid)
        view = c.getRound(rid)
        assert (view.answer, view.observedAt, view.submissions) == (answer, obs, n)
    assert c.latestRoundData() == c.getRoundData(len(prices))
    with ape.reverts(c.CarbonPriceFeedNoData, roundId=len(prices) + 1):
        c.getRoundData(len(prices) + 1)
    # the top of the widest bounds survives the 48-bit packing
    high = make_feed(n_operators=3, quorum=3)
    high.contract.setBounds(P("1"), top, sender=feed_admin)
    t = close(monday)
    high.submit_bundle([high.sign_quote(1, top - 2 + i, t, o) for i, o in enumerate(operators[:3])],
                       sender=operators[0])
    assert high.contract.getRoundData(1) == (1, top - 1, t, t, 1)
