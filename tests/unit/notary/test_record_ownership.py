"""Security review (issue 8), notary findings 8 and 10: records and batches belong to their anchorer,
and a signature names its signer and its record. Each test fails on the registry keyed by
(digest, algorithm) with SignDocument(digest, algorithm), and passes now."""

import ape

from tests.utils.docs import SHA, SM3, ZERO32

REGISTERED, FULLY_SIGNED, REVOKED = 1, 2, 3


def test_squatter_anchoring_first_does_not_block_the_parties(registry, manager, custodian, outsider, digest):
    """Finding 8: whoever anchored a digest first owned the only slot for it; the parties' own
    anchor then reverted with AlreadyAnchored. Now each anchorer has its own record."""
    d = digest("front-run")
    registry.anchor(d, SHA, ZERO32, [outsider], sender=outsider)  # a mempool watcher, say
    registry.anchor(d, SHA, ZERO32, [manager, custodian], sender=manager)
    mine, theirs = registry.getRecord(manager, d, SHA), registry.getRecord(outsider, d, SHA)
    assert mine.anchorer == manager.address and mine.requiredSigners == 2
    assert theirs.anchorer == outsider.address and theirs.requiredSigners == 1
    assert [s.signer for s in registry.getSignatures(manager, d, SHA)] == [manager.address, custodian.address]


def test_squatter_cannot_revoke_the_parties_fully_signed_record(registry, manager, custodian, outsider, digest):
    """Finding 8: the first anchorer could revoke even a fully signed record. Another account's
    revocation of the parties' record is refused, and revoking its own record leaves theirs live."""
    d = digest("signed-contract")
    registry.anchor(d, SHA, ZERO32, [manager, custodian], sender=manager)
    registry.sign(manager, d, SHA, sender=manager)
    registry.sign(manager, d, SHA, sender=custodian)
    with ape.reverts(registry.DocumentRegistryUnauthorized, digest=d, caller=outsider.address):
        registry.revoke(manager, d, SHA, 1, sender=outsider)
    registry.anchor(d, SHA, ZERO32, [], sender=outsider)
    registry.revoke(outsider, d, SHA, 1, sender=outsider)
    assert registry.getRecord(outsider, d, SHA).status == REVOKED
    assert registry.getRecord(manager, d, SHA).status == FULLY_SIGNED


def test_squatted_batch_root_does_not_block_the_platform(registry, platform, outsider, digest):
    """Finding 8 (batches): a root anchored first by someone else made the platform's anchorBatch revert."""
    root = digest("daily-root")
    registry.anchorBatch(root, SHA, 1, ZERO32, sender=outsider)
    registry.anchorBatch(root, SHA, 500, ZERO32, sender=platform)
    assert registry.getBatch(platform, root).leafCount == 500
    assert registry.getBatch(outsider, root).leafCount == 1
    assert registry.batchId(platform, root) != registry.batchId(outsider, root)


def test_squatted_new_version_digest_does_not_block_supersede(registry, manager, outsider, digest):
    """Finding 8 (supersede): anchoring the amendment's digest first made the parties' supersede revert."""
    old, new = digest("v1"), digest("v2")
    registry.anchor(old, SHA, ZERO32, [], sender=manager)
    registry.anchor(new, SM3, ZERO32, [outsider], sender=outsider)
    registry.supersede(old, SHA, new, SM3, ZERO32, [manager], 1, sender=manager)
    nxt = registry.getRecord(manager, new, SM3)
    assert nxt.anchorer == manager.address and bytes(nxt.previousDigest) == old
    assert registry.getRecord(outsider, new, SM3).previousDigest == ZERO32


