"""DocumentRegistry: every function, every event, every custom error."""

import ape
import pytest
from eth_utils import keccak

from tests.utils.docs import KECCAK, SHA, SM3, ZERO32

REGISTERED, FULLY_SIGNED, REVOKED, SUPERSEDED = 1, 2, 3, 4


def logs(receipt, event):
    return list(receipt.decode_logs(event))


# --------------------------------------------------------------------------------------------
# deployment and roles
# --------------------------------------------------------------------------------------------


def test_constructor_grants_admin_roles(registry, admin, outsider):
    assert registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin) and registry.defaultAdmin() == admin.address
    assert registry.hasRole(registry.REGISTRY_ADMIN_ROLE(), admin)
    assert not registry.hasRole(registry.REGISTRY_ADMIN_ROLE(), outsider)
    assert registry.REGISTRY_ADMIN_ROLE() == keccak(text="REGISTRY_ADMIN_ROLE")
    assert registry.MAX_SIGNERS() == 32


def test_only_role_admin_grants_registry_admin(registry, admin, outsider):
    role = registry.REGISTRY_ADMIN_ROLE()
    with ape.reverts(registry.AccessControlUnauthorizedAccount, account=outsider.address):
        registry.grantRole(role, outsider, sender=outsider)
    registry.grantRole(role, outsider, sender=admin)
    assert registry.hasRole(role, outsider)


# --------------------------------------------------------------------------------------------
# anchor
# --------------------------------------------------------------------------------------------


def test_anchor_records_header_and_emits(registry, manager, custodian, investor, digest, chain):
    d, meta = digest("contract"), digest("meta")
    receipt = registry.anchor(d, SHA, meta, [manager, custodian, investor], sender=manager)
    rec = registry.getRecord(manager, d, SHA)
    assert bytes(rec.digest) == d
    assert rec.algorithm == SHA
    assert rec.status == REGISTERED
    assert rec.anchorer == manager.address
    assert rec.anchoredAt == chain.blocks[receipt.block_number].timestamp
    assert (rec.requiredSigners, rec.signedCount) == (3, 0)
    assert rec.closedAt == 0 and rec.reason == 0
    assert bytes(rec.previousDigest) == ZERO32 and bytes(rec.nextDigest) == ZERO32
    (ev,) = logs(receipt, registry.DocumentAnchored)
    assert bytes(ev.digest) == d and ev.algorithm == SHA and ev.anchorer == manager.address
    assert bytes(ev.metadata) == meta
    assert list(ev.signers) == [manager.address, custodian.address, investor.address]
    sigs = registry.getSignatures(manager, d, SHA)
    assert [s.signer for s in sigs] == [manager.address, custodian.address, investor.address]
    assert all(s.signedAt == 0 for s in sigs)
    assert registry.isAnchored(manager, d, SHA)
    assert registry.recordId(manager, d, SHA) == keccak(
        bytes(12) + bytes.fromhex(manager.address[2:]) + d + SHA.to_bytes(32, "big"))


def test_same_digest_other_algorithm_is_a_separate_record(registry, manager, digest):
    d = digest("x")
    registry.anchor(d, SHA, ZERO32, [], sender=manager)
    registry.anchor(d, SM3, ZERO32, [], sender=manager)
    assert registry.isAnchored(manager, d, SHA) and registry.isAnchored(manager, d, SM3)
    assert not registry.isAnchored(manager, d, KECCAK)


def test_anchor_rejects_duplicate(registry, manager, digest):
    d = digest("dup")
    registry.anchor(d, SHA, ZERO32, [], sender=manager)
    with ape.reverts(registry.DocumentRegistryAlreadyAnchored, digest=d, algorithm=SHA):
        registry.anchor(d, SHA, digest("other-meta"), [], sender=manager)
    assert registry.getRecord(manager, d, SHA).anchorer == manager.address


def test_anchor_rejects_zero_digest(registry, manager):
    with ape.reverts(registry.DocumentRegistryZeroDigest):
        registry.anchor(ZERO32, SHA, ZERO32, [], sender=manager)


