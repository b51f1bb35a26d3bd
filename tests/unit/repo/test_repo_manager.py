"""RepoManager: every function, event and custom error (real registries and feed)."""

from dataclasses import replace

import ape
import pytest

from carbonchain.oracle import market_code, to_price
from carbonchain.repo.model import DAY, Health, Status, ceil_div, max_principal, out_of_closure
from tests.utils.repo import ZERO32, events, health, position, status

P = to_price


# ------------------------------------------------------------------ propose

def test_propose_records_terms_and_emits(world, repo, base_terms):
    r = repo.propose(base_terms.as_tuple(), sender=world.financier)
    (ev,) = events(r, repo, "RepoProposed")
    assert ev.id == 1 and ev.financier == world.financier.address and ev.counterparty == world.counterparty.address
    assert ev.feed == world.feed.address
    g = repo.getAgreement(1)
    assert Status(g.status) == Status.PROPOSED and g.quantity == 5000 and g.principal == base_terms.principal
    assert g.terms.contractDigest == base_terms.contract_digest and g.terms.credential == base_terms.credential
    assert repo.agreementCount() == 1


def test_counterparty_may_propose(world, repo, base_terms):
    repo.propose(base_terms.as_tuple(), sender=world.counterparty)
    assert status(repo, 1) == Status.PROPOSED


def test_propose_rejects_bad_parties(world, repo, base_terms, accounts):
    zero = "0x" + "00" * 20
    for f, c in ((zero, base_terms.counterparty), (base_terms.financier, zero),
                 (base_terms.financier, base_terms.financier)):
        with ape.reverts(repo.RepoManagerInvalidParties, financier=f, counterparty=c):
            repo.propose(replace(base_terms, financier=f, counterparty=c).as_tuple(), sender=world.financier)
    with ape.reverts(repo.RepoManagerNotParty, id=0, caller=accounts[5].address):
        repo.propose(base_terms.as_tuple(), sender=accounts[5])
    unauthorised = replace(base_terms, financier=accounts[5].address)
    with ape.reverts(repo.RepoManagerFinancierNotAuthorised, financier=accounts[5].address):
        repo.propose(unauthorised.as_tuple(), sender=accounts[5])
    assert repo.agreementCount() == 0


def test_propose_rejects_bad_amounts(world, repo, base_terms):
    for over in ({"quantity": 0}, {"principal": 0}):
        with ape.reverts(repo.RepoManagerZeroAmount):
            repo.propose(replace(base_terms, **over).as_tuple(), sender=world.financier)
    with ape.reverts(repo.RepoManagerValueTooLarge, value=2**56, max=2**56 - 1):
        repo.propose(replace(base_terms, quantity=2**56).as_tuple(), sender=world.financier)
    with ape.reverts(repo.RepoManagerValueTooLarge, value=2**64, max=2**64 - 1):
        repo.propose(replace(base_terms, principal=2**64).as_tuple(), sender=world.financier)


def test_propose_rejects_bad_dates_and_rate(world, repo, base_terms):
    now = world.now()
    for start, maturity in ((now, now), (now + 10, now + 5), (now - 100 * DAY, now - DAY), (now, now + 3651 * DAY)):
        with ape.reverts(repo.RepoManagerInvalidDates, start=start, maturity=maturity):
            repo.propose(replace(base_terms, start=start, maturity=maturity).as_tuple(), sender=world.financier)
    with ape.reverts(repo.RepoManagerInvalidRate, rateBps=10_001):
        repo.propose(replace(base_terms, rate_bps=10_001).as_tuple(), sender=world.financier)


@pytest.mark.parametrize("lines", [(14000, 14000, 12000), (16000, 12000, 14000), (16000, 14000, 0), (12000, 14000, 16000)])
def test_propose_rejects_lines_not_strictly_decreasing(world, repo, base_terms, lines):
    w, m, c = lines
    with ape.reverts(repo.RepoManagerInvalidLines, warningBps=w, marginCallBps=m, closeOutBps=c):
        repo.propose(replace(base_terms, warning_bps=w, margin_call_bps=m, close_out_bps=c).as_tuple(),
                     sender=world.financier)


