"""Fixtures of the fund tests: the real notary and credential registries beside the fund contracts."""

import pytest

from tests.utils.docs import make_digest
from tests.utils.fund import DAY, MIN_FEN, QI, SM3, STAGE, code, signed_contract


@pytest.fixture(scope="session")
def broker(accounts):
    """Issues QualifiedInvestor credentials (accredited by admin, the regulator of issuers)."""
    return accounts[6]


@pytest.fixture(scope="session")
def regulator(accounts):
    return accounts[7]


@pytest.fixture(scope="module")
def creds(project, admin, tir):
    return admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)


@pytest.fixture(scope="module")
def products(project, admin, manager):
    reg = admin.deploy(project.FundProductRegistry, 0, admin)
    reg.grantRole(reg.MANAGER_ROLE(), manager, sender=admin)
    return reg


@pytest.fixture(scope="module")
def subs(project, admin, products, creds, registry, regulator):
    book = admin.deploy(project.FundSubscriptions, 0, admin, products, creds, registry)
    book.grantRole(book.REGULATOR_ROLE(), regulator, sender=admin)
    return book


@pytest.fixture
def register(products, manager, custodian):
    """register(tag, risk=3, minimum=MIN_FEN, cooling=DAY) -> product code."""

    def make(tag="PF-R3", risk=3, minimum=MIN_FEN, cooling=DAY, open_=True, sender=None):
        c = code(tag)
        products.registerProduct(c, risk, minimum, custodian, make_digest("template-" + tag), SM3, cooling, open_,
                                 sender=sender or manager)
        return c

    return make


@pytest.fixture
def qualify(tir, creds, admin, broker, chain):
    """qualify(investor, tag) -> credential digest of a fresh QualifiedInvestor credential."""
    now = chain.pending_timestamp
    tir.accredit(broker, QI, now - 10, now + 365 * DAY, False, sender=admin)

    def make(who, tag="qi", ctype=QI, expires=None):
        d = make_digest("credential-" + tag)
        creds.issue(d, ctype, who, expires or chain.pending_timestamp + 180 * DAY, sender=broker)
        return d

    return make


@pytest.fixture
def flow(subs, registry, manager, custodian, investor, broker, register, qualify):
    """flow(stage, product=None, tag) -> subscription id brought to `stage` along the happy path."""

    default = []

    def run(stage="Opened", product=None, tag="s", suitability=3):
        if product is None:
            if not default:
                default.append(register())
            product = default[0]
        cred = qualify(investor, tag)
        r = subs.open(product, investor, cred, broker, suitability, make_digest("q-" + tag), SM3, sender=manager)
        sid = r.decode_logs(subs.SubscriptionOpened)[0].id
        steps = [
            ("Recorded", lambda: subs.recordSale(sid, make_digest("rec-" + tag), sender=manager)),
            ("Contracted", lambda: subs.attachContract(
                sid, signed_contract(registry, "contract-" + tag, manager, custodian, investor), SM3, sender=manager)),
            ("Paid", lambda: subs.confirmPayment(sid, MIN_FEN, make_digest("bank-" + tag), sender=custodian)),
        ]
        for name, step in steps:
            if STAGE[stage] < STAGE[name]:
                break
            step()
        return sid

    return run