@pytest.mark.parametrize("alg", [0, 4, 255])
def test_anchor_rejects_unsupported_algorithm(registry, manager, digest, alg):
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=alg):
        registry.anchor(digest("a"), alg, ZERO32, [], sender=manager)


def test_anchor_rejects_zero_signer(registry, manager, digest):
    with ape.reverts(registry.DocumentRegistryZeroSigner):
        registry.anchor(digest("z"), SHA, ZERO32, [manager, "0x" + "00" * 20], sender=manager)
    assert not registry.isAnchored(manager, digest("z"), SHA)


def test_anchor_rejects_duplicate_signer(registry, manager, custodian, digest):
    with ape.reverts(registry.DocumentRegistryDuplicateSigner, signer=manager.address):
        registry.anchor(digest("d"), SHA, ZERO32, [manager, custodian, manager], sender=manager)


def test_anchor_rejects_too_many_signers(registry, manager, digest):
    signers = ["0x" + f"{i + 1:040x}" for i in range(33)]
    with ape.reverts(registry.DocumentRegistryTooManySigners, count=33, max=32):
        registry.anchor(digest("many"), SHA, ZERO32, signers, sender=manager)
    registry.anchor(digest("many"), SHA, ZERO32, signers[:32], sender=manager)
    assert registry.getRecord(manager, digest("many"), SHA).requiredSigners == 32


# --------------------------------------------------------------------------------------------
# sign / signFor
# --------------------------------------------------------------------------------------------


@pytest.fixture
def three_party(registry, manager, custodian, investor, digest):
    d = digest("three-party")
    registry.anchor(d, SHA, ZERO32, [manager, custodian, investor], sender=manager)
    return d


def test_sign_by_transaction_until_fully_signed(registry, three_party, manager, custodian, investor, chain):
    d = three_party
    r1 = registry.sign(manager, d, SHA, sender=custodian)
    (ev,) = logs(r1, registry.DocumentSigned)
    assert ev.signer == custodian.address and ev.relayer == custodian.address
    assert logs(r1, registry.DocumentFullySigned) == []
    registry.sign(manager, d, SHA, sender=investor)
    assert registry.getRecord(manager, d, SHA).status == REGISTERED
    r3 = registry.sign(manager, d, SHA, sender=manager)
    assert len(logs(r3, registry.DocumentFullySigned)) == 1
    rec = registry.getRecord(manager, d, SHA)
    assert rec.status == FULLY_SIGNED and rec.signedCount == 3
    when = {s.signer: s.signedAt for s in registry.getSignatures(manager, d, SHA)}
    assert when[manager.address] == chain.blocks[r3.block_number].timestamp
    assert all(when.values())


def test_sign_rejects_non_signer(registry, three_party, manager, outsider):
    with ape.reverts(registry.DocumentRegistryNotRequiredSigner, digest=three_party, signer=outsider.address):
        registry.sign(manager, three_party, SHA, sender=outsider)


def test_sign_rejects_second_signature(registry, three_party, manager, custodian):
    registry.sign(manager, three_party, SHA, sender=custodian)
    with ape.reverts(registry.DocumentRegistryAlreadySigned, digest=three_party, signer=custodian.address):
        registry.sign(manager, three_party, SHA, sender=custodian)
    assert registry.getRecord(manager, three_party, SHA).signedCount == 1


def test_sign_rejects_unknown_record(registry, manager, digest):
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=manager.address, digest=digest("nope"),
                     algorithm=SHA):
        registry.sign(manager, digest("nope"), SHA, sender=manager)


def test_sign_rejects_unsupported_algorithm(registry, three_party, manager):
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=9):
        registry.sign(manager, three_party, 9, sender=manager)


def test_sign_for_relays_eip712_signature(registry, notary, three_party, manager, investor, platform):
    sig = notary.offline_signature(three_party, SHA, investor, anchorer=manager)
    receipt = notary.relay(sig, sender=platform)
    (ev,) = logs(receipt, registry.DocumentSigned)
    assert ev.signer == investor.address and ev.relayer == platform.address
    assert registry.getRecord(manager, three_party, SHA).signedCount == 1