def test_propose_rejects_bad_haircut_cure_digests_market(world, repo, base_terms):
    for h in (0, 10_001):
        with ape.reverts(repo.RepoManagerInvalidHaircut, haircutBps=h):
            repo.propose(replace(base_terms, haircut_bps=h).as_tuple(), sender=world.financier)
    for c in (0, 30 * DAY + 1):
        with ape.reverts(repo.RepoManagerInvalidCurePeriod, curePeriod=c):
            repo.propose(replace(base_terms, cure_period=c).as_tuple(), sender=world.financier)
    for over in ({"contract_digest": ZERO32}, {"credential": ZERO32}):
        with ape.reverts(repo.RepoManagerZeroDigest):
            repo.propose(replace(base_terms, **over).as_tuple(), sender=world.financier)
    with ape.reverts(repo.RepoManagerUnknownMarket, market=market_code("HBEA")):
        repo.propose(replace(base_terms, market=market_code("HBEA")).as_tuple(), sender=world.financier)


# ------------------------------------------------------------------ approval (maker-checker)

def test_approval_needs_two_distinct_risk_officers(world, repo):
    rid = world.propose()
    maker, checker = world.risk
    report = world.ref("scoring")
    r = repo.proposeApproval(rid, 4, report, sender=maker)
    (ev,) = events(r, repo, "ApprovalProposed")
    assert ev.maker == maker.address and ev.riskGrade == 4 and ev.scoringReport == report
    with ape.reverts(repo.RepoManagerSameReviewer, id=rid, account=maker.address):
        repo.confirmApproval(rid, sender=maker)
    r = repo.confirmApproval(rid, sender=checker)
    (ev,) = events(r, repo, "RepoApproved")
    assert ev.maker == maker.address and ev.checker == checker.address and ev.price == P("80") and ev.roundId == 1
    assert ev.maxPrincipal == max_principal(5000, P("80"), 7000) == 28_000_000
    g = repo.getAgreement(rid)
    assert Status(g.status) == Status.APPROVED and g.riskGrade == 4 and g.scoringReport == report
    assert g.approvalMaker == maker.address and g.approvalChecker == checker.address
    with ape.reverts(repo.RepoManagerNotProposed, id=rid, status=int(Status.APPROVED)):
        repo.proposeApproval(rid, 4, report, sender=maker)
    with ape.reverts(repo.RepoManagerNotProposed, id=rid, status=int(Status.APPROVED)):
        repo.confirmApproval(rid, sender=checker)


def test_approval_rejections(world, repo, accounts):
    rid = world.propose()
    maker, checker = world.risk
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.proposeApproval(rid, 3, world.ref(), sender=accounts[5])
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.confirmApproval(rid, sender=accounts[5])
    for g in (0, 11):
        with ape.reverts(repo.RepoManagerInvalidRiskGrade, grade=g):
            repo.proposeApproval(rid, g, world.ref(), sender=maker)
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.proposeApproval(rid, 3, ZERO32, sender=maker)
    with ape.reverts(repo.RepoManagerNoPendingApproval, id=rid):
        repo.confirmApproval(rid, sender=checker)
    with ape.reverts(repo.RepoManagerUnknownAgreement, id=99):
        repo.proposeApproval(99, 3, world.ref(), sender=maker)


def _approve_fails(world, repo, rid):
    repo.proposeApproval(rid, 3, world.ref(), sender=world.risk[0])
    return lambda: repo.confirmApproval(rid, sender=world.risk[1])


