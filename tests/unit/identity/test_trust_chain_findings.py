"""Security review (issue 8), identity findings 1-3 and 12 on the TrustedIssuerRegistry: a root issuer
may accredit only issuers with no history for the type or its own sub-issuers (never itself), only
governance undoes a governance decision, and the trust check never recurses. Each test fails on the
registry before the fix."""

import ape
import pytest

from tests.utils.identity import ASSET, DAY, PRO

ACTIVE, SUSPENDED, WITHDRAWN = 1, 2, 3


@pytest.fixture(scope="module")
def roots(accounts):
    return accounts[6], accounts[7]


@pytest.fixture(scope="module")
def subs(accounts):
    return accounts[8], accounts[9]


@pytest.fixture
def chains(tir, admin, roots, subs, chain):
    """Two governance-accredited roots for PRO, each with one sub-issuer."""
    now = chain.pending_timestamp
    (a, b), (sa, sb) = roots, subs
    for root in (a, b):
        tir.accredit(root, PRO, now - 10, now + 365 * DAY, True, sender=admin)
    tir.accredit(sa, PRO, now - 10, now + 30 * DAY, False, sender=a)
    tir.accredit(sb, PRO, now - 10, now + 30 * DAY, False, sender=b)
    return now


def test_root_cannot_turn_a_peer_root_into_its_sub_issuer(tir, roots, subs, chains):
    """Finding 1: a root could overwrite a peer root's accreditation, making it its own sub-issuer, and
    then withdraw it together with every issuer the peer accredited."""
    (a, b), (_, sb) = roots, subs
    with ape.reverts(tir.TrustedIssuerRegistryNotSubIssuer, caller=a.address, issuer=b.address, credentialType=PRO):
        tir.accredit(b, PRO, chains, chains + DAY, False, sender=a)
    with ape.reverts(tir.TrustedIssuerRegistryUnauthorized, caller=a.address, issuer=b.address, credentialType=PRO):
        tir.withdraw(b, PRO, 1, sender=a)
    assert tir.accreditation(b, PRO).depth == 0 and tir.isTrusted(b, PRO) and tir.isTrusted(sb, PRO)


def test_root_cannot_take_over_another_roots_sub_issuer(tir, roots, subs, chains):
    """Finding 1: a root could re-accredit another root's sub-issuer as its own."""
    (a, b), (_, sb) = roots, subs
    with ape.reverts(tir.TrustedIssuerRegistryNotSubIssuer, caller=a.address, issuer=sb.address, credentialType=PRO):
        tir.accredit(sb, PRO, chains, chains + DAY, False, sender=a)
    assert tir.accreditation(sb, PRO).parent == b.address


def test_root_renews_its_own_sub_issuer_and_accredits_newcomers(tir, roots, subs, outsider, chains):
    """Finding 1, the allowed cases: its own sub-issuer (renewal) and an issuer with no history."""
    (a, _), (sa, _) = roots, subs
    tir.accredit(sa, PRO, chains, chains + 60 * DAY, False, sender=a)
    tir.accredit(outsider, PRO, chains, chains + DAY, False, sender=a)
    assert tir.accreditation(sa, PRO).validUntil == chains + 60 * DAY
    assert tir.accreditation(outsider, PRO).parent == a.address
    # its own sub-issuer it withdrew may come back (the history is its own)
    tir.withdraw(sa, PRO, 3, sender=a)
    tir.accredit(sa, PRO, chains, chains + DAY, False, sender=a)
    assert tir.isTrusted(sa, PRO)


def test_root_cannot_reaccredit_an_issuer_governance_suspended(tir, admin, roots, subs, chains):
    """Finding 1: a root could re-accredit an issuer the regulator had suspended (or withdrawn)."""
    (a, _), (sa, _) = roots, subs
    tir.suspend(sa, PRO, 5, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryGovernanceDecision, issuer=sa.address, credentialType=PRO):
        tir.accredit(sa, PRO, chains, chains + DAY, False, sender=a)
    tir.withdraw(sa, PRO, 6, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryGovernanceDecision, issuer=sa.address, credentialType=PRO):
        tir.accredit(sa, PRO, chains, chains + DAY, False, sender=a)
    assert tir.accreditation(sa, PRO).status == WITHDRAWN and not tir.isTrusted(sa, PRO)