def test_local_signing_hash_matches_contract(registry, notary, three_party, manager, investor):
    from eth_account.messages import _hash_eip191_message, encode_typed_data

    td = notary.typed_data(three_party, SHA, anchorer=manager, signer=investor)
    local = _hash_eip191_message(encode_typed_data(full_message=td))
    assert bytes(registry.signingHash(manager, three_party, SHA, investor)) == bytes(local)


def test_sign_for_rejects_signature_by_someone_else(registry, notary, three_party, manager, investor, outsider,
                                                    platform):
    forged = notary.offline_signature(three_party, SHA, outsider, anchorer=manager)["signature"]
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=three_party, signer=investor.address):
        registry.signFor(manager, three_party, SHA, investor, bytes.fromhex(forged[2:]), sender=platform)


def test_sign_for_rejects_signature_for_other_algorithm(registry, notary, three_party, manager, investor, platform):
    other = notary.offline_signature(three_party, KECCAK, investor, anchorer=manager)["signature"]
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=three_party, signer=investor.address):
        registry.signFor(manager, three_party, SHA, investor, bytes.fromhex(other[2:]), sender=platform)


def test_sign_for_rejects_malformed_signature(registry, three_party, manager, investor, platform):
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=three_party, signer=investor.address):
        registry.signFor(manager, three_party, SHA, investor, b"\x01" * 10, sender=platform)


def test_sign_for_signature_from_another_registry_is_rejected(
    registry, deploy_registry, three_party, investor, platform, manager, custodian
):
    from carbonchain.notary import Notary

    other = Notary(deploy_registry())
    other.contract.anchor(three_party, SHA, ZERO32, [manager, custodian, investor], sender=manager)
    sig = other.offline_signature(three_party, SHA, investor, anchorer=manager)["signature"]
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=three_party, signer=investor.address):
        registry.signFor(manager, three_party, SHA, investor, bytes.fromhex(sig[2:]), sender=platform)


def test_sign_for_rejects_replay(registry, notary, three_party, manager, investor, platform):
    sig = notary.offline_signature(three_party, SHA, investor, anchorer=manager)
    notary.relay(sig, sender=platform)
    with ape.reverts(registry.DocumentRegistryAlreadySigned, digest=three_party, signer=investor.address):
        notary.relay(sig, sender=platform)


def test_contract_signer_eip1271(registry, notary, make_wallet, manager, custodian, platform, digest):
    wallet = make_wallet(custodian)
    d = digest("institution-wallet")
    registry.anchor(d, SHA, ZERO32, [manager, wallet.address], sender=manager)
    # The wallet's owner signs off chain; the wallet approves it through isValidSignature.
    sig = notary.offline_signature(d, SHA, wallet, anchorer=manager, key=custodian)["signature"]
    registry.signFor(manager, d, SHA, wallet.address, bytes.fromhex(sig[2:]), sender=platform)
    # A signature by anyone else is refused for the wallet.
    d2 = digest("institution-wallet-2")
    registry.anchor(d2, SHA, ZERO32, [wallet.address], sender=manager)
    bad = notary.offline_signature(d2, SHA, wallet, anchorer=manager, key=manager)["signature"]
    with ape.reverts(registry.DocumentRegistryInvalidSignature, digest=d2, signer=wallet.address):
        registry.signFor(manager, d2, SHA, wallet.address, bytes.fromhex(bad[2:]), sender=platform)
    # The wallet can also sign by calling the registry itself.
    wallet.execute(registry.address, registry.sign.encode_input(manager, d2, SHA), sender=custodian)
    assert registry.getRecord(manager, d2, SHA).status == FULLY_SIGNED


# --------------------------------------------------------------------------------------------
# revoke
# --------------------------------------------------------------------------------------------


