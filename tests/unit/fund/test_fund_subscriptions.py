"""FundSubscriptions: the sale as a state machine over the real notary and credential registries.

Every custom error, every out-of-order step, the cooling-off edges and a credential changing mid-flow.
"""

import ape
import pytest

from tests.utils.docs import ZERO32, make_digest
from tests.utils.fund import DAY, MIN_FEN, QI, SM3, STAGE, code, signed_contract

ZERO = "0x" + "00" * 20


def ts(chain, receipt):
    return chain.blocks[receipt.block_number].timestamp


def test_happy_path_to_final(subs, products, registry, creds, manager, custodian, investor, broker, regulator,
                             register, qualify, chain):
    product = register("PF-R4", risk=4, cooling=2 * DAY)
    cred = qualify(investor)
    r1 = subs.open(product, investor, cred, broker, 4, make_digest("q"), SM3, sender=manager)
    (ev,) = r1.decode_logs(subs.SubscriptionOpened)
    sid = ev.id
    assert sid == 1 == subs.subscriptionCount() and ev.investor == investor.address and ev.suitability == 4
    assert bytes(ev.credential) == cred and ev.credentialIssuer == broker.address
    r2 = subs.recordSale(sid, make_digest("rec"), sender=manager)
    assert bytes(r2.decode_logs(subs.SaleRecorded)[0].recording) == make_digest("rec")
    contract = signed_contract(registry, "contract", manager, custodian, investor)
    r3 = subs.attachContract(sid, contract, SM3, sender=manager)
    assert bytes(r3.decode_logs(subs.ContractAttached)[0].digest) == contract
    r4 = subs.confirmPayment(sid, MIN_FEN * 2, make_digest("bank"), sender=custodian)
    (pay,) = r4.decode_logs(subs.PaymentConfirmed)
    assert pay.amountFen == MIN_FEN * 2 and pay.coolingOffEndsAt == ts(chain, r4) + 2 * DAY
    assert subs.stageOf(sid) == STAGE["Paid"]
    chain.pending_timestamp = pay.coolingOffEndsAt
    r5 = subs.confirmReturnVisit(sid, make_digest("visit"), sender=manager)
    assert r5.decode_logs(subs.ReturnVisitConfirmed)[0].by == manager.address
    t = subs.trail(sid, sender=regulator)
    assert t.stage == STAGE["Final"] and t.investor == investor.address and bytes(t.product) == product
    assert (t.openedAt, t.recordedAt, t.contractedAt, t.paidAt, t.finalAt) == tuple(
        ts(chain, r) for r in (r1, r2, r3, r4, r5))
    assert bytes(t.contractDigest) == contract and t.contractAlgorithm == SM3 and t.algorithm == SM3
    assert bytes(t.questionnaire) == make_digest("q") and bytes(t.recording) == make_digest("rec")
    assert bytes(t.paymentRef) == make_digest("bank") and bytes(t.returnVisit) == make_digest("visit")
    assert t.amountFen == MIN_FEN * 2 and t.withdrawnAt == 0 and t.refundedAt == 0


def test_withdrawal_inside_cooling_off_then_refund(subs, flow, investor, custodian, regulator, chain):
    sid = flow("Paid")
    ends = subs.trail(sid, sender=regulator).coolingOffEndsAt
    chain.pending_timestamp = ends - 1  # the last second of the cooling-off
    r = subs.withdraw(sid, sender=investor)
    assert r.decode_logs(subs.SubscriptionWithdrawn)[0].investor == investor.address
    assert subs.stageOf(sid) == STAGE["Withdrawn"]
    r = subs.confirmRefund(sid, make_digest("refund"), sender=custodian)
    assert bytes(r.decode_logs(subs.RefundConfirmed)[0].refundRef) == make_digest("refund")
    t = subs.trail(sid, sender=regulator)
    assert t.stage == STAGE["Refunded"] and t.withdrawnAt == ends - 1 and t.finalAt == 0


def test_no_withdrawal_once_cooling_off_is_over(subs, flow, investor, regulator, chain):
    sid = flow("Paid")
    ends = subs.trail(sid, sender=regulator).coolingOffEndsAt
    chain.pending_timestamp = ends
    with ape.reverts(subs.FundSubscriptionsCoolingOffOver, id=sid, endedAt=ends):
        subs.withdraw(sid, sender=investor)


