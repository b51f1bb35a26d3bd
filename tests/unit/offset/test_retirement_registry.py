"""RetirementRegistry: one retirement per serial, checked in constant time with a hint; reversals;
views; every rejection."""

import ape
import pytest

from tests.utils.offset import GS, VCS, ZERO, ZERO_ADDRESS, b32, find_hint, retirement_input


def ids(receipt, registry):
    return [ev.id for ev in receipt.decode_logs(registry.RangeRetired)]


@pytest.fixture
def base(retire, retirements):
    """Serials 100-199 of VCS 1529 / 2021 retired (record 1)."""
    retire(100, 199)
    return 1


def test_retire_records_every_field(retirements, retire, desk, enterprise, chain):
    data = retirement_input(100, 199, beneficiary=enterprise.address, programme=7)
    r = retirements.retire(data, 0, sender=desk)
    (ev,) = r.decode_logs(retirements.RangeRetired)
    assert ev.id == 1 and ev.firstSerial == 100 and ev.lastSerial == 199 and ev.by == desk.address
    assert ev.beneficiary == enterprise.address and ev.programme == 7
    (lot_ev,) = r.decode_logs(retirements.LotRegistered)
    assert bytes(lot_ev.lot) == bytes(retirements.lotKey(VCS, b32("1529"), 2021)) and lot_ev.vintage == 2021
    v = retirements.retirement(1)
    assert bytes(v.standard) == VCS and bytes(v.projectId) == b32("1529") and v.vintage == 2021
    assert (v.firstSerial, v.lastSerial, v.quantity) == (100, 199, 100)
    assert v.beneficiary == enterprise.address and bytes(v.reason) == b32("neutrality")
    assert bytes(v.cancellationDigest) == data[7] and bytes(v.tradeDigest) == data[8]
    assert v.retiredAt == chain.blocks[r.block_number].timestamp and v.programme == 7 and v.reversal == 0
    assert retirements.isLive(1) and retirements.retirementCount() == 1
    # A second range of the same lot does not register the lot again.
    r2 = retirements.retire(retirement_input(200, 200, beneficiary=enterprise.address), 1, sender=desk)
    assert not list(r2.decode_logs(retirements.LotRegistered))
    assert retirements.retirement(2).quantity == 1


def test_same_range_rejected_naming_the_record(retirements, retire, base):
    with ape.reverts(retirements.RetirementRegistryOverlap, conflictingRecord=1, firstSerial=100, lastSerial=199):
        retire(100, 199)


@pytest.mark.parametrize("first,last", [(50, 100), (50, 150), (199, 250), (150, 300), (120, 130), (0, 1000)])
def test_overlap_on_either_side_and_containment_rejected(retirements, retire, base, first, last):
    """Left edge, left part, right edge, right part, inside, around: all name record 1."""
    with ape.reverts(retirements.RetirementRegistryOverlap, conflictingRecord=1, firstSerial=100, lastSerial=199):
        retire(first, last)


def test_overlap_detected_whatever_correct_hint(retirements, retire, base):
    retire(300, 399)  # record 2
    # [150, 350] overlaps both; with the true predecessor (1) the predecessor is named first.
    with ape.reverts(retirements.RetirementRegistryOverlap, conflictingRecord=1):
        retire(150, 350, hint=1)
    # [250, 350] starts after 1 and runs into 2: the successor is named.
    with ape.reverts(retirements.RetirementRegistryOverlap, conflictingRecord=2, firstSerial=300, lastSerial=399):
        retire(250, 350, hint=1)
    # Head insertion running into the first standing range.
    with ape.reverts(retirements.RetirementRegistryOverlap, conflictingRecord=1):
        retire(10, 100, hint=0)


def test_adjacent_ranges_accepted(retirements, retire, base):
    retire(99, 99)
    retire(200, 210)
    retire(0, 98)
    lot = retirements.lotKey(VCS, b32("1529"), 2021)
    order, cur = [], retirements.lotHead(lot)
    while cur:
        order.append(cur)
        cur = retirements.neighbours(cur).next
    assert order == [4, 2, 1, 3]


