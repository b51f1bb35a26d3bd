"""The scripts users run: clear output, one-line errors (never a traceback), nothing half-applied."""

import pytest

from carbonchain.core.hashing import digest_file
from carbonchain.deploy import CONTRACTS
from tests.utils.docs import write
from tests.utils.scripts import one_line_error, run


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch, chain):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    res = run("deploy")
    assert res.exit_code == 0, res.output
    assert f"{len(CONTRACTS)} deployed, 0 reused" in res.output
    return res



def test_deploy_again_reuses():
    res = run("deploy")
    assert res.exit_code == 0 and f"0 deployed, {len(CONTRACTS)} reused" in res.output


def test_anchor_sign_relay_verify(tmp_path, accounts):
    doc = write(tmp_path / "contract.txt", "fund contract\n")
    signers = [accounts[0].address, accounts[1].address]
    res = run("notary", "anchor", doc, "--signer", signers[0], "--signer", signers[1], "--algorithm", "sm3")
    assert res.exit_code == 0, res.output
    d = "0x" + digest_file(doc, "sm3").hex()
    assert f"anchored {doc}: sm3 {d}" in res.output and "signers required: 2" in res.output

    res = run("notary", "verify", doc, "--report", tmp_path / "r1.html")
    assert res.exit_code == 1 and "INCOMPLETE" in res.output

    me = signers[0]  # the default sender anchored it
    assert run("notary", "sign", d, "-a", "sm3", "--anchorer", me).exit_code == 0
    res = run("notary", "sign", d, "-a", "sm3", "--anchorer", me, "--account", "test:1",
              "--offline", tmp_path / "sig.json")
    assert res.exit_code == 0 and "written to" in res.output
    res = run("notary", "relay", tmp_path / "sig.json", "--account", "test:5")
    assert res.exit_code == 0 and "2 of 2 signed, FullySigned" in res.output

    res = run("notary", "verify", doc, "--report", tmp_path / "r2.html")
    assert res.exit_code == 0 and "VALID" in res.output and f"sm3 record anchored by {me}" in res.output
    html = (tmp_path / "r2.html").read_text()
    assert d in html and signers[1] in html and "How a third party re-checks this" in html

    res = run("notary", "show", d, "-a", "sm3")
    assert res.exit_code == 0 and "FullySigned" in res.output and signers[0] in res.output

    # issue 8, finding 9: someone else anchors the file's SHA-256 digest and revokes it; the default
    # verdict stays on the fully signed record, and every record is listed with its anchorer
    assert run("notary", "anchor", doc, "--account", "test:5").exit_code == 0
    sha = "0x" + digest_file(doc, "sha256").hex()
    assert run("notary", "revoke", sha, "--reason", "error", "--account", "test:5").exit_code == 0
    res = run("notary", "verify", doc, "--report", tmp_path / "r4.html")
    assert res.exit_code == 0 and "VALID" in res.output, res.output
    assert f"sha256 record anchored by {accounts[5].address}" in res.output and "Revoked" in res.output
    res = run("notary", "verify", doc, "--anchorer", accounts[5].address, "--report", tmp_path / "r5.html")
    assert res.exit_code == 1 and "REVOKED" in res.output
    res = run("notary", "verify", doc, "--signer", signers[1], "--report", tmp_path / "r6.html")
    assert res.exit_code == 0 and "VALID" in res.output


def test_anchor_errors_are_one_line_and_atomic(tmp_path):
    a = write(tmp_path / "a.txt", "a")
    b = write(tmp_path / "b.txt", "b")
    assert run("notary", "anchor", a).exit_code == 0
    one_line_error(run("notary", "anchor", b, a), "already anchored", "nothing was sent")
    res = run("notary", "verify", b, "--report", tmp_path / "b.html")
    assert res.exit_code == 1 and "NOT ANCHORED" in res.output  # b was not half-applied
    one_line_error(run("notary", "anchor", tmp_path / "missing.txt"), "not a file")
    one_line_error(run("notary", "anchor", b, "--signer", "0x" + "00" * 20), "DocumentRegistryZeroSigner")