def test_owner_signature_does_not_count_for_its_eip1271_wallet(registry, notary, make_wallet, manager, custodian,
                                                              platform, digest):
    """Finding 10: SignDocument(digest, algorithm) did not name the signer, so with a wallet that accepts
    its owner's signature over the raw hash, one EOA signature counted for both the owner and its wallet."""
    wallet = make_wallet(custodian)
    d = digest("owner-and-wallet")
    registry.anchor(d, SHA, ZERO32, [custodian, wallet.address], sender=manager)
    own = notary.offline_signature(d, SHA, custodian, anchorer=manager)
    notary.relay(own, sender=platform)
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=d, signer=wallet.address):
        registry.signFor(manager, d, SHA, wallet.address, bytes.fromhex(own["signature"][2:]), sender=platform)
    assert registry.getRecord(manager, d, SHA).signedCount == 1
    # the wallet's own approval (typed data naming the wallet, signed by its owner key) counts
    for_wallet = notary.offline_signature(d, SHA, wallet, anchorer=manager, key=custodian)
    notary.relay(for_wallet, sender=platform)
    assert registry.getRecord(manager, d, SHA).status == FULLY_SIGNED


def test_signature_names_its_record(registry, notary, manager, investor, outsider, platform, digest):
    """Finding 10: the typed data names the record, so a signature for one anchorer's record of a
    digest does not sign another anchorer's record of the same digest."""
    d = digest("two-records")
    registry.anchor(d, SHA, ZERO32, [investor], sender=manager)
    registry.anchor(d, SHA, ZERO32, [investor], sender=outsider)
    sig = notary.offline_signature(d, SHA, investor, anchorer=manager)
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=d, signer=investor.address):
        registry.signFor(outsider, d, SHA, investor, bytes.fromhex(sig["signature"][2:]), sender=platform)
    notary.relay(sig, sender=platform)
    assert registry.getRecord(manager, d, SHA).status == FULLY_SIGNED
    assert registry.getRecord(outsider, d, SHA).status == REGISTERED
    assert registry.signingHash(manager, d, SHA, investor) != registry.signingHash(manager, d, SHA, outsider)


def test_is_fully_signed_by(registry, manager, custodian, investor, outsider, digest):
    """The one-call view other contracts use: live, fully signed, and every given party a signer."""
    d = digest("fund-deal")
    parties = [manager.address, custodian.address]
    assert not registry.isFullySignedBy(manager, d, SHA, parties)  # unknown record
    registry.anchor(d, SHA, ZERO32, parties, sender=manager)
    registry.sign(manager, d, SHA, sender=manager)
    assert not registry.isFullySignedBy(manager, d, SHA, parties)  # one signature missing
    registry.sign(manager, d, SHA, sender=custodian)
    assert registry.isFullySignedBy(manager, d, SHA, parties)
    assert registry.isFullySignedBy(manager, d, SHA, [custodian.address])
    assert registry.isFullySignedBy(manager, d, SHA, [])
    assert not registry.isFullySignedBy(manager, d, SHA, [*parties, investor.address])  # not a signer
    assert not registry.isFullySignedBy(outsider, d, SHA, parties)  # someone else's (absent) record
    registry.revoke(manager, d, SHA, 2, sender=manager)
    assert not registry.isFullySignedBy(manager, d, SHA, parties)  # no longer live


def test_admin_role_transfer_is_two_step_and_delayed(project, admin, outsider, chain):
    """Finding 12: DEFAULT_ADMIN_ROLE moves only by beginDefaultAdminTransfer + accept after the delay
    given to the constructor; grantRole of the admin role is refused."""
    reg = admin.deploy(project.DocumentRegistry, 3600, admin, admin)
    role = reg.DEFAULT_ADMIN_ROLE()
    with ape.reverts(reg.AccessControlEnforcedDefaultAdminRules):
        reg.grantRole(role, outsider, sender=admin)
    reg.beginDefaultAdminTransfer(outsider, sender=admin)
    _, schedule = reg.pendingDefaultAdmin()
    with ape.reverts(reg.AccessControlEnforcedDefaultAdminDelay, schedule=schedule):
        reg.acceptDefaultAdminTransfer(sender=outsider)
    chain.pending_timestamp = schedule + 1
    reg.acceptDefaultAdminTransfer(sender=outsider)
    assert reg.defaultAdmin() == outsider.address and not reg.hasRole(role, admin)
    assert reg.defaultAdminDelay() == 3600
