"""NeutralityProgramme: demand, plan, verified emissions by an accredited verifier, attribution
(one programme per retirement), release of reversed retirements, certification at full coverage;
every rejection."""

import ape
import pytest

from tests.utils.docs import make_digest
from tests.utils.offset import CARBON_VERIFIER, DAY, ZERO, b32

ORG, PRODUCT, EVENT = 0, 1, 2
RAISED, PLANNED, VERIFIED, CERTIFIED = 1, 2, 3, 4
START, END = 1_735_689_600, 1_767_225_600  # calendar year 2025, end exclusive


@pytest.fixture
def accredited(trusted_issuers, admin, verifier, chain):
    now = chain.pending_timestamp
    trusted_issuers.accredit(verifier, CARBON_VERIFIER, now - 10, now + 365 * DAY, False, sender=admin)
    return now


@pytest.fixture
def raised(programmes, enterprise):
    programmes.raiseDemand(ORG, b32("Acme Ltd"), START, END, 10_000, sender=enterprise)
    return 1


@pytest.fixture
def planned(programmes, enterprise, raised):
    programmes.publishPlan(raised, make_digest("plan"), sender=enterprise)
    return raised


@pytest.fixture
def verified(programmes, verifier, planned, accredited):
    programmes.recordEmissions(planned, 250, START, END, make_digest("report"), sender=verifier)
    return planned


def test_demand_plan_verify_attribute_certify(programmes, retirements, retire, enterprise, verifier, certifier,
                                              accredited, chain):
    r = programmes.raiseDemand(PRODUCT, b32("Green Tea 500ml"), START, END, 10_000, sender=enterprise)
    (ev,) = r.decode_logs(programmes.DemandRaised)
    assert ev.id == 1 and ev.enterprise == enterprise.address and ev.scope == PRODUCT and ev.targetBps == 10_000
    assert programmes.programmeCount() == 1
    r = programmes.publishPlan(1, make_digest("plan"), sender=enterprise)
    assert bytes(list(r.decode_logs(programmes.PlanPublished))[0].planDigest) == make_digest("plan")
    r = programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)
    (ev,) = r.decode_logs(programmes.EmissionsVerified)
    assert ev.verifier == verifier.address and ev.emissionsTonnes == 250
    verified_at = chain.blocks[r.block_number].timestamp
    retire(1, 200, programme=1)
    retire(1001, 1050, programme=1, vintage=2022)
    programmes.attribute(1, 1, sender=enterprise)
    r = programmes.attribute(1, 2, sender=enterprise)
    assert list(r.decode_logs(programmes.RetirementAttributed))[0].quantity == 50
    assert programmes.attributionOf(2) == (1, False)
    assert programmes.programmeRetirements(1) == [1, 2]
    r = programmes.certify(1, make_digest("certificate"), sender=certifier)
    (ev,) = r.decode_logs(programmes.ProgrammeCertified)
    assert ev.emissionsTonnes == 250 and ev.retiredTonnes == 250 and ev.certifier == certifier.address
    p = programmes.programme(1)
    assert p.status == CERTIFIED and p.scope == PRODUCT and bytes(p.subject) == b32("Green Tea 500ml")
    assert (p.periodStart, p.periodEnd, p.emissionsTonnes, p.retiredTonnes, p.requiredTonnes) == (START, END, 250, 250, 250)
    assert p.verifier == verifier.address and p.verifiedAt == verified_at and bytes(p.reportDigest) == make_digest("report")
    assert bytes(p.planDigest) == make_digest("plan") and p.attributedCount == 2
    assert bytes(p.certificate.digest) == make_digest("certificate") and p.certificate.certifier == certifier.address
    assert p.certificate.certifiedAt == chain.blocks[r.block_number].timestamp


def test_demand_input_checks(programmes, enterprise):
    with ape.reverts(programmes.NeutralityProgrammeInvalidScope, scope=3):
        programmes.raiseDemand(3, b32("x"), START, END, 10_000, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeZeroSubject):
        programmes.raiseDemand(ORG, ZERO, START, END, 10_000, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeInvalidPeriod, periodStart=END, periodEnd=END):
        programmes.raiseDemand(ORG, b32("x"), END, END, 10_000, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeInvalidTarget, targetBps=0):
        programmes.raiseDemand(ORG, b32("x"), START, END, 0, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeInvalidTarget, targetBps=10_001):
        programmes.raiseDemand(EVENT, b32("x"), START, END, 10_001, sender=enterprise)
    assert programmes.programmeCount() == 0