def test_only_governance_undoes_a_governance_status_change(tir, admin, roots, subs, chains):
    """Finding 2: a root could reinstate (or re-suspend) its sub-issuer after governance suspended
    (or reinstated) it. Each entry records whether governance made it."""
    (a, _), (sa, _) = roots, subs
    tir.suspend(sa, PRO, 5, sender=admin)
    assert tir.accreditation(sa, PRO).byGovernance
    for undo in (lambda: tir.reinstate(sa, PRO, sender=a), lambda: tir.withdraw(sa, PRO, 1, sender=a)):
        with ape.reverts(tir.TrustedIssuerRegistryGovernanceDecision, issuer=sa.address, credentialType=PRO):
            undo()
    tir.reinstate(sa, PRO, sender=admin)
    with ape.reverts(tir.TrustedIssuerRegistryGovernanceDecision, issuer=sa.address, credentialType=PRO):
        tir.suspend(sa, PRO, 1, sender=a)
    assert [(e.status, e.byGovernance, e.by) for e in tir.accreditationHistory(sa, PRO)] == [
        (ACTIVE, False, a.address), (SUSPENDED, True, admin.address), (ACTIVE, True, admin.address)]
    # governance may also take the issuer over as a root of its own
    tir.accredit(sa, PRO, chains, chains + DAY, False, sender=admin)
    assert tir.accreditation(sa, PRO).depth == 0


def test_root_changes_its_own_decisions(tir, roots, subs, chains):
    (a, _), (sa, _) = roots, subs
    tir.suspend(sa, PRO, 2, sender=a)
    assert not tir.accreditation(sa, PRO).byGovernance
    tir.reinstate(sa, PRO, sender=a)
    assert tir.isTrusted(sa, PRO)


def test_root_cannot_accredit_itself(tir, roots, subs, chains, chain):
    """Finding 3: a root that accredited itself got parent == issuer, and the recursive trust check
    then reverted (stack exhausted) for it, its sub-issuers and their credentials. It is refused, and
    the trust check of the root and its sub-issuers stays answerable."""
    (a, _), (sa, _) = roots, subs
    with ape.reverts(tir.TrustedIssuerRegistrySelfAccreditation, issuer=a.address):
        tir.accredit(a, PRO, chains, chains + DAY, False, sender=a)
    assert tir.isTrusted(a, PRO) and tir.isTrusted(sa, PRO)
    assert tir.wasTrusted(sa, PRO, chain.blocks.head.timestamp)


def test_sub_issuer_trust_follows_its_parent_one_level(tir, admin, roots, subs, chains, chain):
    """Finding 3: the check looks at the parent's entry at the same moment, never further."""
    (a, _), (sa, _) = roots, subs
    t0 = chain.blocks.head.timestamp
    chain.pending_timestamp = t0 + 10
    tir.suspend(a, PRO, 1, sender=admin)
    t1 = chain.blocks.head.timestamp
    assert not tir.isTrusted(sa, PRO) and tir.wasTrusted(sa, PRO, t0) and not tir.wasTrusted(sa, PRO, t1)
    # a root trusted for another type does not carry a sub-issuer of this type
    tir.accredit(a, ASSET, chains, chains + DAY, False, sender=admin)
    assert not tir.isTrusted(sa, PRO)


def test_roles_have_their_own_holders_and_admin_moves_in_two_steps(project, admin, outsider, accounts, chain):
    """Finding 12: GOVERNANCE_ROLE goes to its own holder; DEFAULT_ADMIN_ROLE moves only through the
    delayed two-step transfer."""
    gov = accounts[10]
    reg = admin.deploy(project.TrustedIssuerRegistry, 86400, admin, gov)
    assert reg.hasRole(reg.GOVERNANCE_ROLE(), gov) and not reg.hasRole(reg.GOVERNANCE_ROLE(), admin)
    assert reg.defaultAdmin() == admin.address and reg.defaultAdminDelay() == 86400
    now = chain.pending_timestamp
    with ape.reverts(reg.TrustedIssuerRegistryUnauthorized, caller=admin.address, issuer=outsider.address,
                     credentialType=PRO):
        reg.accredit(outsider, PRO, now, now + DAY, False, sender=admin)
    reg.accredit(outsider, PRO, now, now + DAY, False, sender=gov)
    with ape.reverts(reg.AccessControlEnforcedDefaultAdminRules):
        reg.grantRole(reg.DEFAULT_ADMIN_ROLE(), outsider, sender=admin)