def test_return_visit_one_second_before_cooling_off_ends(subs, flow, manager, regulator, chain):
    sid = flow("Paid")
    ends = subs.trail(sid, sender=regulator).coolingOffEndsAt
    chain.pending_timestamp = ends - 1
    with ape.reverts(subs.FundSubscriptionsCoolingOffNotOver, id=sid, endsAt=ends):
        subs.confirmReturnVisit(sid, make_digest("visit"), sender=manager)
    assert subs.stageOf(sid) == STAGE["Paid"]
    subs.confirmReturnVisit(sid, make_digest("visit"), sender=manager)  # the next second: allowed
    assert subs.stageOf(sid) == STAGE["Final"]


def test_payment_below_minimum(subs, flow, custodian):
    sid = flow("Contracted")
    with ape.reverts(subs.FundSubscriptionsBelowMinimum, id=sid, amountFen=MIN_FEN - 1, minimumFen=MIN_FEN):
        subs.confirmPayment(sid, MIN_FEN - 1, make_digest("bank"), sender=custodian)
    subs.confirmPayment(sid, MIN_FEN, make_digest("bank"), sender=custodian)
    assert subs.stageOf(sid) == STAGE["Paid"]


@pytest.mark.parametrize("suitability,risk,ok", [(1, 1, True), (1, 2, False), (2, 4, False),
                                                 (4, 4, True), (5, 4, True)])
def test_suitability(subs, manager, investor, broker, register, qualify, suitability, risk, ok):
    product = register(f"R{risk}", risk=risk)
    cred = qualify(investor)
    args = (product, investor, cred, broker, suitability, make_digest("q"), SM3)
    if ok:
        subs.open(*args, sender=manager)
        assert subs.subscriptionCount() == 1
    else:
        with ape.reverts(subs.FundSubscriptionsUnsuitable, suitability=suitability, riskLevel=risk):
            subs.open(*args, sender=manager)
        assert subs.subscriptionCount() == 0


def test_open_input_checks(subs, products, manager, investor, outsider, broker, register, qualify):
    product = register()
    cred = qualify(investor)
    q = make_digest("q")
    with ape.reverts(products.FundProductRegistryUnknownProduct, code=code("NONE")):
        subs.open(code("NONE"), investor, cred, broker, 3, q, SM3, sender=manager)
    with ape.reverts(subs.FundSubscriptionsNotManager, product=product, caller=outsider.address):
        subs.open(product, investor, cred, broker, 3, q, SM3, sender=outsider)
    with ape.reverts(subs.FundSubscriptionsZeroInvestor):
        subs.open(product, ZERO, cred, broker, 3, q, SM3, sender=manager)
    for bad in (0, 6):
        with ape.reverts(subs.FundSubscriptionsInvalidSuitability, suitability=bad):
            subs.open(product, investor, cred, broker, bad, q, SM3, sender=manager)
    for bad in (0, 4):
        with ape.reverts(subs.FundSubscriptionsUnsupportedAlgorithm, algorithm=bad):
            subs.open(product, investor, cred, broker, 3, q, bad, sender=manager)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.open(product, investor, cred, broker, 3, ZERO32, SM3, sender=manager)
    products.setOpen(product, False, sender=manager)
    with ape.reverts(subs.FundSubscriptionsProductClosed, product=product):
        subs.open(product, investor, cred, broker, 3, q, SM3, sender=manager)
    assert subs.subscriptionCount() == 0