def test_plan_rejections(programmes, enterprise, outsider, raised):
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=2):
        programmes.publishPlan(2, make_digest("plan"), sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeUnauthorized, id=1, caller=outsider.address):
        programmes.publishPlan(1, make_digest("plan"), sender=outsider)
    with ape.reverts(programmes.NeutralityProgrammeZeroDigest):
        programmes.publishPlan(1, ZERO, sender=enterprise)
    programmes.publishPlan(1, make_digest("plan"), sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeWrongStatus, id=1, status=PLANNED):
        programmes.publishPlan(1, make_digest("plan-2"), sender=enterprise)


def test_only_a_verifier_accredited_now_records_emissions(programmes, trusted_issuers, admin, verifier, outsider,
                                                          planned, accredited):
    with ape.reverts(programmes.NeutralityProgrammeVerifierNotAccredited, verifier=outsider.address):
        programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=outsider)
    trusted_issuers.suspend(verifier, CARBON_VERIFIER, 3, sender=admin)
    with ape.reverts(programmes.NeutralityProgrammeVerifierNotAccredited, verifier=verifier.address):
        programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)
    trusted_issuers.reinstate(verifier, CARBON_VERIFIER, sender=admin)
    programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)


def test_emissions_rejections(programmes, verifier, raised, enterprise, accredited):
    with ape.reverts(programmes.NeutralityProgrammeWrongStatus, id=1, status=RAISED):
        programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)
    programmes.publishPlan(1, make_digest("plan"), sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammePeriodMismatch, periodStart=START, periodEnd=END,
                     verifiedStart=START, verifiedEnd=END - DAY):
        programmes.recordEmissions(1, 250, START, END - DAY, make_digest("report"), sender=verifier)
    with ape.reverts(programmes.NeutralityProgrammePeriodMismatch, verifiedStart=START + 1):
        programmes.recordEmissions(1, 250, START + 1, END, make_digest("report"), sender=verifier)
    with ape.reverts(programmes.NeutralityProgrammeZeroEmissions):
        programmes.recordEmissions(1, 0, START, END, make_digest("report"), sender=verifier)
    with ape.reverts(programmes.NeutralityProgrammeZeroDigest):
        programmes.recordEmissions(1, 250, START, END, ZERO, sender=verifier)
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=9):
        programmes.recordEmissions(9, 250, START, END, make_digest("report"), sender=verifier)
    programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)
    with ape.reverts(programmes.NeutralityProgrammeWrongStatus, id=1, status=VERIFIED):
        programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)


def test_a_retirement_counts_for_one_programme_only(programmes, retire, enterprise, raised):
    programmes.raiseDemand(EVENT, b32("Expo 2025"), START, END, 10_000, sender=enterprise)  # programme 2
    retire(1, 100, programme=1)
    programmes.attribute(1, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeAlreadyAttributed, retirement=1, programme=1):
        programmes.attribute(2, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeAlreadyAttributed, retirement=1, programme=1):
        programmes.attribute(1, 1, sender=enterprise)
    retire(101, 200, programme=1)
    with ape.reverts(programmes.NeutralityProgrammeRetirementForOtherProgramme, retirement=2, programme=1):
        programmes.attribute(2, 2, sender=enterprise)
    retire(201, 300, programme=0)
    with ape.reverts(programmes.NeutralityProgrammeRetirementForOtherProgramme, retirement=3, programme=0):
        programmes.attribute(2, 3, sender=enterprise)


def test_attribute_rejections(programmes, retirements, retire, enterprise, outsider, admin, raised):
    retire(1, 100, programme=1, beneficiary=outsider.address)
    retire(101, 200, programme=1)
    with ape.reverts(programmes.NeutralityProgrammeUnauthorized, id=1, caller=outsider.address):
        programmes.attribute(1, 2, sender=outsider)
    with ape.reverts(programmes.NeutralityProgrammeBeneficiaryMismatch, retirement=1, beneficiary=outsider.address):
        programmes.attribute(1, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeRetirementNotLive, retirement=9):
        programmes.attribute(1, 9, sender=enterprise)
    retirements.reverse(2, b32("wrong"), sender=admin)
    with ape.reverts(programmes.NeutralityProgrammeRetirementNotLive, retirement=2):
        programmes.attribute(1, 2, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=5):
        programmes.attribute(5, 2, sender=enterprise)
    retire(101, 200, programme=1)  # 3: re-retired after the reversal
    programmes.attribute(1, 3, sender=admin)  # operator role
    assert programmes.programme(1).retiredTonnes == 100


