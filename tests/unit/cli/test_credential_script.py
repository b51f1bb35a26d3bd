"""`ape run credential`: accredit, issue, verify (+record), suspend, reinstate, revoke, audit."""

import pytest

from carbonchain.identity.resolver import did_for
from tests.utils.docs import write
from tests.utils.scripts import one_line_error, run


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    assert run("deploy").exit_code == 0


def test_credential_lifecycle(tmp_path, accounts, chain):
    broker, investor = accounts[2], accounts[3]
    subject = did_for(investor.address, chain.chain_id)
    res = run("credential", "accredit", broker.address, "--type", "ProfessionalInvestor", "--days", "30")
    assert res.exit_code == 0, res.output
    claims = write(tmp_path / "claims.json", '{"basis": "assets", "assetProofIssuer": "bank"}')
    res = run("credential", "issue", "--subject", subject, "--type", "ProfessionalInvestor", "--claims-file", claims,
              "--claim", "level=C4", "--out", tmp_path / "vc.jwt", "--account", "test:2")
    assert res.exit_code == 0, res.output
    jwt = (tmp_path / "vc.jwt").read_text().strip()
    assert jwt in res.output and jwt.count(".") == 2
    res = run("credential", "verify", tmp_path / "vc.jwt", "--record", "--account", "test:4")
    assert res.exit_code == 0 and "VALID" in res.output and "verification recorded" in res.output
    assert run("credential", "suspend", tmp_path / "vc.jwt", "--reason", "5", "--account", "test:2").exit_code == 0
    res = run("credential", "verify", tmp_path / "vc.jwt")
    assert res.exit_code == 1 and "credential suspended (reason 5)" in res.output
    assert run("credential", "reinstate", jwt, "--account", "test:2").exit_code == 0
    assert run("credential", "verify", jwt).exit_code == 0
    assert run("credential", "revoke", tmp_path / "vc.jwt", "--reason", "3", "--account", "test:2").exit_code == 0
    res = run("credential", "verify", tmp_path / "vc.jwt")
    assert res.exit_code == 1 and "credential revoked (reason 3)" in res.output
    res = run("credential", "audit", subject)
    assert res.exit_code == 0, res.output
    for word in ("issued", "verified", "suspended", "reinstated", "revoked", "5 events"):
        assert word in res.output, word



def test_errors_are_one_line(tmp_path, accounts, chain):
    subject = did_for(accounts[3].address, chain.chain_id)
    one_line_error(run("credential", "issue", "--subject", subject, "--type", "ProfessionalInvestor", "--out",
                       tmp_path / "x.jwt", "--account", "test:2"), "not accredited for ProfessionalInvestor")
    assert not (tmp_path / "x.jwt").exists()
    one_line_error(run("credential", "accredit", accounts[2].address, "--type", "ProfessionalInvestor",
                       "--account", "test:5"), "TrustedIssuerRegistryUnauthorized")
    one_line_error(run("credential", "revoke", "0x" + "11" * 32, "--reason", "1"), "CredentialRegistryUnknownCredential")
    one_line_error(run("credential", "issue", "--subject", subject, "--type", "ProfessionalInvestor", "--claim", "oops",
                       "--out", tmp_path / "y.jwt"), "key=value")
    one_line_error(run("credential", "verify", "not-a-jwt"), "not a file, a JWT or a digest")
    res = run("credential", "verify", "a.b.c")
    assert res.exit_code == 1 and "NOT VALID: not a JWT" in res.output
    # issue 8, finding 15: an unsigned (alg none) token is one line, checked by joserfc's allow-list
    res = run("credential", "verify", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.")
    assert res.exit_code == 1 and "NOT VALID: unsupported alg 'none': only ES256K is accepted" in res.output
    assert len([line for line in res.output.splitlines() if line.strip()]) == 1
