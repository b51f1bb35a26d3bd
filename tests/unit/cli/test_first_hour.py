"""Issue 9, the first hour: no half-applied writes (an output path is judged before anything is sent,
lost proofs are rebuilt from the chain), empty files refused, amendments keep their signers."""

import json

import pytest

from carbonchain.core.hashing import digest_file
from carbonchain.identity.resolver import did_for
from tests.utils.docs import write
from tests.utils.scripts import one_line_error, run


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    assert run("deploy").exit_code == 0


def test_batch_to_unwritable_out_sends_nothing_and_proofs_can_be_rebuilt(tmp_path, accounts):
    files = [write(tmp_path / f"d{i}.txt", f"doc {i}\n") for i in range(3)]
    blocker = write(tmp_path / "blocker", "a file where a folder is expected")
    nonce = accounts[0].nonce
    one_line_error(run("notary", "batch", *files, "--out", blocker / "proofs.json"), "--out", "nothing was sent")
    assert accounts[0].nonce == nonce
    res = run("notary", "batch", *files, "--out", tmp_path / "proofs.json")
    assert res.exit_code == 0, res.output
    original = json.loads((tmp_path / "proofs.json").read_text())
    (tmp_path / "proofs.json").unlink()
    res = run("notary", "batch", *files, "--out", tmp_path / "again" / "proofs.json", "--rebuild")
    assert res.exit_code == 0 and "rebuilt" in res.output, res.output
    assert accounts[0].nonce == nonce + 1  # the rebuild sent nothing
    assert json.loads((tmp_path / "again" / "proofs.json").read_text()) == original
    assert run("notary", "verify", files[1], "--proof", tmp_path / "again" / "proofs.json",
               "--report", tmp_path / "r.html").exit_code == 0
    one_line_error(run("notary", "batch", files[0], files[1], "--out", tmp_path / "x.json", "--rebuild"),
                   "no batch with root", "same files")


def test_credential_issue_checks_out_before_anchoring(tmp_path, accounts, chain):
    broker, investor = accounts[2], accounts[3]
    assert run("credential", "accredit", broker.address, "--type", "ProfessionalInvestor").exit_code == 0
    subject = did_for(investor.address, chain.chain_id)
    blocker = write(tmp_path / "blocker", "x")
    nonce = broker.nonce
    one_line_error(run("credential", "issue", "--subject", subject, "--type", "ProfessionalInvestor",
                       "--out", blocker / "vc.jwt", "--account", "test:2"), "--out", "nothing was sent")
    assert broker.nonce == nonce
    # a folder that does not exist yet is created, and the JWT lands there
    res = run("credential", "issue", "--subject", subject, "--type", "ProfessionalInvestor",
              "--out", tmp_path / "missing" / "vc.jwt", "--account", "test:2")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "missing" / "vc.jwt").read_text().count(".") == 2



def test_credential_issue_writes_the_jwt_before_anchoring(tmp_path, accounts, chain, monkeypatch):
    """The JWT is on disk when the anchoring transaction is sent, and removed if that fails."""
    from carbonchain.identity import vc

    broker, investor = accounts[2], accounts[3]
    assert run("credential", "accredit", broker.address, "--type", "ProfessionalInvestor").exit_code == 0
    out = tmp_path / "vc.jwt"
    seen = []
    real = vc.anchor_jwt

    def anchor(jwt, registry, *, sender):
        seen.append(out.read_text().strip() == jwt)
        if len(seen) == 2:
            raise vc.CarbonChainError("node went away")
        return real(jwt, registry, sender=sender)

    monkeypatch.setattr(vc, "anchor_jwt", anchor)
    args = ["--subject", investor.address, "--type", "ProfessionalInvestor", "--out", out, "--account", "test:2"]
    assert run("credential", "issue", *args).exit_code == 0
    out.unlink()
    one_line_error(run("credential", "issue", *args), "node went away")
    assert seen == [True, True] and not out.exists()


def test_empty_files_are_refused_unless_allowed(tmp_path, accounts):
    empty = write(tmp_path / "empty.txt", "")
    nonce = accounts[0].nonce
    one_line_error(run("notary", "anchor", empty), "empty.txt is empty", "--allow-empty")
    one_line_error(run("notary", "batch", empty, write(tmp_path / "a.txt", "a"), "--out", tmp_path / "p.json"),
                   "empty.txt is empty")
    assert accounts[0].nonce == nonce
    res = run("notary", "anchor", empty, "--allow-empty")
    assert res.exit_code == 0, res.output


def test_supersede_carries_the_original_signers(tmp_path, accounts):
    v1 = write(tmp_path / "v1.txt", "v1\n")
    v2 = write(tmp_path / "v2.txt", "v2\n")
    signers = [a.address for a in accounts[1:4]]
    args = [x for s in signers for x in ("--signer", s)]
    assert run("notary", "anchor", v1, *args).exit_code == 0
    d1 = "0x" + digest_file(v1, "sha256").hex()
    res = run("notary", "supersede", d1, v2)
    assert res.exit_code == 0, res.output
    assert "original's 3 signers" in res.output
    res = run("notary", "verify", v2, "--report", tmp_path / "v2.html")
    assert res.exit_code == 1 and "INCOMPLETE" in res.output  # not valid with no signature
    d2 = "0x" + digest_file(v2, "sha256").hex()
    res = run("notary", "show", d2)
    assert "0/3 signed" in res.output and all(s in res.output for s in signers)


@pytest.mark.parametrize(
    "change, needle",
    [
        (lambda s: s.pop("digest"), "field 'digest' is missing"),
        (lambda s: s.update(signature="zz"), "field 'signature' is 'zz', a 0x-prefixed hex string expected"),
        (lambda s: s.update(signer="0x12"), "field 'signer'"),
    ],
)
def test_malformed_signature_file_names_file_and_field(tmp_path, accounts, change, needle):
    doc = write(tmp_path / "c.txt", "c\n")
    assert run("notary", "anchor", doc, "--signer", accounts[1].address).exit_code == 0
    d = "0x" + digest_file(doc, "sha256").hex()
    assert run("notary", "sign", d, "--account", "test:1", "--offline", tmp_path / "sig.json").exit_code == 0
    sig = json.loads((tmp_path / "sig.json").read_text())
    change(sig)
    (tmp_path / "sig.json").write_text(json.dumps(sig))
    one_line_error(run("notary", "relay", tmp_path / "sig.json"), "sig.json", needle)


def test_malformed_proofs_file_names_file_and_field(tmp_path):
    doc = write(tmp_path / "d.txt", "d\n")
    assert run("notary", "batch", doc, "--out", tmp_path / "p.json").exit_code == 0
    proofs = json.loads((tmp_path / "p.json").read_text())
    proofs["root"] = "0x1234"
    (tmp_path / "p.json").write_text(json.dumps(proofs))
    one_line_error(run("notary", "verify", doc, "--proof", tmp_path / "p.json", "--report", tmp_path / "r.html"),
                   "p.json", "field 'root'", "32-byte hex")