def test_revoke_by_anchorer(registry, three_party, manager, custodian, chain):
    registry.sign(manager, three_party, SHA, sender=custodian)
    receipt = registry.revoke(manager, three_party, SHA, 2, sender=manager)
    (ev,) = logs(receipt, registry.DocumentRevoked)
    assert ev.by == manager.address and ev.anchorer == manager.address and ev.reason == 2
    rec = registry.getRecord(manager, three_party, SHA)
    assert rec.status == REVOKED and rec.closedBy == manager.address and rec.reason == 2
    assert rec.closedAt == chain.blocks[receipt.block_number].timestamp
    # history kept: the signature made before revocation is still there
    assert rec.signedCount == 1
    assert [s.signedAt > 0 for s in registry.getSignatures(manager, three_party, SHA)] == [False, True, False]


def test_revoke_by_registry_admin(registry, three_party, manager, admin):
    registry.revoke(manager, three_party, SHA, 4, sender=admin)
    assert registry.getRecord(manager, three_party, SHA).closedBy == admin.address


def test_revoke_rejects_outsider(registry, three_party, manager, custodian):
    with ape.reverts(registry.DocumentRegistryUnauthorized, digest=three_party, caller=custodian.address):
        registry.revoke(manager, three_party, SHA, 2, sender=custodian)
    assert registry.getRecord(manager, three_party, SHA).status == REGISTERED


def test_revoke_rejects_zero_reason(registry, three_party, manager):
    with ape.reverts(registry.DocumentRegistryZeroReason):
        registry.revoke(manager, three_party, SHA, 0, sender=manager)


def test_revoke_rejects_unknown_record(registry, manager, digest):
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=manager.address, digest=digest("u"),
                     algorithm=SHA):
        registry.revoke(manager, digest("u"), SHA, 1, sender=manager)


def test_revoke_rejects_unsupported_algorithm(registry, three_party, manager):
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=0):
        registry.revoke(manager, three_party, 0, 1, sender=manager)


def test_revoked_record_cannot_be_signed_revoked_or_superseded(registry, notary, three_party, manager, investor, digest):
    registry.revoke(manager, three_party, SHA, 2, sender=manager)
    with ape.reverts(registry.DocumentRegistryRecordRevoked, digest=three_party):
        registry.sign(manager, three_party, SHA, sender=investor)
    sig = notary.offline_signature(three_party, SHA, investor, anchorer=manager)
    with ape.reverts(registry.DocumentRegistryRecordRevoked, digest=three_party):
        notary.relay(sig, sender=manager)
    with ape.reverts(registry.DocumentRegistryRecordRevoked, digest=three_party):
        registry.revoke(manager, three_party, SHA, 2, sender=manager)
    with ape.reverts(registry.DocumentRegistryRecordRevoked, digest=three_party):
        registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [], 1, sender=manager)


# --------------------------------------------------------------------------------------------
# supersede
# --------------------------------------------------------------------------------------------


def test_supersede_links_both_ways(registry, three_party, manager, custodian, investor, digest):
    new = digest("amendment")
    receipt = registry.supersede(three_party, SHA, new, SM3, digest("meta2"), [manager, investor], 1, sender=manager)
    (ev,) = logs(receipt, registry.DocumentSuperseded)
    assert bytes(ev.nextDigest) == new and ev.nextAlgorithm == SM3 and ev.reason == 1 and ev.by == manager.address
    (anchored,) = logs(receipt, registry.DocumentAnchored)
    assert bytes(anchored.digest) == new and bytes(anchored.metadata) == digest("meta2")
    old = registry.getRecord(manager, three_party, SHA)
    assert old.status == SUPERSEDED and bytes(old.nextDigest) == new and old.nextAlgorithm == SM3
    nxt = registry.getRecord(manager, new, SM3)
    assert nxt.status == REGISTERED and bytes(nxt.previousDigest) == three_party and nxt.previousAlgorithm == SHA
    assert nxt.requiredSigners == 2
    with ape.reverts(registry.DocumentRegistryRecordSuperseded, digest=three_party, nextDigest=new):
        registry.sign(manager, three_party, SHA, sender=custodian)
    with ape.reverts(registry.DocumentRegistryRecordSuperseded, digest=three_party, nextDigest=new):
        registry.revoke(manager, three_party, SHA, 1, sender=manager)
    with ape.reverts(registry.DocumentRegistryRecordSuperseded, digest=three_party, nextDigest=new):
        registry.supersede(three_party, SHA, digest("v3"), SHA, ZERO32, [], 1, sender=manager)