def test_approval_requires_the_contract_fully_signed_by_both(world, repo, accounts):
    half = world.signed_contract(sign=(world.financier,))
    rid = world.propose(contract_digest=half)
    confirm = _approve_fails(world, repo, rid)
    with ape.reverts(repo.RepoManagerContractNotSigned, digest=half):
        confirm()
    world.documents.sign(world.financier, half, 1, sender=world.counterparty)
    confirm()
    assert status(repo, rid) == Status.APPROVED
    # never anchored
    ghost = world.ref("ghost-contract")
    rid = world.propose(contract_digest=ghost)
    with ape.reverts(repo.RepoManagerContractNotSigned, digest=ghost):
        _approve_fails(world, repo, rid)()
    # fully signed, but by other people
    other = world.ref("other-contract")
    world.documents.anchor(other, 1, ZERO32, [world.financier, accounts[5]], sender=world.financier)
    world.documents.sign(world.financier, other, 1, sender=world.financier)
    world.documents.sign(world.financier, other, 1, sender=accounts[5])
    rid = world.propose(contract_digest=other)
    with ape.reverts(repo.RepoManagerContractNotSigned, digest=other):
        _approve_fails(world, repo, rid)()


def test_approval_requires_a_valid_carbon_account_credential(world, repo, accounts):
    cp = world.counterparty.address
    cases = [
        world.ref("unknown-credential"),
        world.credential(subject=accounts[5]),  # someone else's
    ]
    from carbonchain.identity import bytes32_text

    world.issuers.accredit(world.broker, bytes32_text("AssetProof"), world.now() - 1, world.now() + 99 * DAY, False,
                           sender=world.admin)
    cases.append(world.credential(credential_type=bytes32_text("AssetProof")))  # wrong type
    suspended = world.credential()
    world.credentials.suspend(world.credential_digest(suspended), 1, sender=world.broker)
    cases.append(suspended)
    expiring = world.credential(days=1)
    cases.append(expiring)
    rids = [world.propose(credential=c) for c in cases]
    world.advance(2 * DAY)
    world.publish("80")
    for rid, c in zip(rids, cases):
        with ape.reverts(repo.RepoManagerCredentialInvalid, credential=c, counterparty=cp):
            _approve_fails(world, repo, rid)()
    # issuer no longer accredited
    good = world.credential()
    rid = world.propose(credential=good)
    world.issuers.suspend(world.broker, bytes32_text("CarbonAccountHolder"), 1, sender=world.admin)
    with ape.reverts(repo.RepoManagerCredentialInvalid, credential=good, counterparty=cp):
        _approve_fails(world, repo, rid)()


def test_approval_requires_a_usable_price_and_the_haircut(world, repo):
    limit = max_principal(5000, P("80"), 7000)
    rid = world.propose(principal=limit + 1)
    with ape.reverts(repo.RepoManagerHaircutExceeded, principal=limit + 1, maxPrincipal=limit):
        _approve_fails(world, repo, rid)()
    rid = world.propose(principal=limit)
    world.advance(5 * DAY)  # heartbeat is 4 days
    with ape.reverts(repo.RepoManagerPriceUnavailable, feed=world.feed.address, reasons=2):
        _approve_fails(world, repo, rid)()
    world.publish("80")
    repo.confirmApproval(rid, sender=world.risk[1])
    assert status(repo, rid) == Status.APPROVED


# ------------------------------------------------------------------ cancel, activate