def test_open_requires_a_qualified_investor_credential(subs, tir, creds, admin, manager, investor, outsider, broker,
                                                       register, qualify, chain):
    product = register()
    q = make_digest("q")
    unknown = make_digest("nobody-issued-this")
    with ape.reverts(subs.FundSubscriptionsCredentialUnknown, issuer=broker.address, credential=unknown):
        subs.open(product, investor, unknown, broker, 3, q, SM3, sender=manager)
    cred = qualify(investor)
    with ape.reverts(subs.FundSubscriptionsCredentialUnknown, issuer=outsider.address, credential=cred):
        subs.open(product, investor, cred, outsider, 3, q, SM3, sender=manager)  # not this issuer's credential
    with ape.reverts(subs.FundSubscriptionsCredentialWrongSubject, credential=cred, subject=investor.address):
        subs.open(product, outsider, cred, broker, 3, q, SM3, sender=manager)
    other_type = "ProfessionalInvestor".encode().ljust(32, b"\x00")
    now = chain.pending_timestamp
    tir.accredit(broker, other_type, now - 10, now + 365 * DAY, False, sender=admin)
    pro = qualify(investor, "pro", ctype=other_type)
    with ape.reverts(subs.FundSubscriptionsCredentialWrongType, credential=pro, credentialType=other_type):
        subs.open(product, investor, pro, broker, 3, q, SM3, sender=manager)
    short = qualify(investor, "short", expires=chain.pending_timestamp + 100)
    chain.pending_timestamp += 200
    chain.mine()
    (ev,) = [e for e in creds.CredentialIssued.range(0, chain.blocks.head.number + 1) if bytes(e.digest) == short]
    with ape.reverts(subs.FundSubscriptionsCredentialExpired, credential=short, expiresAt=ev.expiresAt):
        subs.open(product, investor, short, broker, 3, q, SM3, sender=manager)
    # The issuer's accreditation suspended: its credentials no longer open subscriptions.
    tir.suspend(broker, QI, 1, sender=admin)
    with ape.reverts(subs.FundSubscriptionsCredentialIssuerNotTrusted, credential=cred, issuer=broker.address):
        subs.open(product, investor, cred, broker, 3, q, SM3, sender=manager)
    tir.reinstate(broker, QI, sender=admin)
    subs.open(product, investor, cred, broker, 3, q, SM3, sender=manager)
    assert subs.subscriptionCount() == 1


def test_credential_revoked_mid_flow_blocks_the_next_step(subs, creds, flow, broker, custodian, manager,
                                                          investor, regulator, chain):
    sid = flow("Contracted")
    cred = bytes(subs.trail(sid, sender=regulator).credential)
    creds.revoke(broker, cred, 7, sender=broker)
    with ape.reverts(subs.FundSubscriptionsCredentialRevoked, credential=cred, reason=7):
        subs.confirmPayment(sid, MIN_FEN, make_digest("bank"), sender=custodian)
    assert subs.stageOf(sid) == STAGE["Contracted"]


def test_credential_suspended_blocks_each_later_step_until_reinstated(subs, creds, registry, flow, broker, custodian,
                                                                      manager, investor, regulator, chain):
    sid = flow("Opened")
    cred = bytes(subs.trail(sid, sender=regulator).credential)
    contract = signed_contract(registry, "c-susp", manager, custodian, investor)
    steps = [
        lambda: subs.recordSale(sid, make_digest("rec"), sender=manager),
        lambda: subs.attachContract(sid, contract, SM3, sender=manager),
        lambda: subs.confirmPayment(sid, MIN_FEN, make_digest("bank"), sender=custodian),
    ]
    for step in steps:
        creds.suspend(cred, 3, sender=broker)
        with ape.reverts(subs.FundSubscriptionsCredentialSuspended, credential=cred, reason=3):
            step()
        creds.reinstate(cred, sender=broker)
        step()
    chain.pending_timestamp = subs.trail(sid, sender=regulator).coolingOffEndsAt
    creds.suspend(cred, 3, sender=broker)
    with ape.reverts(subs.FundSubscriptionsCredentialSuspended, credential=cred, reason=3):
        subs.confirmReturnVisit(sid, make_digest("visit"), sender=manager)


def test_withdrawal_and_refund_do_not_depend_on_the_credential(subs, creds, flow, broker, investor, custodian,
                                                               regulator):
    sid = flow("Paid")
    creds.revoke(broker, bytes(subs.trail(sid, sender=regulator).credential), 2, sender=broker)
    subs.withdraw(sid, sender=investor)
    subs.confirmRefund(sid, make_digest("refund"), sender=custodian)
    assert subs.stageOf(sid) == STAGE["Refunded"]


