"""CredentialRegistry: issuance gated by accreditation, suspension, reinstatement, revocation,
one-call verification and the audit trail; every rejection."""

import ape
import pytest

from tests.utils.docs import make_digest
from tests.utils.identity import ASSET, DAY, PRO

ACTIVE, SUSPENDED, REVOKED = 1, 2, 3


@pytest.fixture(scope="module")
def creds(project, admin, tir):
    return admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)


@pytest.fixture
def accredited(tir, admin, broker, chain):
    now = chain.pending_timestamp
    tir.accredit(broker, PRO, now - 10, now + 365 * DAY, False, sender=admin)
    return now


def test_issue_and_verify(creds, broker, investor, accredited, chain):
    d = make_digest("vc-1")
    r = creds.issue(d, PRO, investor, accredited + 180 * DAY, sender=broker)
    (ev,) = r.decode_logs(creds.CredentialIssued)
    assert ev.issuer == broker.address and ev.subject == investor.address and bytes(ev.credentialType) == PRO
    v = creds.verify(broker, d)
    assert v.status == ACTIVE and v.valid and v.issuerAccreditedAtIssuance and v.issuerTrustedNow
    assert v.issuedAt == chain.blocks[r.block_number].timestamp and v.expiresAt == accredited + 180 * DAY


def test_issue_costs_a_fraction_of_an_eas_attest(creds, broker, investor, accredited):
    r = creds.issue(make_digest("vc-gas"), PRO, investor, accredited + DAY, sender=broker)
    assert r.gas_used <= 342_280 // 3  # EAS attest with a DID string, measured on anvil (issue text)
    rv = creds.revoke(broker, make_digest("vc-gas"), 1, sender=broker)
    assert rv.gas_used <= 79_460 // 2  # EAS revoke


def test_only_accredited_issuers_issue(creds, tir, admin, broker, investor, accredited, outsider):
    with ape.reverts(creds.CredentialRegistryIssuerNotTrusted, issuer=outsider.address, credentialType=PRO):
        creds.issue(make_digest("x"), PRO, investor, accredited + DAY, sender=outsider)
    with ape.reverts(creds.CredentialRegistryIssuerNotTrusted, issuer=broker.address, credentialType=ASSET):
        creds.issue(make_digest("x"), ASSET, investor, accredited + DAY, sender=broker)
    tir.suspend(broker, PRO, 1, sender=admin)
    with ape.reverts(creds.CredentialRegistryIssuerNotTrusted, issuer=broker.address, credentialType=PRO):
        creds.issue(make_digest("x"), PRO, investor, accredited + DAY, sender=broker)


def test_issue_input_checks(creds, broker, investor, accredited, chain):
    with ape.reverts(creds.CredentialRegistryZeroDigest):
        creds.issue(b"\x00" * 32, PRO, investor, accredited + DAY, sender=broker)
    with ape.reverts(creds.CredentialRegistryZeroType):
        creds.issue(make_digest("x"), b"\x00" * 32, investor, accredited + DAY, sender=broker)
    with ape.reverts(creds.CredentialRegistryZeroSubject):
        creds.issue(make_digest("x"), PRO, "0x" + "00" * 20, accredited + DAY, sender=broker)
    with ape.reverts(creds.CredentialRegistryInvalidExpiry, expiresAt=accredited - 1):
        creds.issue(make_digest("x"), PRO, investor, accredited - 1, sender=broker)
    creds.issue(make_digest("x"), PRO, investor, accredited + DAY, sender=broker)
    with ape.reverts(creds.CredentialRegistryAlreadyIssued, issuer=broker.address, digest=make_digest("x")):
        creds.issue(make_digest("x"), PRO, investor, accredited + DAY, sender=broker)