def test_cancel_before_activation_only(world, repo, accounts):
    a = world.propose()
    with ape.reverts(repo.RepoManagerNotParty, id=a, caller=accounts[5].address):
        repo.cancel(a, sender=accounts[5])
    r = repo.cancel(a, sender=world.counterparty)
    (ev,) = events(r, repo, "RepoCancelled")
    assert ev.by == world.counterparty.address and ev.previous == int(Status.PROPOSED)
    with ape.reverts(repo.RepoManagerNotCancellable, id=a, status=int(Status.CANCELLED)):
        repo.cancel(a, sender=world.financier)
    with ape.reverts(repo.RepoManagerNotProposed, id=a, status=int(Status.CANCELLED)):
        repo.proposeApproval(a, 3, world.ref(), sender=world.risk[0])
    b = world.propose()
    world.approve(b)
    repo.cancel(b, sender=world.financier)
    with ape.reverts(repo.RepoManagerNotApproved, id=b, status=int(Status.CANCELLED)):
        world.activate(b)
    c = world.open()
    with ape.reverts(repo.RepoManagerNotCancellable, id=c, status=int(Status.ACTIVE)):
        repo.cancel(c, sender=world.financier)
    with ape.reverts(repo.RepoManagerUnknownAgreement, id=99):
        repo.cancel(99, sender=world.financier)


def test_activate(world, repo, accounts):
    rid = world.propose()
    with ape.reverts(repo.RepoManagerNotApproved, id=rid, status=int(Status.PROPOSED)):
        world.activate(rid)
    world.approve(rid)
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.activate(rid, world.ref(), sender=accounts[5])
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.activate(rid, ZERO32, sender=world.custodian)
    ref = world.ref("transfer")
    r = repo.activate(rid, ref, sender=world.custodian)
    (ev,) = events(r, repo, "RepoActivated")
    assert ev.custodian == world.custodian.address and ev.ref == ref
    g = repo.getAgreement(rid)
    assert Status(g.status) == Status.ACTIVE and Health(g.health) == Health.HEALTHY
    assert g.since == ape.chain.blocks[r.block_number].timestamp


def test_activate_after_maturity_is_refused(world, repo):
    now = world.now()
    rid = world.propose(maturity=now + 3 * DAY)
    world.approve(rid)
    world.advance(3 * DAY + 1)
    with ape.reverts(repo.RepoManagerMatured, id=rid, maturity=now + 3 * DAY):
        world.activate(rid)


# ------------------------------------------------------------------ top-up, repay, repurchase, default

def test_top_up(world, repo, accounts):
    rid = world.open()
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.topUp(rid, 10, world.ref(), sender=accounts[5])
    with ape.reverts(repo.RepoManagerZeroAmount):
        repo.topUp(rid, 0, world.ref(), sender=world.custodian)
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.topUp(rid, 10, ZERO32, sender=world.custodian)
    with ape.reverts(repo.RepoManagerValueTooLarge, value=2**56 - 1 + 5000, max=2**56 - 1):
        repo.topUp(rid, 2**56 - 1, world.ref(), sender=world.custodian)
    r = repo.topUp(rid, 1000, world.ref(), sender=world.custodian)
    (ev,) = events(r, repo, "CollateralToppedUp")
    assert ev.tonnes == 1000 and ev.quantity == 6000
    assert repo.getAgreement(rid).quantity == 6000
    p = world.propose()
    with ape.reverts(repo.RepoManagerNotActive, id=p, status=int(Status.PROPOSED)):
        repo.topUp(p, 1, world.ref(), sender=world.custodian)


def test_repay_folds_interest_at_the_old_principal(world, repo):
    rid = world.open(rate_bps=500)
    principal = 20_000_000
    world.advance(10 * DAY + 100)
    with ape.reverts(repo.RepoManagerNotFinancier, id=rid, caller=world.counterparty.address):
        repo.repay(rid, 100, world.ref(), sender=world.counterparty)
    with ape.reverts(repo.RepoManagerZeroAmount):
        repo.repay(rid, 0, world.ref(), sender=world.financier)
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.repay(rid, 100, ZERO32, sender=world.financier)
    with ape.reverts(repo.RepoManagerRepayTooLarge, amount=principal, outstanding=principal):
        repo.repay(rid, principal, world.ref(), sender=world.financier)
    r = repo.repay(rid, 5_000_000, world.ref(), sender=world.financier)
    (ev,) = events(r, repo, "RepoRepaid")
    assert ev.amount == 5_000_000 and ev.principal == 15_000_000
    world.advance(10 * DAY)
    num = principal * 500 * 10 + 15_000_000 * 500 * 10
    assert repo.amountDue(rid) == 15_000_000 + ceil_div(num, 3_650_000)
    p = position(repo, rid)
    assert p.accrual_day == 10 and p.interest_num == principal * 500 * 10