def test_sign_errors_are_one_line(tmp_path, accounts):
    doc = write(tmp_path / "c.txt", "c")
    run("notary", "anchor", doc, "--signer", accounts[1].address)
    d = "0x" + digest_file(doc).hex()
    me = accounts[0].address
    one_line_error(run("notary", "sign", d, "--anchorer", me), "DocumentRegistryNotRequiredSigner",
                   "not a required signer")
    one_line_error(run("notary", "sign", "0x1234", "--anchorer", me), "32 bytes")
    one_line_error(run("notary", "sign", "0x" + "77" * 32, "--anchorer", me), "DocumentRegistryUnknownRecord")
    one_line_error(run("notary", "revoke", d, "--reason", "whim"), "unknown reason")
    one_line_error(run("notary", "revoke", d, "--reason", "2", "--account", "test:3"), "DocumentRegistryUnknownRecord")
    one_line_error(run("notary", "revoke", d, "--reason", "2", "--anchorer", me, "--account", "test:3"),
                   "DocumentRegistryUnauthorized")
    assert run("notary", "revoke", d, "--reason", "error").exit_code == 0
    one_line_error(run("notary", "sign", d, "--anchorer", me, "--account", "test:1"), "DocumentRegistryRecordRevoked")


def test_supersede_and_verify_old_version(tmp_path):
    v1 = write(tmp_path / "v1.txt", "version 1")
    v2 = write(tmp_path / "v2.txt", "version 2")
    run("notary", "anchor", v1)
    d1 = "0x" + digest_file(v1).hex()
    res = run("notary", "supersede", d1, v2, "--reason", "amendment")
    assert res.exit_code == 0, res.output
    res = run("notary", "verify", v1, "--report", tmp_path / "v1.html")
    assert res.exit_code == 1 and "SUPERSEDED" in res.output
    assert run("notary", "verify", v2, "--report", tmp_path / "v2.html").exit_code == 0


def test_batch_and_verify_with_proof(tmp_path):
    files = [write(tmp_path / f"r{i}.txt", f"record {i}") for i in range(5)]
    res = run("notary", "batch", *files, "--out", tmp_path / "proofs.json")
    assert res.exit_code == 0 and "batch of 5 anchored" in res.output
    res = run("notary", "verify", files[3], "--proof", tmp_path / "proofs.json", "--report", tmp_path / "r3.html")
    assert res.exit_code == 0 and "document 4 of a batch of 5" in res.output
    assert "Merkle path" in (tmp_path / "r3.html").read_text()
    files[3].write_text("record 3 edited")
    res = run("notary", "verify", files[3], "--proof", tmp_path / "proofs.json", "--report", tmp_path / "r3b.html")
    assert res.exit_code == 1 and "MISMATCH" in res.output
    twin = write(tmp_path / "twin.txt", "record 0")
    one_line_error(run("notary", "batch", files[0], twin, "--out", tmp_path / "p2.json"), "same content")
    assert not (tmp_path / "p2.json").exists()


def test_relay_of_corrupt_file_is_one_line(tmp_path):
    bad = write(tmp_path / "sig.json", "{not json")
    one_line_error(run("notary", "relay", bad), "not valid JSON")


def test_notary_takes_persona_signers_and_records_by_file(tmp_path, accounts):
    """README item 6: signers by persona name, records named by their file (no pasted digest)."""
    doc = write(tmp_path / "persona.txt", "three-party contract\n")
    res = run("notary", "anchor", doc, "-a", "sm3", "--signer", "manager", "--signer", "custodian")
    assert res.exit_code == 0 and "signers required: 2" in res.output, res.output
    assert run("notary", "sign", doc, "-a", "sm3", "--account", "manager").exit_code == 0
    res = run("notary", "sign", doc, "-a", "sm3", "--account", "custodian")
    assert res.exit_code == 0 and "(2 of 2 signed" in res.output, res.output
    res = run("notary", "show", doc, "-a", "sm3")
    assert res.exit_code == 0 and "2/2 signed" in res.output, res.output