def test_suspend_reinstate_revoke(creds, admin, broker, investor, outsider, accredited):
    d = make_digest("vc-2")
    creds.issue(d, PRO, investor, accredited + DAY, sender=broker)
    with ape.reverts(creds.CredentialRegistryUnknownCredential, issuer=outsider.address, digest=d):
        creds.suspend(d, 1, sender=outsider)  # the outsider has no credential d of its own
    with ape.reverts(creds.CredentialRegistryZeroReason):
        creds.suspend(d, 0, sender=broker)
    with ape.reverts(creds.CredentialRegistryWrongStatus, issuer=broker.address, digest=d, status=ACTIVE):
        creds.reinstate(d, sender=broker)
    r = creds.suspend(d, 4, sender=broker)
    assert list(r.decode_logs(creds.CredentialSuspended))[0].reason == 4
    v = creds.verify(broker, d)
    assert v.status == SUSPENDED and not v.valid and v.reason == 4
    with ape.reverts(creds.CredentialRegistryWrongStatus, issuer=broker.address, digest=d, status=SUSPENDED):
        creds.suspend(d, 4, sender=broker)
    with ape.reverts(creds.CredentialRegistryUnknownCredential, issuer=outsider.address, digest=d):
        creds.reinstate(d, sender=outsider)
    assert len(list(creds.reinstate(d, sender=broker).decode_logs(creds.CredentialReinstated))) == 1
    assert creds.verify(broker, d).valid
    with ape.reverts(creds.CredentialRegistryUnauthorized, issuer=broker.address, digest=d, caller=outsider.address):
        creds.revoke(broker, d, 2, sender=outsider)
    with ape.reverts(creds.CredentialRegistryZeroReason):
        creds.revoke(broker, d, 0, sender=broker)
    r = creds.revoke(broker, d, 2, sender=admin)  # the revoker role (regulator)
    (ev,) = r.decode_logs(creds.CredentialRevoked)
    assert ev.by == admin.address and ev.reason == 2
    assert creds.verify(broker, d).status == REVOKED and not creds.verify(broker, d).valid
    with ape.reverts(creds.CredentialRegistryWrongStatus, issuer=broker.address, digest=d, status=REVOKED):
        creds.revoke(broker, d, 2, sender=broker)
    with ape.reverts(creds.CredentialRegistryWrongStatus, issuer=broker.address, digest=d, status=REVOKED):
        creds.reinstate(d, sender=broker)


def test_unknown_credential(creds, broker):
    d = make_digest("nope")
    for call in (lambda: creds.verify(broker, d), lambda: creds.suspend(d, 1, sender=broker),
                 lambda: creds.reinstate(d, sender=broker), lambda: creds.revoke(broker, d, 1, sender=broker),
                 lambda: creds.recordVerification(broker, d, sender=broker)):
        with ape.reverts(creds.CredentialRegistryUnknownCredential, issuer=broker.address, digest=d):
            call()


def test_expiry_and_audit_trail(creds, tir, admin, broker, investor, accounts, accredited, chain):
    verifier = accounts[6]
    d = make_digest("vc-3")
    creds.issue(d, PRO, investor, accredited + 10 * DAY, sender=broker)
    r = creds.recordVerification(broker, d, sender=verifier)
    (ev,) = r.decode_logs(creds.CredentialVerified)
    assert ev.verifier == verifier.address and ev.subject == investor.address and ev.valid
    # the issuer loses its accreditation later: the credential stays accredited-at-issuance
    tir.withdraw(broker, PRO, 9, sender=admin)
    v = creds.verify(broker, d)
    assert v.issuerAccreditedAtIssuance and not v.issuerTrustedNow and v.valid
    chain.pending_timestamp = accredited + 11 * DAY
    chain.mine()
    assert not creds.verify(broker, d).valid  # expired
    r = creds.recordVerification(broker, d, sender=verifier)
    assert not list(r.decode_logs(creds.CredentialVerified))[0].valid