def test_repurchase_with_interest(world, repo, accounts):
    rid = world.open(rate_bps=450)
    world.advance(30 * DAY + 5)
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.repurchase(rid, world.ref(), sender=accounts[5])
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.repurchase(rid, ZERO32, sender=world.custodian)
    r = repo.repurchase(rid, world.ref("return"), sender=world.custodian)
    (ev,) = events(r, repo, "RepoRepurchased")
    assert ev.principal == 20_000_000 and ev.interest == ceil_div(20_000_000 * 450 * 30, 3_650_000) == 73_973
    assert status(repo, rid) == Status.REPURCHASED
    with ape.reverts(repo.RepoManagerNotActive, id=rid, status=int(Status.REPURCHASED)):
        repo.repurchase(rid, world.ref(), sender=world.custodian)


def test_default_only_after_maturity_and_repurchase_only_before(world, repo):
    now = world.now()
    rid = world.open(maturity=now + 20 * DAY, rate_bps=365)
    mat = now + 20 * DAY
    with ape.reverts(repo.RepoManagerNotMatured, id=rid, maturity=mat):
        repo.declareDefault(rid, sender=world.financier)
    world.advance(21 * DAY)
    with ape.reverts(repo.RepoManagerMatured, id=rid, maturity=mat):
        repo.repurchase(rid, world.ref(), sender=world.custodian)
    with ape.reverts(repo.RepoManagerNotFinancier, id=rid, caller=world.custodian.address):
        repo.declareDefault(rid, sender=world.custodian)
    r = repo.declareDefault(rid, sender=world.financier)
    (ev,) = events(r, repo, "RepoDefaulted")
    assert ev.amountDue == 20_000_000 + ceil_div(20_000_000 * 365 * 20, 3_650_000)  # interest stops at maturity
    with ape.reverts(repo.RepoManagerNotActive, id=rid, status=int(Status.DEFAULTED)):
        repo.declareDefault(rid, sender=world.financier)


# ------------------------------------------------------------------ close-out (maker-checker)

def test_close_out_maker_checker_and_settlement(world, repo, accounts):
    rid = world.open()
    maker, checker = world.risk
    with ape.reverts(repo.RepoManagerNotCloseOutEligible, id=rid, status=int(Status.ACTIVE), health=0):
        repo.proposeCloseOut(rid, 1, world.ref(), sender=maker)
    world.publish("45")  # 5000 t x 45 = 225,000 CNY vs 200,000 due: 112% < 120%
    repo.check([rid], sender=accounts[5])
    assert health(repo, rid) == Health.CLOSE_OUT_ELIGIBLE
    with ape.reverts(repo.AccessControlUnauthorizedAccount):
        repo.proposeCloseOut(rid, 1, world.ref(), sender=accounts[5])
    with ape.reverts(repo.RepoManagerZeroDigest):
        repo.proposeCloseOut(rid, 1, ZERO32, sender=maker)
    with ape.reverts(repo.RepoManagerNoPendingCloseOut, id=rid):
        repo.confirmCloseOut(rid, sender=checker)
    ref = world.ref("disposal")
    r = repo.proposeCloseOut(rid, 21_000_000, ref, sender=maker)
    (ev,) = events(r, repo, "CloseOutProposed")
    assert ev.maker == maker.address and ev.proceeds == 21_000_000 and ev.ref == ref
    with ape.reverts(repo.RepoManagerSameReviewer, id=rid, account=maker.address):
        repo.confirmCloseOut(rid, sender=maker)
    due = repo.amountDue(rid)
    r = repo.confirmCloseOut(rid, sender=checker)
    (ev,) = events(r, repo, "RepoClosedOut")
    assert ev.amountDue == due and ev.surplus == 21_000_000 - due and ev.shortfall == 0 and ev.checker == checker.address
    assert status(repo, rid) == Status.CLOSED_OUT
    with ape.reverts(repo.RepoManagerNotCloseOutEligible, id=rid, status=int(Status.CLOSED_OUT), health=3):
        repo.confirmCloseOut(rid, sender=checker)


