"""TrustedIssuerRegistry: accreditation, the bounded trust chain, suspensions and withdrawals, and
history queries that stay right after later changes; every rejection."""

import ape
import pytest

from tests.utils.identity import ASSET, DAY, PRO

ACTIVE, SUSPENDED, WITHDRAWN = 1, 2, 3


@pytest.fixture
def now(chain):
    return chain.pending_timestamp


@pytest.fixture(scope="module")
def branch(accounts):
    return accounts[3]


@pytest.fixture(scope="module")
def bank(accounts):
    return accounts[1]


def test_governance_accredits_root_issuer(tir, admin, broker, now):
    r = tir.accredit(broker, PRO, now - 10, now + 365 * DAY, True, sender=admin)
    (ev,) = r.decode_logs(tir.IssuerAccredited)
    assert ev.issuer == broker.address and ev.by == admin.address and ev.depth == 0 and ev.canAccredit
    assert tir.isTrusted(broker, PRO) and not tir.isTrusted(broker, ASSET)
    e = tir.accreditation(broker, PRO)
    assert e.status == ACTIVE and e.depth == 0 and e.by == admin.address


def test_sub_issuer_chain_is_bounded(tir, admin, broker, branch, bank, now):
    tir.accredit(broker, PRO, now - 10, now + 365 * DAY, True, sender=admin)
    r = tir.accredit(branch, PRO, now - 5, now + 30 * DAY, False, sender=broker)
    (ev,) = r.decode_logs(tir.IssuerAccredited)
    assert ev.depth == 1 and ev.by == broker.address
    assert tir.isTrusted(branch, PRO) and tir.accreditation(branch, PRO).parent == broker.address
    # the sub-issuer cannot accredit further, and a root cannot hand on the right to accredit
    with ape.reverts(tir.TrustedIssuerRegistryChainTooDeep, caller=branch.address):
        tir.accredit(bank, PRO, now, now + DAY, False, sender=branch)
    with ape.reverts(tir.TrustedIssuerRegistryChainTooDeep, caller=broker.address):
        tir.accredit(bank, PRO, now, now + DAY, True, sender=broker)
    # a root issuer can only accredit for the types it is trusted for
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=broker.address, issuer=bank.address,
                     credentialType=ASSET):
        tir.accredit(bank, ASSET, now, now + DAY, False, sender=broker)


def test_root_without_right_to_accredit(tir, admin, bank, branch, now):
    tir.accredit(bank, ASSET, now - 10, now + DAY, False, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=bank.address, issuer=branch.address,
                     credentialType=ASSET):
        tir.accredit(branch, ASSET, now, now + DAY, False, sender=bank)


def test_outsider_cannot_accredit(tir, outsider, bank, now):
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=outsider.address, issuer=bank.address,
                     credentialType=PRO):
        tir.accredit(bank, PRO, now, now + DAY, False, sender=outsider)


def test_accredit_input_checks(tir, admin, bank, now):
    with ape.reverts(tir.TrustedIssuerRegistryZeroIssuer):
        tir.accredit("0x" + "00" * 20, PRO, now, now + DAY, False, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryZeroType):
        tir.accredit(bank, b"\x00" * 32, now, now + DAY, False, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryInvalidWindow, validFrom=now + DAY, validUntil=now + DAY):
        tir.accredit(bank, PRO, now + DAY, now + DAY, False, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryInvalidWindow, validFrom=now - 2 * DAY, validUntil=now - DAY):
        tir.accredit(bank, PRO, now - 2 * DAY, now - DAY, False, sender=admin)


