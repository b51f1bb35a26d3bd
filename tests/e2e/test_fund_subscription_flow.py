"""E2E: private-fund subscriptions through the SDK on the project's deployment, with real files:
the happy path to final, the evidence bundle re-checked against the chain and the files, and the
same bundle with one file changed by one byte.

Runs on the in-process provider and again on anvil (`make test`).
"""

import json

import pytest

from carbonchain.deploy import deploy_all
from carbonchain.fund import DAY, Funds, build_bundle, summary, verify_bundle
from carbonchain.identity import Credentials
from tests.utils.docs import write
from tests.utils.fund import FUND_STACK
from carbonchain.core.network import set_chain_time

MIN_FEN = 100_000_000


@pytest.fixture
def world(accounts, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    deploy_all(accounts[0], contracts=FUND_STACK)
    return Funds.deployed(), Credentials.deployed()


def test_subscription_to_final_with_a_rechecked_evidence_bundle(world, accounts, tmp_path, chain):
    funds, creds = world
    manager, custodian, investor, broker = accounts[0], accounts[1], accounts[2], accounts[12]
    creds.accredit(broker.address, "QualifiedInvestor", 365, sender=manager)
    jwt = creds.issue(broker, creds.did_of(investor), "QualifiedInvestor", {"basis": "assets"}, days=180)
    files = tmp_path / "files"
    f = {name: write(files / name, body) for name, body in {
        "template.txt": "template v1\n", "questionnaire.txt": "answers: C4\n", "recording.mp4": "video" * 100,
        "contract.txt": "fund contract No. 1\n", "bank.txt": "received CNY 1,500,000\n", "visit.txt": "visit ok\n",
        "investor.jwt": jwt + "\n"}.items()}
    funds.register_product("GGF-1", risk="R4", minimum_fen=MIN_FEN, custodian=custodian, template=f["template.txt"],
                           cooling_off=2 * DAY, sender=manager)
    sid = funds.open("GGF-1", investor=creds.did_of(investor), credential=f["investor.jwt"], issuer=broker,
                     suitability="C4", questionnaire=f["questionnaire.txt"], sender=manager)
    funds.record(sid, f["recording.mp4"], sender=manager)
    funds.anchor_contract(sid, f["contract.txt"], sender=manager)
    assert funds.missing_signers(f["contract.txt"]) == [manager.address, custodian.address, investor.address]
    for party in (manager, custodian, investor):
        funds.sign_contract(f["contract.txt"], sender=party)
    funds.attach_contract(sid, f["contract.txt"], sender=manager)
    funds.pay(sid, 150 * MIN_FEN // 100, f["bank.txt"], sender=custodian)
    s = funds.subscription(sid, reader=custodian)
    assert s.stage == "Paid" and s.cooling_off_ends_at == s.paid_at + 2 * DAY and s.amount_fen == 150_000_000
    set_chain_time(s.cooling_off_ends_at)  # a block at that time: the pre-flight sees it on every node
    assert chain.blocks.head.timestamp == s.cooling_off_ends_at
    funds.revisit(sid, f["visit.txt"], sender=manager)
    s = funds.subscription(sid, reader=investor)
    # final at the return visit's block: at or after the cooling-off's end (a node whose clock runs
    # on with the wall, as Hardhat's does, may put that block a second or two later)
    assert s.stage == "Final" and s.final_at == chain.blocks.head.timestamp >= s.cooling_off_ends_at

    json_path, html_path = build_bundle(funds, sid, files=list(f.values()), out_dir=tmp_path / "bundle")
    bundle = json.loads(json_path.read_text())
    keys = [i["key"] for i in bundle["items"]]
    assert keys[:4] == ["credential.issued", "product", "opened", "recorded"]
    assert keys[4:] == ["contract.anchored", f"contract.signed.{manager.address}",
                        f"contract.signed.{custodian.address}", f"contract.signed.{investor.address}",
                        "contract.attached", "paid", "final", "credential.status"]
    with_files = {i["key"]: i["file"] for i in bundle["items"] if i["digest"]}
    assert all(with_files.values()), with_files  # every digest matched to its original file
    html = html_path.read_text()
    for needle in [s.contract_digest.hex(), "How a third party re-checks", "openssl dgst -sm3", "cooling-off until",
                   bundle["items"][0]["tx"], "Active"]:
        assert needle in html, needle

    checks = verify_bundle(json_path)
    assert summary(checks) == (len(checks), len(checks)), [c for c in checks if not c.holds]

    # One byte of the double recording changed: the re-check names that item and only that one.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    for p in f.values():
        (tampered / p.name).write_bytes(p.read_bytes())
    data = bytearray((tampered / "recording.mp4").read_bytes())
    data[10] ^= 0x01
    (tampered / "recording.mp4").write_bytes(bytes(data))
    failing = [c for c in verify_bundle(json_path, files_dir=tampered) if not c.holds]
    assert [c.key for c in failing] == ["recorded"]
    assert "recording.mp4 hashes to" in failing[0].reasons[0]