def test_close_out_of_a_default_records_the_shortfall(world, repo):
    now = world.now()
    rid = world.open(maturity=now + 5 * DAY)
    world.advance(6 * DAY)
    repo.declareDefault(rid, sender=world.financier)
    repo.proposeCloseOut(rid, 15_000_000, world.ref(), sender=world.risk[1])
    r = repo.confirmCloseOut(rid, sender=world.risk[0])
    (ev,) = events(r, repo, "RepoClosedOut")
    assert ev.shortfall == ev.amountDue - 15_000_000 and ev.surplus == 0


# ------------------------------------------------------------------ health

def test_check_walks_the_lines(world, repo, accounts):
    rid = world.open()
    keeper = accounts[5]
    world.publish("60")  # 150%: warning
    r = repo.check([rid], sender=keeper)
    (ev,) = events(r, repo, "HealthChanged")
    assert (ev.previous, ev.health) == (0, 1) and ev.ratioBps == 15000 and ev.price == P("60") and ev.roundId == 2
    world.publish("50")  # 125%: margin call
    r = repo.check([rid], sender=keeper)
    (ev,) = events(r, repo, "HealthChanged")
    t = ape.chain.blocks[r.block_number].timestamp
    assert (ev.previous, ev.health) == (1, 2) and ev.since == t and ev.deadline == t + 2 * DAY
    r = repo.check([rid], sender=keeper)  # nothing new
    assert events(r, repo, "HealthChanged") == []
    world.advance(2 * DAY + 10)
    world.publish("50")
    r = repo.check([rid], sender=keeper)
    (ev,) = events(r, repo, "HealthChanged")
    assert (ev.previous, ev.health) == (2, 3) and ev.deadline == t + 2 * DAY


def test_check_skips_agreements_that_are_not_active(world, repo):
    proposed = world.propose()
    world.publish("45")
    r = repo.check([proposed, 99], sender=world.financier)
    assert events(r, repo, "HealthChanged") == [] and events(r, repo, "PriceUnavailable") == []


def test_price_recovery_cures_and_close_out_eligibility_sticks(world, repo):
    rid = world.open()
    world.publish("50")
    repo.check([rid], sender=world.financier)
    world.publish("70")  # 175%
    repo.check([rid], sender=world.financier)
    assert health(repo, rid) == Health.HEALTHY and repo.getAgreement(rid).deadline == 0
    world.publish("45")
    repo.check([rid], sender=world.financier)
    world.publish("80")
    r = repo.check([rid], sender=world.financier)
    assert events(r, repo, "HealthChanged") == [] and health(repo, rid) == Health.CLOSE_OUT_ELIGIBLE


def test_top_up_and_repayment_cure_at_once(world, repo):
    a, b = world.open(), world.open()
    world.publish("50")
    repo.check([a, b], sender=world.financier)
    assert health(repo, a) == health(repo, b) == Health.MARGIN_CALL
    r = repo.topUp(a, 2000, world.ref(), sender=world.custodian)  # 7000 x 50 = 350k: 175%
    (ev,) = events(r, repo, "HealthChanged")
    assert (ev.previous, ev.health, ev.deadline) == (2, 0, 0)
    r = repo.repay(b, 3_000_000, world.ref(), sender=world.financier)  # 250k / 170k = 147%
    (ev,) = events(r, repo, "HealthChanged")
    assert (ev.previous, ev.health) == (2, 1)


