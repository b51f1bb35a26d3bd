"""Property: for random sequences of retirements and reversals over two lots, the registry accepts
exactly the ranges a plain-Python interval model accepts, names a conflicting standing range when
it refuses, and its sorted lists and serial lookups match the model afterwards."""

import pytest
from ape.exceptions import ContractLogicError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.offset import VCS, b32, find_hint, retirement_input

LOTS = [("1529", 2021), ("1529", 2022)]
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("retire"), st.integers(0, 1), st.integers(0, 40), st.integers(0, 8)),
        st.tuples(st.just("reverse"), st.integers(0, 1), st.integers(0, 30), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


def model_overlaps(standing, first, last):
    return [rid for rid, (f, l) in standing.items() if f <= last and l >= first]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_registry_accepts_what_the_interval_model_accepts(retirements, desk, admin, enterprise, chain, ops):
    snapshot = chain.snapshot()
    try:
        model = {lot: {} for lot in LOTS}  # lot -> {record id: (first, last)} of standing ranges
        lot_of: dict[int, tuple] = {}
        next_id = retirements.retirementCount() + 1
        for op, which, a, b in ops:
            lot = LOTS[which]
            standing = model[lot]
            if op == "retire":
                first, last = a, a + b
                hint = find_hint(retirements, VCS, lot[0], lot[1], first, page=3)
                before = [rid for rid, (f, _) in standing.items() if f <= first]
                assert hint == (max(before, key=lambda r: standing[r][0]) if before else 0)
                data = retirement_input(first, last, project=lot[0], vintage=lot[1], beneficiary=enterprise.address)
                clashes = model_overlaps(standing, first, last)
                if clashes:
                    with pytest.raises(ContractLogicError) as info:
                        retirements.retire(data, hint, sender=desk)
                    err = info.value
                    assert type(err).__name__ == "RetirementRegistryOverlap"
                    assert err.inputs["conflictingRecord"] in clashes
                else:
                    r = retirements.retire(data, hint, sender=desk)
                    (ev,) = r.decode_logs(retirements.RangeRetired)
                    assert ev.id == next_id
                    standing[next_id] = (first, last)
                    lot_of[next_id] = lot
                    next_id += 1
            else:
                live = sorted(standing)
                if not live:
                    continue
                rid = live[a % len(live)]
                retirements.reverse(rid, b32("correction"), sender=admin)
                del standing[rid]
        for lot, standing in model.items():
            key = retirements.lotKey(VCS, b32(lot[0]), lot[1])
            order, cur = [], retirements.lotHead(key)
            while cur:
                order.append(cur)
                cur = retirements.neighbours(cur).next
            assert order == sorted(standing, key=lambda r: standing[r][0])
            for serial in range(0, 50, 9):
                owner = [rid for rid, (f, l) in standing.items() if f <= serial <= l]
                assert retirements.serialStatus(VCS, b32(lot[0]), lot[1], serial) == (
                    (True, owner[0]) if owner else (False, 0)
                )
    finally:
        chain.restore(snapshot)