def test_every_step_rejects_being_out_of_order(subs, flow, manager, custodian, investor, registry, chain,
                                               regulator):
    opened, recorded, contracted, paid = (flow(s, tag=s) for s in ("Opened", "Recorded", "Contracted", "Paid"))
    d = signed_contract(registry, "c-order", manager, custodian, investor)
    cases = {
        "recordSale": ("FundSubscriptionsNotAwaitingRecording", [recorded, contracted, paid],
                       lambda i: subs.recordSale(i, make_digest("r"), sender=manager)),
        "attachContract": ("FundSubscriptionsNotAwaitingContract", [opened, contracted, paid],
                           lambda i: subs.attachContract(i, d, SM3, sender=manager)),
        "confirmPayment": ("FundSubscriptionsNotAwaitingPayment", [opened, recorded, paid],
                           lambda i: subs.confirmPayment(i, MIN_FEN, make_digest("b"), sender=custodian)),
        "withdraw": ("FundSubscriptionsNotWithdrawable", [opened, recorded, contracted],
                     lambda i: subs.withdraw(i, sender=investor)),
        "confirmRefund": ("FundSubscriptionsNotAwaitingRefund", [opened, recorded, contracted, paid],
                          lambda i: subs.confirmRefund(i, make_digest("f"), sender=custodian)),
        "confirmReturnVisit": ("FundSubscriptionsNotAwaitingReturnVisit", [opened, recorded, contracted],
                               lambda i: subs.confirmReturnVisit(i, make_digest("v"), sender=manager)),
    }
    for _name, (error, ids, call) in cases.items():
        for i in ids:
            with ape.reverts(getattr(subs, error), id=i, stage=subs.stageOf(i)):
                call(i)
    # the ends accept nothing further
    chain.pending_timestamp = subs.trail(paid, sender=regulator).coolingOffEndsAt
    subs.confirmReturnVisit(paid, make_digest("v"), sender=manager)
    with ape.reverts(subs.FundSubscriptionsNotWithdrawable, id=paid, stage=STAGE["Final"]):
        subs.withdraw(paid, sender=investor)
    with ape.reverts(subs.FundSubscriptionsNotAwaitingReturnVisit, id=paid, stage=STAGE["Final"]):
        subs.confirmReturnVisit(paid, make_digest("v"), sender=manager)


def test_unknown_subscription(subs, manager, custodian, investor, regulator):
    for call in (lambda: subs.recordSale(9, make_digest("r"), sender=manager),
                 lambda: subs.attachContract(9, make_digest("c"), SM3, sender=manager),
                 lambda: subs.confirmPayment(9, MIN_FEN, make_digest("b"), sender=custodian),
                 lambda: subs.withdraw(9, sender=investor),
                 lambda: subs.confirmRefund(9, make_digest("f"), sender=custodian),
                 lambda: subs.confirmReturnVisit(9, make_digest("v"), sender=manager),
                 lambda: subs.trail(9, sender=regulator)):
        with ape.reverts(subs.FundSubscriptionsUnknownSubscription, id=9):
            call()
    assert subs.stageOf(9) == STAGE["None"]


def test_each_step_checks_its_caller_and_digest(subs, flow, manager, custodian, investor, outsider, regulator,
                                                chain, registry):
    sid = flow("Opened")
    with ape.reverts(subs.FundSubscriptionsNotManager, caller=custodian.address):
        subs.recordSale(sid, make_digest("r"), sender=custodian)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.recordSale(sid, ZERO32, sender=manager)
    subs.recordSale(sid, make_digest("r"), sender=manager)
    with ape.reverts(subs.FundSubscriptionsNotManager, caller=investor.address):
        subs.attachContract(sid, make_digest("c"), SM3, sender=investor)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.attachContract(sid, ZERO32, SM3, sender=manager)
    with ape.reverts(subs.FundSubscriptionsUnsupportedAlgorithm, algorithm=0):
        subs.attachContract(sid, make_digest("c"), 0, sender=manager)
    subs.attachContract(sid, signed_contract(registry, "c-roles", manager, custodian, investor), SM3, sender=manager)
    with ape.reverts(subs.FundSubscriptionsNotCustodian, id=sid, caller=manager.address):
        subs.confirmPayment(sid, MIN_FEN, make_digest("b"), sender=manager)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.confirmPayment(sid, MIN_FEN, ZERO32, sender=custodian)
    subs.confirmPayment(sid, MIN_FEN, make_digest("b"), sender=custodian)
    with ape.reverts(subs.FundSubscriptionsNotInvestor, id=sid, caller=manager.address):
        subs.withdraw(sid, sender=manager)
    chain.pending_timestamp = subs.trail(sid, sender=regulator).coolingOffEndsAt
    with ape.reverts(subs.FundSubscriptionsNotManager, caller=custodian.address):
        subs.confirmReturnVisit(sid, make_digest("v"), sender=custodian)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.confirmReturnVisit(sid, ZERO32, sender=manager)
    subs.confirmReturnVisit(sid, make_digest("v"), sender=manager)