@pytest.mark.parametrize("cause", ["stale", "held", "closed"])
def test_no_transition_on_an_unusable_price(world, repo, cause):
    rid = world.open()
    feed = world.feed
    if cause == "stale":
        world.publish("45")
        world.advance(5 * DAY)
        bits = 2
    elif cause == "held":
        world.publish("45")
        world.advance(60)  # a later observation: a round must be observed after the latest one
        rnd = feed.openRoundId()
        for op in world.operators[: world.quorum]:
            feed.submit(rnd, P("20"), world.now(), sender=op)  # -55%: held
        bits = 4
    else:
        world.publish("45")
        now = world.now()
        feed.scheduleClosure(now - 10, now + 5 * DAY, sender=world.admin)
        bits = 8
    r = repo.check([rid], sender=world.financier)
    assert events(r, repo, "HealthChanged") == []
    (ev,) = events(r, repo, "PriceUnavailable")
    assert ev.id == rid and ev.feed == feed.address and ev.reasons == bits
    assert health(repo, rid) == Health.HEALTHY
    v = repo.ratio(rid)
    assert v.unavailable == bits and Health(v.implied) == Health.HEALTHY
    # a top-up with no usable price leaves the health alone too, and says why
    r = repo.topUp(rid, 1, world.ref(), sender=world.custodian)
    assert events(r, repo, "PriceUnavailable")[0].reasons == bits


def test_deadline_in_a_closure_moves_to_the_first_trading_day_after(world, repo):
    rid = world.open(cure_period=2 * DAY)
    now = world.now()
    world.feed.scheduleClosure(now + DAY, now + 8 * DAY + 3600, sender=world.admin)  # a Spring Festival
    world.publish("50")
    r = repo.check([rid], sender=world.financier)
    (ev,) = events(r, repo, "HealthChanged")
    t = ape.chain.blocks[r.block_number].timestamp
    reopen = now + 8 * DAY + 3600
    assert ev.deadline == out_of_closure(t + 2 * DAY, (now + DAY, reopen)) == t + 9 * DAY
    assert ev.deadline >= reopen > ev.deadline - DAY  # same time of day, first day at or after the reopening


def test_ratio_views(world, repo):
    rid = world.open(rate_bps=0)
    v = repo.ratio(rid)
    assert v.ratioBps == 20000 and v.price == P("80") and v.roundId == 1 and v.unavailable == 0
    assert v.amountDue == 20_000_000 and Health(v.implied) == Health.HEALTHY
    world.publish("50")
    v = repo.ratio(rid)
    assert v.ratioBps == 12500 and Health(v.current) == Health.HEALTHY and Health(v.implied) == Health.MARGIN_CALL
    assert v.deadline == world.now() + 2 * DAY or v.deadline == world.now() - 1 + 2 * DAY or v.deadline > 0
    ps = repo.positions([rid, 999])
    assert ps[0].quantity == 5000 and ps[0].amountDue == 20_000_000 and ps[1].id == 999 and ps[1].status == 0
    with ape.reverts(repo.RepoManagerUnknownAgreement, id=999):
        repo.ratio(999)
    with ape.reverts(repo.RepoManagerUnknownAgreement, id=999):
        repo.getAgreement(999)
    with ape.reverts(repo.RepoManagerUnknownAgreement, id=999):
        repo.amountDue(999)


def test_admin_rules_and_roles(world, repo, project, accounts):
    assert repo.defaultAdmin() == world.admin.address and repo.defaultAdminDelay() == 0
    delayed = accounts[0].deploy(project.RepoManager, 3 * DAY, accounts[0], world.markets, world.documents,
                                 world.credentials)
    assert delayed.defaultAdminDelay() == 3 * DAY
    assert repo.CARBON_ACCOUNT_HOLDER() == b"CarbonAccountHolder".ljust(32, b"\x00")