def test_other_vintage_project_or_standard_accepted(retirements, retire, base):
    retire(100, 199, vintage=2022)
    retire(100, 199, project="1530")
    retire(100, 199, standard=GS)
    assert all(retirements.isLive(i) for i in (1, 2, 3, 4))


def test_input_checks(retirements, desk, enterprise):
    ben = enterprise.address

    def bad(data):
        return lambda: retirements.retire(data, 0, sender=desk)

    good = retirement_input(1, 10, beneficiary=ben)
    cases = [
        (0, ZERO, retirements.RetirementRegistryZeroStandard, {}),
        (1, ZERO, retirements.RetirementRegistryZeroProject, {}),
        (2, 0, retirements.RetirementRegistryZeroVintage, {}),
        (3, 11, retirements.RetirementRegistryInvalidRange, {"firstSerial": 11, "lastSerial": 10}),
        (5, ZERO_ADDRESS, retirements.RetirementRegistryZeroBeneficiary, {}),
        (6, ZERO, retirements.RetirementRegistryZeroReason, {}),
        (7, ZERO, retirements.RetirementRegistryZeroCancellationDigest, {}),
        (8, ZERO, retirements.RetirementRegistryZeroTradeDigest, {}),
    ]
    for index, value, error, fields in cases:
        data = list(good)
        data[index] = value
        with ape.reverts(error, **fields):
            bad(tuple(data))()
    assert retirements.retirementCount() == 0
    retirements.retire(good, 0, sender=desk)  # the unaltered input passes


def test_only_retirers_retire(retirements, enterprise, outsider):
    with ape.reverts(retirements.AccessControlUnauthorizedAccount, account=outsider.address,
                     neededRole=retirements.RETIRER_ROLE()):
        retirements.retire(retirement_input(1, 10, beneficiary=enterprise.address), 0, sender=outsider)


def test_hint_must_be_a_standing_record_of_the_lot(retirements, retire, admin, base):
    retire(100, 199, vintage=2022)  # record 2, other lot
    with ape.reverts(retirements.RetirementRegistryHintNotInLot, hint=2):
        retire(300, 310, hint=2)
    with ape.reverts(retirements.RetirementRegistryHintNotInLot, hint=99):
        retire(300, 310, hint=99)
    retirements.reverse(1, b32("typo"), sender=admin)
    with ape.reverts(retirements.RetirementRegistryHintNotInLot, hint=1):
        retire(300, 310, hint=1)


def test_hint_must_be_the_predecessor(retirements, retire, base):
    retire(300, 399)  # record 2
    with ape.reverts(retirements.RetirementRegistryHintNotPredecessor, hint=2):
        retire(200, 250, hint=2)  # hint lies after the range
    with ape.reverts(retirements.RetirementRegistryHintNotPredecessor, hint=1):
        retire(500, 510, hint=1)  # record 2 lies between hint and range
    with ape.reverts(retirements.RetirementRegistryHintNotPredecessor, hint=0):
        retire(500, 510, hint=0)  # not the head
    retire(500, 510, hint=2)


def test_reverse_frees_the_range_for_a_new_retirement(retirements, retire, admin, base, chain):
    r = retirements.reverse(1, b32("wrong beneficiary"), sender=admin)
    (ev,) = r.decode_logs(retirements.RetirementReversed)
    assert ev.reversal == 1 and ev.retirement == 1 and ev.by == admin.address
    assert not retirements.isLive(1) and retirements.retirement(1).reversal == 1
    rev = retirements.reversal(1)
    assert rev.retirement == 1 and rev.by == admin.address and bytes(rev.reason) == b32("wrong beneficiary")
    assert rev.reversedAt == chain.blocks[r.block_number].timestamp
    # The record itself is unchanged.
    v = retirements.retirement(1)
    assert (v.firstSerial, v.lastSerial, v.quantity) == (100, 199, 100)
    assert retirements.serialStatus(VCS, b32("1529"), 2021, 150) == (False, 0)
    retire(100, 199)
    assert retirements.serialStatus(VCS, b32("1529"), 2021, 150) == (True, 2)
    assert retirements.reversalCount() == 1