def test_supersede_fully_signed_record(registry, three_party, manager, custodian, investor, digest):
    for who in (manager, custodian, investor):
        registry.sign(manager, three_party, SHA, sender=who)
    registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [], 5, sender=manager)
    old = registry.getRecord(manager, three_party, SHA)
    assert old.status == SUPERSEDED and old.signedCount == 3 and old.closedBy == manager.address
    assert registry.getRecord(manager, digest("v2"), SHA).anchorer == manager.address


def test_registry_admin_cannot_supersede_someone_elses_record(registry, three_party, admin, digest):
    """Issue 8, item 8: a new version belongs to the record's anchorer, so only the anchorer supersedes;
    a registry admin may revoke any record but not put its own version in the anchorer's chain."""
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=admin.address, digest=three_party,
                     algorithm=SHA):
        registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [], 5, sender=admin)


def test_supersede_rejects_outsider(registry, three_party, outsider, digest):
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=outsider.address, digest=three_party,
                     algorithm=SHA):
        registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [], 1, sender=outsider)


def test_supersede_rejects_zero_reason(registry, three_party, manager, digest):
    with ape.reverts(registry.DocumentRegistryZeroReason):
        registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [], 0, sender=manager)


def test_supersede_is_atomic_when_new_version_is_invalid(registry, three_party, manager, digest):
    registry.anchor(digest("taken"), SHA, ZERO32, [], sender=manager)
    with ape.reverts(registry.DocumentRegistryAlreadyAnchored, digest=digest("taken"), algorithm=SHA):
        registry.supersede(three_party, SHA, digest("taken"), SHA, ZERO32, [], 1, sender=manager)
    with ape.reverts(registry.DocumentRegistryZeroDigest):
        registry.supersede(three_party, SHA, ZERO32, SHA, ZERO32, [], 1, sender=manager)
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=7):
        registry.supersede(three_party, SHA, digest("v2"), 7, ZERO32, [], 1, sender=manager)
    with ape.reverts(registry.DocumentRegistryDuplicateSigner, signer=manager.address):
        registry.supersede(three_party, SHA, digest("v2"), SHA, ZERO32, [manager, manager], 1, sender=manager)
    rec = registry.getRecord(manager, three_party, SHA)
    assert rec.status == REGISTERED and rec.closedAt == 0 and bytes(rec.nextDigest) == ZERO32


def test_supersede_rejects_unknown_record(registry, manager, digest):
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=manager.address, digest=digest("u"),
                     algorithm=SHA):
        registry.supersede(digest("u"), SHA, digest("v2"), SHA, ZERO32, [], 1, sender=manager)


# --------------------------------------------------------------------------------------------
# batches
# --------------------------------------------------------------------------------------------


def test_anchor_batch_and_verify_member(registry, platform, digest, chain):
    from carbonchain.core.merkle import StandardMerkleTree

    values = [digest(f"rec-{i}") for i in range(7)]
    tree = StandardMerkleTree.of(values)
    receipt = registry.anchorBatch(tree.root, SHA, 7, digest("batch-meta"), sender=platform)
    (ev,) = logs(receipt, registry.BatchAnchored)
    assert bytes(ev.root) == tree.root and ev.leafCount == 7 and bytes(ev.metadata) == digest("batch-meta")
    b = registry.getBatch(platform, tree.root)
    assert (b.anchorer, b.algorithm, b.leafCount) == (platform.address, SHA, 7)
    assert b.anchoredAt == chain.blocks[receipt.block_number].timestamp
    for i, v in enumerate(values):
        assert registry.verifyBatchMember(platform, tree.root, v, tree.proof(i)).leafCount == 7


