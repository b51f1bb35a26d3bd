"""FundProductRegistry: registration by managers, fixed terms, open/closed; every rejection."""

import ape
import pytest

from tests.utils.docs import ZERO32, make_digest
from tests.utils.fund import DAY, MIN_FEN, SM3, code

ZERO = "0x" + "00" * 20


def test_register_product(products, manager, custodian, chain):
    c = code("PF-001")
    r = products.registerProduct(c, 4, MIN_FEN * 3, custodian, make_digest("tpl"), SM3, 2 * DAY, False, sender=manager)
    (ev,) = r.decode_logs(products.ProductRegistered)
    assert ev.manager == manager.address and ev.custodian == custodian.address and ev.riskLevel == 4
    assert ev.minimumFen == MIN_FEN * 3 and ev.coolingOff == 2 * DAY and not ev.open
    p = products.product(c)
    assert (p.manager, p.custodian, p.riskLevel, p.minimumFen, p.coolingOff, p.open) == (
        manager.address, custodian.address, 4, MIN_FEN * 3, 2 * DAY, False)
    assert bytes(p.templateDigest) == make_digest("tpl") and p.templateAlgorithm == SM3
    assert p.registeredAt == chain.blocks[r.block_number].timestamp
    assert [bytes(x) for x in products.productCodes()] == [c]
    assert products.isManager(c, manager) and not products.isManager(c, custodian)


def test_regulatory_floors_are_accepted_exactly(products, manager, custodian):
    products.registerProduct(code("F"), 1, MIN_FEN, custodian, make_digest("t"), SM3, DAY, True, sender=manager)
    assert products.product(code("F")).minimumFen == 100_000_000 == products.MIN_SUBSCRIPTION_FEN()


def test_only_managers_register(products, outsider, custodian):
    with ape.reverts(products.AccessControlUnauthorizedAccount, account=outsider.address):
        products.registerProduct(code("X"), 1, MIN_FEN, custodian, make_digest("t"), SM3, DAY, True, sender=outsider)


@pytest.mark.parametrize(
    "field,value,error,args",
    [
        ("code", ZERO32, "FundProductRegistryZeroCode", {}),
        ("risk", 0, "FundProductRegistryInvalidRiskLevel", {"riskLevel": 0}),
        ("risk", 6, "FundProductRegistryInvalidRiskLevel", {"riskLevel": 6}),
        ("minimum", MIN_FEN - 1, "FundProductRegistryMinimumTooLow", {"minimumFen": MIN_FEN - 1, "floorFen": MIN_FEN}),
        ("custodian", ZERO, "FundProductRegistryInvalidCustodian", {"custodian": ZERO}),
        ("custodian", "manager", "FundProductRegistryInvalidCustodian", {}),
        ("template", ZERO32, "FundProductRegistryZeroTemplate", {}),
        ("algorithm", 0, "FundProductRegistryUnsupportedAlgorithm", {"algorithm": 0}),
        ("algorithm", 4, "FundProductRegistryUnsupportedAlgorithm", {"algorithm": 4}),
        ("cooling", DAY - 1, "FundProductRegistryInvalidCoolingOff", {"coolingOff": DAY - 1}),
        ("cooling", 30 * DAY + 1, "FundProductRegistryInvalidCoolingOff", {"coolingOff": 30 * DAY + 1}),
    ],
)
def test_register_input_checks(products, manager, custodian, field, value, error, args):
    kw = dict(code=code("BAD"), risk=3, minimum=MIN_FEN, custodian=custodian.address, template=make_digest("t"),
              algorithm=SM3, cooling=DAY)
    kw[field] = manager.address if value == "manager" else value
    with ape.reverts(getattr(products, error), **args):
        products.registerProduct(kw["code"], kw["risk"], kw["minimum"], kw["custodian"], kw["template"],
                                 kw["algorithm"], kw["cooling"], True, sender=manager)
    assert products.productCodes() == []


def test_codes_are_unique(products, manager, custodian):
    products.registerProduct(code("A"), 2, MIN_FEN, custodian, make_digest("t"), SM3, DAY, True, sender=manager)
    with ape.reverts(products.FundProductRegistryAlreadyRegistered, code=code("A")):
        products.registerProduct(code("A"), 3, MIN_FEN, custodian, make_digest("u"), SM3, DAY, True, sender=manager)


def test_open_and_close(products, manager, custodian):
    c = code("A")
    products.registerProduct(c, 2, MIN_FEN, custodian, make_digest("t"), SM3, DAY, False, sender=manager)
    r = products.setOpen(c, True, sender=manager)
    (ev,) = r.decode_logs(products.ProductOpenChanged)
    assert ev.open and ev.by == manager.address and products.product(c).open
    with ape.reverts(products.FundProductRegistryUnchanged, code=c, open=True):
        products.setOpen(c, True, sender=manager)
    products.setOpen(c, False, sender=manager)
    assert not products.product(c).open


def test_only_the_products_manager_opens_it(products, admin, manager, custodian, outsider):
    c = code("A")
    products.registerProduct(c, 2, MIN_FEN, custodian, make_digest("t"), SM3, DAY, False, sender=manager)
    with ape.reverts(products.FundProductRegistryNotManager, code=c, caller=outsider.address):
        products.setOpen(c, True, sender=outsider)
    products.revokeRole(products.MANAGER_ROLE(), manager, sender=admin)
    assert not products.isManager(c, manager)
    with ape.reverts(products.FundProductRegistryNotManager, code=c, caller=manager.address):
        products.setOpen(c, True, sender=manager)


def test_unknown_product(products, manager):
    with ape.reverts(products.FundProductRegistryUnknownProduct, code=code("NONE")):
        products.product(code("NONE"))
    with ape.reverts(products.FundProductRegistryUnknownProduct, code=code("NONE")):
        products.setOpen(code("NONE"), True, sender=manager)


def test_admin_transfer_is_two_step_with_delay(project, admin, outsider):
    reg = admin.deploy(project.FundProductRegistry, 3 * DAY, admin)
    assert reg.defaultAdminDelay() == 3 * DAY and reg.defaultAdmin() == admin.address
    with ape.reverts(reg.AccessControlEnforcedDefaultAdminRules):
        reg.grantRole(reg.DEFAULT_ADMIN_ROLE(), outsider, sender=admin)