def test_refund_checks_its_caller_and_digest(subs, flow, custodian, investor):
    sid = flow("Paid")
    subs.withdraw(sid, sender=investor)
    with ape.reverts(subs.FundSubscriptionsNotCustodian, id=sid, caller=investor.address):
        subs.confirmRefund(sid, make_digest("f"), sender=investor)
    with ape.reverts(subs.FundSubscriptionsZeroDigest):
        subs.confirmRefund(sid, ZERO32, sender=custodian)


def test_the_contract_must_be_the_managers_fully_signed_live_record(subs, registry, flow, manager, custodian,
                                                                    investor, outsider):
    sid = flow("Recorded")
    missing = make_digest("not-anchored")
    with ape.reverts(subs.FundSubscriptionsContractNotAnchored, digest=missing, algorithm=SM3, anchorer=manager.address):
        subs.attachContract(sid, missing, SM3, sender=manager)
    squatted = make_digest("squat")  # the same file anchored first by someone else
    registry.anchor(squatted, SM3, ZERO32, [manager.address, custodian.address, investor.address], sender=outsider)
    with ape.reverts(subs.FundSubscriptionsContractNotAnchored, digest=squatted, anchorer=manager.address):
        subs.attachContract(sid, squatted, SM3, sender=manager)
    # the custodian has not signed
    partial = make_digest("partial")
    registry.anchor(partial, SM3, ZERO32, [manager.address, custodian.address, investor.address], sender=manager)
    registry.sign(manager, partial, SM3, sender=manager)
    registry.sign(manager, partial, SM3, sender=investor)
    with ape.reverts(subs.FundSubscriptionsContractNotSignedBy, digest=partial, party=custodian.address):
        subs.attachContract(sid, partial, SM3, sender=manager)
    # fully signed, but without the investor among the signers
    two = signed_contract(registry, "two-parties", manager, custodian, investor, signers=[manager, custodian])
    with ape.reverts(subs.FundSubscriptionsContractNotSignedBy, digest=two, party=investor.address):
        subs.attachContract(sid, two, SM3, sender=manager)
    revoked = make_digest("revoked")
    registry.anchor(revoked, SM3, ZERO32, [manager.address, custodian.address, investor.address], sender=manager)
    registry.revoke(manager, revoked, SM3, 1, sender=manager)
    with ape.reverts(subs.FundSubscriptionsContractNotLive, digest=revoked, status=3):
        subs.attachContract(sid, revoked, SM3, sender=manager)
    good = signed_contract(registry, "good", manager, custodian, investor)
    subs.attachContract(sid, good, SM3, sender=manager)
    other = flow("Recorded", tag="other")
    with ape.reverts(subs.FundSubscriptionsContractAlreadyUsed, digest=good, usedBy=sid):
        subs.attachContract(other, good, SM3, sender=manager)


def test_trail_is_for_the_regulator_and_the_parties(subs, flow, manager, custodian, investor, regulator, outsider):
    sid = flow("Opened")
    for reader in (regulator, manager, custodian, investor):
        assert subs.trail(sid, sender=reader).investor == investor.address
    with ape.reverts(subs.FundSubscriptionsNotAuthorizedReader, id=sid, caller=outsider.address):
        subs.trail(sid, sender=outsider)
