"""Gas (not time) of one retirement does not grow with the lot; the looping comparison does.
The full 10 / 1,000 / 10,000 figures are in benchmarks/offset.md (`ape run offset bench`)."""

from carbonchain.offset import Retirements, SerialBlock
from carbonchain.offset.bench import STRIDE, WIDTH, _fill_looping, _fill_ours, _input


def test_retirement_gas_is_flat_in_the_lot_size(project, admin):
    registry = admin.deploy(project.RetirementRegistry, 0, admin, admin, admin)
    bulk = admin.deploy(project.BulkRetirer)
    registry.grantRole(registry.RETIRER_ROLE(), bulk, sender=admin)
    looping = admin.deploy(project.LoopingRetirementRegistry)
    sdk = Retirements(registry)
    ours, loop = {}, {}
    for n in (4, 160):
        lot = SerialBlock("VCS", f"flat-{n}", 2021, 1000, 1000)
        ids = _fill_ours(registry, bulk, admin, lot, n, lambda _m: None)
        first = lot.first + (n // 2) * STRIDE + WIDTH
        block = SerialBlock(lot.standard, lot.project, lot.vintage, first, first + WIDTH - 1)
        assert sdk.find_hint(block, page=50) == ids[n // 2]
        ours[n] = registry.retire(_input(block, admin.address), ids[n // 2], sender=admin).gas_used
        _fill_looping(looping, admin, lot, n, lambda _m: None)
        loop[n] = looping.retire(_input(block, admin.address), 0, sender=admin).gas_used
    assert ours[160] <= ours[4] * 1.10
    assert loop[160] > loop[4] + 150 * 2000  # one cold read per earlier range
