"""carbonchain.notary: the SDK the scripts, the demo and the console share."""

import json

import pytest

from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.notary import (
    BatchResult,
    file_metadata,
    metadata_digest,
    parse_reason,
)
from tests.utils.docs import write


@pytest.fixture
def files(tmp_path):
    return [write(tmp_path / f"doc-{i}.txt", f"document {i}\n") for i in range(3)]


def test_anchor_files_one_transaction_with_metadata(notary, registry, manager, custodian, files):
    results = notary.anchor_files(files, sender=manager, signers=[manager, custodian])
    assert len({r.tx for r in results}) == 1  # one multicall
    for f, r in zip(files, results):
        assert r.digest == digest_file(f)
        rec = notary.record(r.digest, Algorithm.SHA256, manager)
        assert rec.required_signers == 2 and rec.anchorer == manager.address
        assert r.metadata == file_metadata(f)


def test_anchor_files_checks_everything_before_sending(notary, manager, files, tmp_path):
    notary.anchor_files([files[1]], sender=manager)
    with pytest.raises(CarbonChainError, match="already anchored"):
        notary.anchor_files(files, sender=manager)
    assert not notary.is_anchored(digest_file(files[0]), "sha256", manager)  # nothing half-applied
    twin = write(tmp_path / "twin.txt", files[0].read_text())
    with pytest.raises(CarbonChainError, match="same content"):
        notary.anchor_files([files[0], twin], sender=manager)
    with pytest.raises(CarbonChainError, match="not a file"):
        notary.anchor_files([files[0], tmp_path / "missing.txt"], sender=manager)
    with pytest.raises(CarbonChainError, match="no files"):
        notary.anchor_files([], sender=manager)
    assert not notary.is_anchored(digest_file(files[0]), "sha256", manager)


def test_verify_verdicts_through_the_lifecycle(notary, manager, custodian, investor, platform, files, tmp_path):
    f = files[0]
    v = notary.verify_file(f)
    assert v.verdict == "NOT_ANCHORED" and not v.ok
    (r,) = notary.anchor_files([f], sender=manager, algorithm="sm3", signers=[manager, custodian, investor])
    v = notary.verify_file(f)
    assert v.verdict == "INCOMPLETE" and v.record.algorithm == Algorithm.SM3
    assert v.anchor_tx.tx == r.tx and v.metadata_digest == metadata_digest(r.metadata) and v.metadata_matches
    notary.sign(r.digest, "sm3", anchorer=manager, sender=manager)
    notary.sign(r.digest, "sm3", anchorer=manager, sender=custodian)
    notary.relay(notary.offline_signature(r.digest, "sm3", investor, anchorer=manager), sender=platform)
    v = notary.verify_file(f)
    assert v.verdict == "VALID" and v.ok
    assert set(v.signature_txs) == {manager.address, custodian.address, investor.address}
    changed = write(tmp_path / "doc-0-changed.txt", f.read_text() + ".")
    assert notary.verify_file(changed).verdict == "NOT_ANCHORED"
    new = write(tmp_path / "doc-0-v2.txt", "document 0, amended\n")
    notary.supersede(r.digest, "sm3", digest_file(new, "sm3"), "sm3", sender=manager, reason="amendment")
    v = notary.verify_file(f)
    assert v.verdict == "SUPERSEDED" and [x.status for x in v.versions] == ["Superseded", "Registered"]
    assert v.closure_tx is not None
    v2 = notary.verify_file(new)
    assert v2.verdict == "VALID" and len(v2.versions) == 2  # no signers required on the amendment
    notary.revoke(digest_file(new, "sm3"), "sm3", "withdrawn", sender=manager)
    assert notary.verify_file(new).verdict == "REVOKED"


def test_batch_proofs_verify_and_detect_changes(notary, platform, files, tmp_path, chain):
    result = notary.anchor_batch_files(files, sender=platform)
    assert isinstance(result, BatchResult)
    proofs = json.loads(json.dumps(result.proofs_document(chain.chain_id, notary.address)))
    for f in files:
        v = notary.verify_file(f, proofs=proofs)
        assert v.verdict == "VALID" and v.batch["leaf_count"] == 3 and v.anchor_tx.tx == result.tx
    files[1].write_text("document 1 changed\n")
    assert notary.verify_file(files[1], proofs=proofs).verdict == "MISMATCH"
    stranger = write(tmp_path / "stranger.txt", "x")
    assert notary.verify_file(stranger, proofs=proofs).verdict == "NOT_IN_BATCH"
    # A proofs file whose root was never anchored on this registry.
    forged = dict(proofs, root="0x" + "11" * 32)
    assert notary.verify_file(files[0], proofs=forged).verdict == "NOT_IN_BATCH"
    with pytest.raises(CarbonChainError, match="not a CarbonChain batch"):
        notary.verify_file(files[0], proofs={"format": "x"})
    with pytest.raises(CarbonChainError, match="on chain"):
        notary.verify_file(files[0], proofs=dict(proofs, chain_id=1))