def test_verify_member_rejects_bad_proof(registry, platform, digest):
    from carbonchain.core.merkle import StandardMerkleTree

    values = [digest(f"rec-{i}") for i in range(4)]
    tree = StandardMerkleTree.of(values)
    registry.anchorBatch(tree.root, SHA, 4, ZERO32, sender=platform)
    with ape.reverts(registry.DocumentRegistryInvalidProof, root=tree.root, digest=digest("stranger")):
        registry.verifyBatchMember(platform, tree.root, digest("stranger"), tree.proof(0))
    with ape.reverts(registry.DocumentRegistryInvalidProof, root=tree.root, digest=values[0]):
        registry.verifyBatchMember(platform, tree.root, values[0], tree.proof(1))


def test_verify_member_rejects_unknown_batch(registry, platform, digest):
    with ape.reverts(registry.DocumentRegistryUnknownBatch, anchorer=platform.address, root=digest("no-root")):
        registry.verifyBatchMember(platform, digest("no-root"), digest("x"), [])
    with ape.reverts(registry.DocumentRegistryUnknownBatch, anchorer=platform.address, root=digest("no-root")):
        registry.getBatch(platform, digest("no-root"))


def test_anchor_batch_rejections(registry, platform, outsider, digest):
    with ape.reverts(registry.DocumentRegistryZeroDigest):
        registry.anchorBatch(ZERO32, SHA, 3, ZERO32, sender=platform)
    with ape.reverts(registry.DocumentRegistryEmptyBatch):
        registry.anchorBatch(digest("r"), SHA, 0, ZERO32, sender=platform)
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=0):
        registry.anchorBatch(digest("r"), 0, 3, ZERO32, sender=platform)
    registry.anchorBatch(digest("r"), SHA, 3, ZERO32, sender=platform)
    with ape.reverts(registry.DocumentRegistryBatchAlreadyAnchored, root=digest("r")):
        registry.anchorBatch(digest("r"), SHA, 5, ZERO32, sender=platform)
    assert registry.getBatch(platform, digest("r")).leafCount == 3


# --------------------------------------------------------------------------------------------
# views and multicall
# --------------------------------------------------------------------------------------------


def test_views_reject_unknown_record(registry, manager, digest):
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=manager.address, digest=digest("v"),
                     algorithm=SHA):
        registry.getRecord(manager, digest("v"), SHA)
    with ape.reverts(registry.DocumentRegistryUnknownRecord, anchorer=manager.address, digest=digest("v"),
                     algorithm=SHA):
        registry.getSignatures(manager, digest("v"), SHA)
    with ape.reverts(registry.DocumentRegistryUnsupportedAlgorithm, algorithm=0):
        registry.signingHash(manager, digest("v"), 0, manager)
    assert not registry.isAnchored(manager, digest("v"), SHA)


def test_multicall_is_all_or_nothing(registry, manager, digest):
    registry.anchor(digest("b"), SHA, ZERO32, [], sender=manager)
    calls = [registry.anchor.encode_input(digest(t), SHA, ZERO32, []) for t in ("a", "b", "c")]
    with ape.reverts(registry.DocumentRegistryAlreadyAnchored, digest=digest("b"), algorithm=SHA):
        registry.multicall(calls, sender=manager)
    assert not registry.isAnchored(manager, digest("a"), SHA) and not registry.isAnchored(manager, digest("c"), SHA)
    ok = [registry.anchor.encode_input(digest(t), SHA, ZERO32, []) for t in ("a", "c")]
    receipt = registry.multicall(ok, sender=manager)
    assert len(logs(receipt, registry.DocumentAnchored)) == 2
    assert registry.getRecord(manager, digest("a"), SHA).anchorer == manager.address  # msg.sender kept


def test_test_wallet_only_obeys_its_owner(make_wallet, registry, manager, custodian, outsider, digest):
    wallet = make_wallet(custodian)
    with ape.reverts(wallet.TestSmartWalletNotOwner, caller=outsider.address):
        wallet.execute(registry.address, registry.sign.encode_input(manager, digest("w"), SHA), sender=outsider)
