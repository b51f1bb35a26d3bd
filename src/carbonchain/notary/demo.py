"""The end-to-end notary demo: a three-party private-fund contract, from anchoring to court evidence.

Every step is a real transaction on the connected chain, and every verdict is checked against what
the step must produce: the demo fails (exit code 1) if the system misbehaves.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Callable

from ..core.hashing import Algorithm, digest_file
from ..core.jsonio import hex32, write_json
from ..core.story import Check, checker
from .evidence import render_evidence
from .sdk import Notary, file_metadata, metadata_digest

FUND_CONTRACT = """PRIVATE FUND CONTRACT (synthetic demo document, run {run})
Fund: CarbonChain Low-Carbon Transition Private Equity Fund No. {no}
Manager: Example Fund Management Co., Ltd.      (account {manager})
Custodian: Example Custodian Bank                 (account {custodian})
Investor: qualified investor, identified off chain (account {investor})
Subscription: CNY 1,000,000.00; risk level R4; investor rated C4 (suitability matched)
Cooling-off period: 24 hours after payment, followed by a return-visit confirmation.
{extra}
"""


def story(
    notary: Notary,
    out: Path,
    *,
    accounts: list[Any],
    batch_size: int = 200,
    log: Callable[[str], None] = print,
    network: str = "",
) -> list[Check]:
    """The notary's act, with ``accounts`` = [manager, custodian, investor, platform]; documents,
    proofs and evidence reports are written below ``out``."""
    manager, custodian, investor, platform = accounts[:4]
    run_id = out.name
    docs = out / "documents"
    reports = out / "reports"
    docs.mkdir(parents=True, exist_ok=True)
    steps: list[Check] = []
    check = checker(steps, log)

    # 1. The fund contract, hashed with SM3 (the national standard), needs all three parties.
    parties = dict(manager=manager.address, custodian=custodian.address, investor=investor.address)
    contract_file = docs / "fund-contract.txt"
    contract_file.write_text(FUND_CONTRACT.format(run=run_id, no=1, extra="", **parties))
    anchored = notary.anchor_files(
        [contract_file], sender=manager, algorithm=Algorithm.SM3, signers=[manager, custodian, investor]
    )[0]
    check("manager anchors the CNY 1,000,000 fund contract for three signers", "Registered",
          notary.record(anchored.digest, Algorithm.SM3, manager).status,
          f"SM3 digest {hex32(anchored.digest)[:18]}… on chain, awaiting manager, custodian and investor")

    # 2. Manager and custodian sign by transaction; the investor signs off chain (EIP-712, no gas)
    #    and the sales platform relays the signature.
    notary.sign(anchored.digest, Algorithm.SM3, anchorer=manager, sender=manager)
    notary.sign(anchored.digest, Algorithm.SM3, anchorer=manager, sender=custodian)
    offline = notary.offline_signature(anchored.digest, Algorithm.SM3, investor, anchorer=manager)
    write_json(out / "investor-signature.json", offline)
    notary.relay(offline, sender=platform)
    v = notary.verify_file(contract_file, anchorer=manager)
    render_evidence(v, reports / "fund-contract.evidence.html", network=network)
    check("manager and custodian sign; the investor signs off chain and the platform relays it", "VALID",
          v.verdict, "fully signed: VALID (evidence report written)")

    # 3. An amendment supersedes the contract; the old version stays on record, linked both ways.
    amendment = docs / "fund-contract-amendment-1.txt"
    amendment.write_text(
        FUND_CONTRACT.format(run=run_id, no=1, extra="Amendment 1: management fee lowered to 1.5% p.a.", **parties)
    )
    new_digest = digest_file(amendment, Algorithm.SM3)
    notary.supersede(
        anchored.digest, Algorithm.SM3, new_digest, Algorithm.SM3, sender=manager, reason="amendment",
        metadata=metadata_digest(file_metadata(amendment)), signers=[manager, custodian, investor],
    )
    for who in (manager, custodian, investor):
        notary.sign(new_digest, Algorithm.SM3, anchorer=manager, sender=who)
    v_old = notary.verify_file(contract_file, anchorer=manager)
    render_evidence(v_old, reports / "fund-contract.superseded.evidence.html", network=network)
    check("manager amends the fee (1.5% p.a.); the original is kept as superseded", "SUPERSEDED", v_old.verdict,
          "original now SUPERSEDED, linked to its amendment")
    v_new = notary.verify_file(amendment, anchorer=manager)
    render_evidence(v_new, reports / "fund-contract-amendment-1.evidence.html", network=network)
    check("all three parties sign the amendment", "VALID", v_new.verdict,
          f"amendment VALID, {len(v_new.versions)} versions in the chain")

    # 4. A day's business records (double-recording digests, confirmations...) in one Merkle root.
    batch_dir = docs / "batch"
    batch_dir.mkdir()
    kinds = ["double-recording", "risk-disclosure", "payment-confirmation", "return-visit", "suitability"]
    files = []
    for i in range(batch_size):
        f = batch_dir / f"record-{i:04d}-{kinds[i % len(kinds)]}.txt"
        f.write_text(f"run {run_id} record {i} {kinds[i % len(kinds)]} investor-ref {secrets.token_hex(8)}\n")
        files.append(f)
    batch = notary.anchor_batch_files(files, sender=platform, algorithm=Algorithm.SHA256)
    proofs = batch.proofs_document(notary.chain_id, notary.address)
    write_json(out / "batch-proofs.json", proofs)
    on_chain = notary.contract.getBatch(platform.address, batch.root)
    check("the platform anchors the day's sales records as one Merkle root", f"{batch_size} documents",
          f"{int(on_chain.leafCount)} documents",
          f"{batch_size} records (double recordings, disclosures, confirmations) in one transaction, "
          f"{batch.gas_used / batch_size:.0f} gas per record")
    member = files[batch_size // 2]
    v_member = notary.verify_file(member, proofs=proofs)
    render_evidence(v_member, reports / f"{member.name}.evidence.html", network=network)
    check("one batched record verifies with its Merkle proof", "VALID", v_member.verdict,
          f"{member.name}: VALID")

    # 5. Negative verdicts: one byte changed, and a file never anchored.
    tampered = docs / "fund-contract-tampered.txt"
    data = bytearray(amendment.read_bytes())
    data[data.index(b"1.5%")] = ord("2")
    tampered.write_bytes(bytes(data))
    v_bad = notary.verify_file(tampered)
    render_evidence(v_bad, reports / "fund-contract-tampered.evidence.html", network=network)
    check("a copy with one byte changed is not recognised", "NOT_ANCHORED", v_bad.verdict,
          "tampered contract: NOT_ANCHORED")
    changed = batch_dir / member.name
    changed.write_text(changed.read_text() + " ")
    v_changed = notary.verify_file(changed, proofs=proofs)
    check("a batched record changed after anchoring is caught", "MISMATCH", v_changed.verdict,
          f"{member.name} with one byte added: MISMATCH")
    return steps