def test_batch_rejects_duplicates_and_empty(notary, platform, files, tmp_path):
    twin = write(tmp_path / "twin.txt", files[0].read_text())
    with pytest.raises(CarbonChainError, match="same content"):
        notary.anchor_batch_files([files[0], twin], sender=platform)
    with pytest.raises(CarbonChainError, match="at least one"):
        notary.anchor_batch([], sender=platform)


def test_relay_refuses_foreign_signature_files(notary, manager, investor, files, chain):
    (r,) = notary.anchor_files([files[0]], sender=manager, signers=[investor])
    sig = notary.offline_signature(r.digest, "sha256", investor, anchorer=manager)
    with pytest.raises(CarbonChainError, match="not a CarbonChain notary signature"):
        notary.relay({"format": "other"}, sender=manager)
    with pytest.raises(CarbonChainError, match="on chain 5"):
        notary.relay(dict(sig, chain_id=5), sender=manager)
    with pytest.raises(CarbonChainError, match="registry"):
        notary.relay(dict(sig, registry="0x" + "12" * 20), sender=manager)
    assert notary.record(r.digest, "sha256", manager).signed_count == 0


def test_parse_reason():
    assert parse_reason("amendment") == 1 and parse_reason("7") == 7 and parse_reason(3) == 3
    with pytest.raises(ValueError, match="unknown reason"):
        parse_reason("whim")
    with pytest.raises(ValueError, match="1..65535"):
        parse_reason(0)


def test_metadata_digest_is_canonical(tmp_path):
    f = write(tmp_path / "a.pdf", "%PDF")
    meta = file_metadata(f, uri="s3://bucket/a.pdf")
    assert meta == {"name": "a.pdf", "size": 4, "media_type": "application/pdf", "uri": "s3://bucket/a.pdf"}
    assert metadata_digest(meta) == metadata_digest(dict(reversed(list(meta.items()))))


def test_verify_reports_every_record_and_judges_the_expected_one(notary, manager, custodian, investor, outsider,
                                                                files):
    """Issue 8, finding 9: the verifier reported the first algorithm it found, so anchoring the SHA-256
    digest of an SM3-anchored, fully signed contract and revoking it made `notary verify` say REVOKED.
    Now every record of the file is listed with its anchorer, and the verdict is about the expected one
    (by default the fully signed live record; or --anchorer / --signer)."""
    f = files[0]
    (r,) = notary.anchor_files([f], sender=manager, algorithm="sm3", signers=[manager, custodian, investor])
    for who in (manager, custodian, investor):
        notary.sign(r.digest, "sm3", anchorer=manager, sender=who)
    (squat,) = notary.anchor_files([f], sender=outsider, algorithm="sha256")
    notary.revoke(squat.digest, "sha256", "error", sender=outsider)
    v = notary.verify_file(f)
    assert v.verdict == "VALID" and v.record.anchorer == manager.address and v.record.algorithm == Algorithm.SM3
    assert {(c.anchorer, c.algorithm.label, c.status) for c in v.candidates} == {
        (manager.address, "sm3", "FullySigned"), (outsider.address, "sha256", "Revoked")}
    assert manager.address in v.headline
    # asking for the squatter's record gives its verdict, named as such
    v = notary.verify_file(f, anchorer=outsider)
    assert v.verdict == "REVOKED" and outsider.address in v.headline
    # a party checks the record it must sign
    v = notary.verify_file(f, signer=investor)
    assert v.verdict == "VALID" and v.record.anchorer == manager.address
    # nobody else's record stands in for an expected anchorer that has none
    v = notary.verify_file(f, anchorer=custodian)
    assert v.verdict == "NOT_ANCHORED" and "2 other records" in v.headline and outsider.address in v.headline
    assert notary.verify_file(f, anchorer=outsider, signer=investor).verdict == "NOT_ANCHORED"


def test_records_lists_every_anchorer_of_a_digest(notary, manager, outsider, files):
    """Issue 8, finding 8: the verifier finds records by digest and says whose they are."""
    d = digest_file(files[1])
    notary.anchor(d, "sha256", sender=outsider)
    notary.anchor(d, "sha256", sender=manager, signers=[manager])
    notary.anchor(d, "keccak256", sender=manager)
    assert [(r.anchorer, r.algorithm.label) for r in notary.records(d, "sha256")] == [
        (outsider.address, "sha256"), (manager.address, "sha256")]
    assert [(r.anchorer, r.algorithm.label) for r in notary.records(d)] == [
        (outsider.address, "sha256"), (manager.address, "sha256"), (manager.address, "keccak256")]
    assert notary.records(digest_file(files[2])) == []
