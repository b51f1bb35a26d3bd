"""E2E: a three-party private-fund contract (manager, custodian, investor) from anchoring to evidence.

Runs on the in-process provider and again on anvil (`make test`).
"""

import json

from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.notary import file_metadata, metadata_digest
from carbonchain.notary import render_evidence
from tests.utils.docs import write


def test_fund_contract_anchor_sign_amend_verify(
    notary, registry, manager, custodian, investor, platform, make_wallet, tmp_path, chain
):
    # The custodian bank signs through its institutional smart wallet (EIP-1271).
    bank_wallet = make_wallet(custodian)
    contract = write(tmp_path / "fund-contract.txt", "Private fund contract No. 7: CNY 1,000,000, R4 product\n")
    (anchored,) = notary.anchor_files(
        [contract], sender=manager, algorithm=Algorithm.SM3, signers=[manager, bank_wallet.address, investor]
    )
    d = anchored.digest

    # manager signs by transaction; the bank's key signs off chain for its wallet; the investor
    # signs off chain (EIP-712) and the sales platform relays both.
    notary.sign(d, "sm3", anchorer=manager, sender=manager)
    bank_sig = notary.offline_signature(d, "sm3", bank_wallet, anchorer=manager, key=custodian)
    registry.signFor(manager, d, int(Algorithm.SM3), bank_wallet.address, bytes.fromhex(bank_sig["signature"][2:]),
                     sender=platform)
    notary.relay(json.loads(json.dumps(notary.offline_signature(d, "sm3", investor, anchorer=manager))),
                 sender=platform)

    v = notary.verify_file(contract, signer=investor)
    assert v.verdict == "VALID", v.headline
    assert [s.signer for s in v.signatures] == [manager.address, bank_wallet.address, investor.address]
    assert all(s.signed for s in v.signatures)
    assert v.anchor_tx.tx == anchored.tx and v.anchor_tx.timestamp == v.record.anchored_at

    # The parties agree an amendment: the new version supersedes the old one, linked both ways.
    amendment = write(tmp_path / "fund-contract-amendment.txt", "Amendment 1 to fund contract No. 7: fee 1.5%\n")
    new = digest_file(amendment, "sm3")
    notary.supersede(d, "sm3", new, "sm3", sender=manager, reason="amendment",
                     metadata=metadata_digest(file_metadata(amendment)), signers=[manager, investor])
    notary.sign(new, "sm3", anchorer=manager, sender=manager)
    notary.sign(new, "sm3", anchorer=manager, sender=investor)

    old = notary.verify_file(contract, anchorer=manager)
    assert old.verdict == "SUPERSEDED"
    assert [r.digest for r in old.versions] == [d, new]
    cur = notary.verify_file(amendment, anchorer=manager)
    assert cur.verdict == "VALID" and cur.record.previous == (d, Algorithm.SM3)

    # The evidence report carries what a court needs.
    html = render_evidence(cur, tmp_path / "evidence.html").read_text()
    for needle in ("VALID", "0x" + new.hex(), cur.anchor_tx.tx, manager.address, investor.address,
                   "Version chain", "How a third party re-checks this", "openssl dgst -sm3"):
        assert needle in html, needle

    # A copy changed by one byte gets a clear negative verdict.
    forged = tmp_path / "forged.txt"
    data = bytearray(amendment.read_bytes())
    data[-3] ^= 0x01
    forged.write_bytes(bytes(data))
    bad = notary.verify_file(forged)
    assert bad.verdict == "NOT_ANCHORED" and "changed" in bad.headline
    assert "NOT ANCHORED" in render_evidence(bad, tmp_path / "forged.html").read_text()