def test_history_answers_for_the_past(tir, admin, broker, branch, chain, now):
    tir.accredit(broker, PRO, now - 10, now + 365 * DAY, True, sender=admin)
    tir.accredit(branch, PRO, now - 10, now + 365 * DAY, False, sender=broker)
    t_ok = chain.blocks.head.timestamp
    chain.pending_timestamp = t_ok + DAY
    r = tir.suspend(broker, PRO, 7, sender=admin)
    (ev,) = r.decode_logs(tir.AccreditationSuspended)
    assert ev.reason == 7
    t_suspended = chain.blocks.head.timestamp
    assert not tir.isTrusted(broker, PRO)
    assert not tir.isTrusted(branch, PRO)  # the chain breaks with its root
    chain.pending_timestamp = t_suspended + DAY
    r = tir.reinstate(broker, PRO, sender=admin)
    assert len(list(r.decode_logs(tir.AccreditationReinstated))) == 1
    t_back = chain.blocks.head.timestamp
    chain.pending_timestamp = t_back + DAY
    r = tir.withdraw(broker, PRO, 9, sender=admin)
    assert len(list(r.decode_logs(tir.AccreditationWithdrawn))) == 1
    t_gone = chain.blocks.head.timestamp
    # the past stays as it was
    assert tir.wasTrusted(broker, PRO, t_ok) and tir.wasTrusted(branch, PRO, t_ok)
    assert not tir.wasTrusted(broker, PRO, t_suspended)
    assert tir.wasTrusted(broker, PRO, t_back)
    assert not tir.wasTrusted(broker, PRO, t_gone) and not tir.isTrusted(broker, PRO)
    assert not tir.wasTrusted(broker, PRO, now - 100)  # before the first accreditation
    assert [e.status for e in tir.accreditationHistory(broker, PRO)] == [ACTIVE, SUSPENDED, ACTIVE, WITHDRAWN]


def test_validity_window(tir, admin, bank, now):
    tir.accredit(bank, ASSET, now + DAY, now + 2 * DAY, False, sender=admin)
    assert not tir.isTrusted(bank, ASSET)
    assert tir.wasTrusted(bank, ASSET, now + DAY + 1) and not tir.wasTrusted(bank, ASSET, now + 2 * DAY)


def test_status_changes_rejections(tir, admin, broker, branch, outsider, now):
    with ape.reverts(tir.TrustedIssuerRegistryUnknownAccreditation, issuer=broker.address, credentialType=PRO):
        tir.suspend(broker, PRO, 1, sender=admin)
    tir.accredit(broker, PRO, now - 10, now + DAY, True, sender=admin)
    tir.accredit(branch, PRO, now - 10, now + DAY, False, sender=broker)
    with ape.reverts(tir.TrustedIssuerRegistryWrongStatus, issuer=broker.address, credentialType=PRO, status=ACTIVE):
        tir.reinstate(broker, PRO, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryZeroReason):
        tir.suspend(broker, PRO, 0, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=outsider.address, issuer=broker.address,
                     credentialType=PRO):
        tir.suspend(broker, PRO, 1, sender=outsider)
    # a root issuer may change its own sub-issuer, not itself or others
    tir.suspend(branch, PRO, 2, sender=broker)
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=broker.address, issuer=broker.address,
                     credentialType=PRO):
        tir.withdraw(broker, PRO, 1, sender=broker)
    tir.withdraw(branch, PRO, 3, sender=broker)
    with ape.reverts(tir.TrustedIssuerRegistryWrongStatus, issuer=branch.address, credentialType=PRO, status=WITHDRAWN):
        tir.withdraw(branch, PRO, 3, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryZeroReason):
        tir.withdraw(broker, PRO, 0, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryUnknownAccreditation, issuer=outsider.address, credentialType=PRO):
        tir.accreditation(outsider, PRO)


def test_governance_role_is_access_controlled(tir, admin, outsider):
    role = tir.GOVERNANCE_ROLE()
    with ape.reverts(tir.AccessControlUnauthorizedAccount, account=outsider.address):
        tir.grantRole(role, outsider, sender=outsider)
    tir.grantRole(role, outsider, sender=admin)
    assert tir.hasRole(role, outsider)
