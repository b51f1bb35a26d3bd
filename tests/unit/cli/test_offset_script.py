"""`ape run offset`: demand, plan, verify, retire (hint found by the SDK), show, check-serial,
certify (certificate anchored), reverse; errors are one line."""

import pytest

from carbonchain.core.deployments import contract
from tests.utils.docs import write
from tests.utils.offset import CARBON_VERIFIER, DAY
from tests.utils.scripts import one_line_error, run

VCU = "10174-1001-1200-VCS-VCU-263-VER-CN-1-1529-01012024-31122024-0"


@pytest.fixture(autouse=True)
def deployed(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    assert run("deploy").exit_code == 0


def test_neutrality_through_the_cli(tmp_path, accounts, chain):
    enterprise, verifier = accounts[7], accounts[8]
    now = chain.pending_timestamp
    contract("TrustedIssuerRegistry").accredit(verifier, CARBON_VERIFIER, now - 10, now + 365 * DAY, False,
                                               sender=accounts[0])
    plan = write(tmp_path / "plan.txt", "plan")
    report = write(tmp_path / "report.txt", "report")
    cancel = write(tmp_path / "cancel.txt", "cancellation certificate")
    res = run("offset", "demand", "--scope", "organisation", "--subject", "Acme Ltd", "--period", "2025",
              "--account", "test:7")
    assert res.exit_code == 0 and "programme 1 raised" in res.output, res.output
    assert run("offset", "plan", "1", plan, "--account", "test:7").exit_code == 0
    res = run("offset", "verify", "1", "--emissions", "250", "--report", report, "--account", "test:8")
    assert res.exit_code == 0, res.output
    res = run("offset", "retire", VCU, "--beneficiary", f"did:ethr:0x7a69:{enterprise.address}", "--cancellation",
              cancel, "--trade", "0x" + "ab" * 32, "--programme", "1")
    assert res.exit_code == 0 and "record 1" in res.output and "attributed to programme 1" in res.output, res.output
    one_line_error(run("offset", "certify", "1"), "not covered: 200 t retired of 250 t required")
    res = run("offset", "retire", "GS-GS1247-2024-1-50", "--beneficiary", enterprise.address, "--cancellation", cancel,
              "--trade", cancel, "--programme", "1")
    assert res.exit_code == 0, res.output
    res = run("offset", "show", "1")
    assert res.exit_code == 0 and "coverage 100.00%" in res.output and "VCS-1529-2024-1001-1200" in res.output
    res = run("offset", "check-serial", "VCS-1529-2024-1100")
    assert res.exit_code == 0 and "retired in record 1" in res.output and enterprise.address in res.output
    res = run("offset", "certify", "1", "--out", tmp_path / "cert.html")
    assert res.exit_code == 0 and "anchored in DocumentRegistry" in res.output, res.output
    assert (tmp_path / "cert.html").is_file()
    assert run("notary", "verify", tmp_path / "cert.html").exit_code == 0
    res = run("offset", "reverse", "2", "--reason", "duplicate entry")
    assert res.exit_code == 0 and "reversed by reversal 1" in res.output and "released from programme 1" in res.output
    assert "retired 200 t of 250 t" in run("offset", "show", "1").output
    assert "not retired" in run("offset", "check-serial", "GS-GS1247-2024-7").output


def test_errors_are_one_line(tmp_path, accounts):
    cancel = write(tmp_path / "cancel.txt", "c")
    one_line_error(run("offset", "retire", "10174-1001-1200-VCS-VCU-263-VER-CN-1-15x9-01012024-31122024-0",
                       "--beneficiary", accounts[7].address, "--cancellation", cancel, "--trade", cancel),
                   "project id '15x9' is not a number")
    assert run("offset", "retire", VCU, "--beneficiary", accounts[7].address, "--cancellation", cancel,
               "--trade", cancel).exit_code == 0
    one_line_error(run("offset", "retire", "VCS-1529-2024-1200-1300", "--beneficiary", accounts[7].address,
                       "--cancellation", cancel, "--trade", cancel), "RetirementRegistryOverlap", "conflictingRecord=1")
    one_line_error(run("offset", "demand", "--scope", "event", "--subject", "x", "--period", "2025-02-01..2025-01-01"),
                   "the end must come after the start")
    assert run("offset", "demand", "--scope", "event", "--subject", "Expo", "--period", "2025",
               "--account", "test:7").exit_code == 0
    count = contract("RetirementRegistry").retirementCount()
    one_line_error(run("offset", "retire", "CCER-1-2024-1-5", "--beneficiary", accounts[3].address, "--cancellation",
                       cancel, "--trade", cancel, "--programme", "1"), "belongs to", "nothing was sent")
    one_line_error(run("offset", "retire", "CCER-1-2024-1-5", "--beneficiary", accounts[7].address, "--cancellation",
                       cancel, "--trade", cancel, "--programme", "1", "--account", "test:5"),
                   "may not attribute to programme 1", "nothing was sent")
    assert contract("RetirementRegistry").retirementCount() == count
    one_line_error(run("offset", "verify", "9", "--emissions", "5", "--report", "0x" + "11" * 32),
                   "NeutralityProgrammeUnknownProgramme")
    one_line_error(run("offset", "reverse", "9", "--reason", "x"), "RetirementRegistryUnknownRetirement")
    one_line_error(run("offset", "check-serial", "CCER-1-2"), "serial 'CCER-1-2'")