def test_front_run_digest_does_not_take_over_the_credential(creds, tir, admin, broker, investor, outsider,
                                                           accredited):
    """Issue 8, finding 4: the digest was global, so any accredited issuer (of any type) could anchor
    another issuer's digest first, become its issuer and revoke it. Records are now keyed by
    (issuer, digest): the front-runner gets a record of its own and cannot touch the broker's."""
    tir.accredit(outsider, ASSET, accredited - 10, accredited + DAY, False, sender=admin)
    d = make_digest("vc-front-run")
    creds.issue(d, ASSET, investor, accredited + DAY, sender=outsider)  # seen in the mempool, sent first
    creds.issue(d, PRO, investor, accredited + 180 * DAY, sender=broker)
    v = creds.verify(broker, d)
    assert v.issuer == broker.address and bytes(v.credentialType) == PRO and v.valid
    with ape.reverts(creds.CredentialRegistryUnauthorized, issuer=broker.address, digest=d, caller=outsider.address):
        creds.revoke(broker, d, 1, sender=outsider)
    creds.revoke(outsider, d, 1, sender=outsider)  # its own record only
    assert creds.verify(broker, d).valid and not creds.verify(outsider, d).valid
    assert creds.credentialId(broker, d) != creds.credentialId(outsider, d)


def test_expiry_beyond_uint40_is_rejected(creds, broker, investor, accredited):
    """Issue 8, finding 5: expiresAt was stored as uint40(expiresAt), so 2^40 and above were truncated
    (expired at once) while the event showed the untruncated value. They are now refused."""
    for too_far in (2**40, 2**40 + accredited + DAY, 2**64 - 1):
        with ape.reverts(creds.CredentialRegistryInvalidExpiry, expiresAt=too_far):
            creds.issue(make_digest("vc-far"), PRO, investor, too_far, sender=broker)
    creds.issue(make_digest("vc-far"), PRO, investor, 2**40 - 1, sender=broker)  # the largest stored time
    v = creds.verify(broker, make_digest("vc-far"))
    assert v.expiresAt == 2**40 - 1 and v.valid


def test_withdrawn_issuer_cannot_reinstate(creds, tir, admin, broker, investor, accredited):
    """Issue 8, finding 6: an issuer whose accreditation was withdrawn could still reinstate its
    suspended credentials. Reinstating now needs the issuer to be accredited for the type."""
    d = make_digest("vc-withdrawn")
    creds.issue(d, PRO, investor, accredited + DAY, sender=broker)
    creds.suspend(d, 4, sender=broker)
    tir.withdraw(broker, PRO, 9, sender=admin)
    with ape.reverts(creds.CredentialRegistryIssuerNotTrusted, issuer=broker.address, credentialType=PRO):
        creds.reinstate(d, sender=broker)
    assert creds.verify(broker, d).status == SUSPENDED
    creds.revoke(broker, d, 2, sender=broker)  # it may still revoke for good
    assert creds.verify(broker, d).status == REVOKED


def test_is_valid_for(creds, broker, investor, outsider, accredited, chain):
    """The one-call view for other contracts: issuer, digest, type and subject must all match."""
    d = make_digest("vc-fund")
    assert not creds.isValidFor(broker, d, PRO, investor)  # unknown
    creds.issue(d, PRO, investor, accredited + DAY, sender=broker)
    assert creds.isValidFor(broker, d, PRO, investor)
    assert not creds.isValidFor(broker, d, ASSET, investor)
    assert not creds.isValidFor(broker, d, PRO, outsider)
    assert not creds.isValidFor(outsider, d, PRO, investor)
    creds.suspend(d, 1, sender=broker)
    assert not creds.isValidFor(broker, d, PRO, investor)
    creds.reinstate(d, sender=broker)
    assert creds.isValidFor(broker, d, PRO, investor)
    chain.pending_timestamp = accredited + DAY + 1
    chain.mine()
    assert not creds.isValidFor(broker, d, PRO, investor)  # expired


def test_verify_by_id(creds, broker, investor, accredited):
    """The record-key view for contracts that keep one word per credential (the repo's terms)."""
    d = make_digest("vc-by-id")
    creds.issue(d, PRO, investor, accredited + DAY, sender=broker)
    cid = creds.credentialId(broker, d)
    assert creds.verifyById(cid) == creds.verify(broker, d)
    unknown = creds.credentialId(investor, d)
    with ape.reverts(creds.CredentialRegistryUnknownCredentialId, id=unknown):
        creds.verifyById(unknown)