def test_reverse_unlinks_head_middle_and_tail(retirements, retire, admin):
    for k in range(5):
        retire(k * 10, k * 10 + 9)
    lot = retirements.lotKey(VCS, b32("1529"), 2021)

    def order():
        out, cur = [], retirements.lotHead(lot)
        while cur:
            out.append(cur)
            cur = retirements.neighbours(cur).next
        return out

    retirements.reverse(3, b32("c"), sender=admin)
    retirements.reverse(1, b32("c"), sender=admin)
    retirements.reverse(5, b32("c"), sender=admin)
    assert order() == [2, 4]
    assert retirements.neighbours(2) == (0, 4) and retirements.neighbours(4) == (2, 0)
    retire(20, 29)  # back into the gap of record 3
    assert order() == [2, 6, 4]


def test_reverse_rejections(retirements, admin, outsider, base):
    with ape.reverts(retirements.AccessControlUnauthorizedAccount, account=outsider.address,
                     neededRole=retirements.REVERSER_ROLE()):
        retirements.reverse(1, b32("x"), sender=outsider)
    with ape.reverts(retirements.RetirementRegistryUnknownRetirement, id=2):
        retirements.reverse(2, b32("x"), sender=admin)
    with ape.reverts(retirements.RetirementRegistryUnknownRetirement, id=0):
        retirements.reverse(0, b32("x"), sender=admin)
    with ape.reverts(retirements.RetirementRegistryZeroReason):
        retirements.reverse(1, ZERO, sender=admin)
    retirements.reverse(1, b32("x"), sender=admin)
    with ape.reverts(retirements.RetirementRegistryAlreadyReversed, id=1, reversal=1):
        retirements.reverse(1, b32("x"), sender=admin)


def test_unknown_records_in_views(retirements):
    with ape.reverts(retirements.RetirementRegistryUnknownRetirement, id=1):
        retirements.retirement(1)
    with ape.reverts(retirements.RetirementRegistryUnknownReversal, id=1):
        retirements.reversal(1)
    assert not retirements.isLive(1) and retirements.neighbours(1) == (0, 0)


def test_locate_and_serial_status(retirements, retire, admin):
    for k in range(6):
        retire(k * 100, k * 100 + 49)  # records 1..6: [0,49] [100,149] ... [500,549]
    lot = retirements.lotKey(VCS, b32("1529"), 2021)
    assert retirements.locate(lot, 320, 0, 100) == (4, True)
    assert retirements.locate(lot, 320, 0, 2) == (2, False)  # paged: resume after record 2
    assert retirements.locate(lot, 320, 2, 2) == (4, True)
    assert retirements.locate(lot, 5, 0, 0) == (0, False)
    assert find_hint(retirements, VCS, "1529", 2021, 320, page=1) == 4
    assert retirements.serialStatus(VCS, b32("1529"), 2021, 349) == (True, 4)
    assert retirements.serialStatus(VCS, b32("1529"), 2021, 350) == (False, 0)
    assert retirements.serialStatus(VCS, b32("1529"), 2022, 349) == (False, 0)
    with ape.reverts(retirements.RetirementRegistryHintNotPredecessor, hint=5):
        retirements.locate(lot, 320, 5, 10)
    retirements.reverse(4, b32("x"), sender=admin)
    with ape.reverts(retirements.RetirementRegistryHintNotInLot, hint=4):
        retirements.locate(lot, 320, 4, 10)


def test_admin_rules(retirements, admin):
    """AccessControlDefaultAdminRules with the constructor's delay (0 on local chains)."""
    assert retirements.defaultAdmin() == admin.address and retirements.defaultAdminDelay() == 0