def test_no_attribution_after_certification(programmes, retire, certifier, enterprise, verified):
    retire(1, 250, programme=1)
    retire(251, 260, programme=1)
    programmes.attribute(1, 1, sender=enterprise)
    programmes.certify(1, make_digest("certificate"), sender=certifier)
    with ape.reverts(programmes.NeutralityProgrammeWrongStatus, id=1, status=CERTIFIED):
        programmes.attribute(1, 2, sender=enterprise)


def test_certification_needs_full_coverage(programmes, retire, certifier, enterprise, verified):
    retire(1, 249, programme=1)
    programmes.attribute(1, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeNotCovered, id=1, retiredTonnes=249, requiredTonnes=250):
        programmes.certify(1, make_digest("certificate"), sender=certifier)
    retire(250, 250, programme=1)
    programmes.attribute(1, 2, sender=enterprise)
    programmes.certify(1, make_digest("certificate"), sender=certifier)


def test_partial_target_rounds_up(programmes, enterprise, verifier, accredited):
    programmes.raiseDemand(ORG, b32("Acme Ltd"), START, END, 3_333, sender=enterprise)
    programmes.publishPlan(1, make_digest("plan"), sender=enterprise)
    programmes.recordEmissions(1, 100, START, END, make_digest("report"), sender=verifier)
    assert programmes.programme(1).requiredTonnes == 34  # ceil(33.33)


def test_certify_rejections(programmes, retirements, retire, admin, certifier, enterprise, outsider, planned,
                            verifier, accredited):
    with ape.reverts(programmes.AccessControlUnauthorizedAccount, account=outsider.address,
                     neededRole=programmes.CERTIFIER_ROLE()):
        programmes.certify(1, make_digest("certificate"), sender=outsider)
    with ape.reverts(programmes.NeutralityProgrammeWrongStatus, id=1, status=PLANNED):
        programmes.certify(1, make_digest("certificate"), sender=certifier)
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=3):
        programmes.certify(3, make_digest("certificate"), sender=certifier)
    programmes.recordEmissions(1, 250, START, END, make_digest("report"), sender=verifier)
    retire(1, 250, programme=1)
    programmes.attribute(1, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeZeroDigest):
        programmes.certify(1, ZERO, sender=certifier)
    retirements.reverse(1, b32("double entry"), sender=admin)
    with ape.reverts(programmes.NeutralityProgrammeRetirementReversed, retirement=1):
        programmes.certify(1, make_digest("certificate"), sender=certifier)
    assert programmes.programme(1).status == VERIFIED


def test_release_of_a_reversed_retirement(programmes, retirements, retire, admin, certifier, enterprise, outsider,
                                          verified):
    retire(1, 250, programme=1)
    programmes.attribute(1, 1, sender=enterprise)
    with ape.reverts(programmes.NeutralityProgrammeRetirementStillLive, retirement=1):
        programmes.release(1, 1, sender=outsider)
    with ape.reverts(programmes.NeutralityProgrammeNotAttributed, retirement=2, id=1):
        programmes.release(1, 2, sender=outsider)
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=4):
        programmes.release(4, 1, sender=outsider)
    retirements.reverse(1, b32("double entry"), sender=admin)
    r = programmes.release(1, 1, sender=outsider)
    (ev,) = r.decode_logs(programmes.RetirementReleased)
    assert ev.quantity == 250 and ev.by == outsider.address
    assert programmes.programme(1).retiredTonnes == 0 and programmes.attributionOf(1) == (1, True)
    with ape.reverts(programmes.NeutralityProgrammeNotAttributed, retirement=1, id=1):
        programmes.release(1, 1, sender=outsider)
    retire(1, 250, programme=1)  # the same serials, retired again correctly
    programmes.attribute(1, 2, sender=enterprise)
    programmes.certify(1, make_digest("certificate"), sender=certifier)
    assert programmes.programme(1).certificate.retiredTonnes == 250


def test_unknown_programme_views(programmes):
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=1):
        programmes.programme(1)
    with ape.reverts(programmes.NeutralityProgrammeUnknownProgramme, id=1):
        programmes.programmeRetirements(1)
    assert programmes.attributionOf(1) == (0, False)
