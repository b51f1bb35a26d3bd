"""`ape run fund`: a subscription driven through the CLI end to end, and one-line errors."""

import json

import pytest

from carbonchain.deploy import deploy_all
from tests.utils.docs import write
from tests.utils.fund import FUND_STACK
from tests.utils.scripts import one_line_error, run


@pytest.fixture
def deployed(accounts, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    deploy_all(accounts[0], contracts=FUND_STACK)
    return tmp_path


def ok(*args):
    res = run("fund", *args)
    assert res.exit_code == 0, res.output
    return res.output


def test_cli_subscription_with_withdrawal_and_evidence(deployed, accounts, chain):
    tmp = deployed
    manager, custodian, investor, broker = accounts[0], accounts[1], accounts[2], accounts[12]
    files = tmp / "files"
    f = {n: write(files / n, n * 3) for n in ("template.txt", "q.txt", "rec.mp4", "contract.txt", "bank.txt",
                                             "refund.txt")}
    res = run("credential", "accredit", broker.address, "--type", "QualifiedInvestor", "--account", "admin")
    assert res.exit_code == 0, res.output
    res = run("credential", "issue", "--subject", investor.address, "--type", "QualifiedInvestor",
              "--out", files / "investor.jwt", "--account", "broker")
    assert res.exit_code == 0, res.output

    out = ok("product", "PF-1", "--risk", "R4", "--custodian", custodian.address, "--template", f["template.txt"],
             "--open")
    assert "PF-1: R4, minimum CNY 1,000,000.00, cooling-off 24 h" in out and "open" in out
    common = ["--investor", investor.address, "--credential", files / "investor.jwt", "--issuer", broker.address,
              "--questionnaire", f["q.txt"]]
    one_line_error(run("fund", "open", "PF-1", *common, "--suitability", "C2"), "FundSubscriptionsUnsuitable",
                   "does not permit the product's risk level")
    assert "subscription #1 opened" in ok("open", "PF-1", *common, "--suitability", "C4")
    ok("record", "1", f["rec.mp4"])
    assert "waiting for" in ok("contract", "1", f["contract.txt"])
    for acct in ("manager", "custodian", "investor"):
        last = ok("sign", "1", f["contract.txt"], "--account", acct)
    assert "fully signed" in last
    assert "attached" in ok("contract", "1", f["contract.txt"])
    one_line_error(run("fund", "pay", "1", "--amount", "999,999.99", "--confirmation", f["bank.txt"],
                       "--account", "custodian"), "FundSubscriptionsBelowMinimum")
    assert "cooling-off until" in ok("pay", "1", "--amount", "1,000,000", "--confirmation", f["bank.txt"],
                                     "--account", "custodian")
    one_line_error(run("fund", "revisit", "1", f["q.txt"]), "FundSubscriptionsCoolingOffNotOver")
    assert "withdrawn" in ok("withdraw", "1", "--account", "investor")
    assert "refund confirmed" in ok("withdraw", "1", "--refund", f["refund.txt"], "--account", "custodian")
    out = ok("status", "1", "--account", "custodian")
    assert "Refunded" in out and "withdrawn" in out
    one_line_error(run("fund", "status", "1", "--account", "bank"), "FundSubscriptionsNotAuthorizedReader")

    out = ok("evidence", "1", "--files", files, "--out", tmp / "ev")
    bundle = tmp / "ev" / "subscription-1.evidence.json"
    assert bundle.is_file() and (tmp / "ev" / "subscription-1.evidence.html").is_file()
    assert [i["key"] for i in json.loads(bundle.read_text())["items"]][-3:] == ["withdrawn", "refunded",
                                                                                 "credential.status"]
    assert "items hold" in ok("evidence", "--verify", bundle, "--out", tmp / "ev")
    assert "holds" in (tmp / "ev" / "subscription-1.evidence.recheck.html").read_text()
    (files / "bank.txt").write_text("bank.txt" * 3 + "!")
    res = run("fund", "evidence", "--verify", bundle, "--out", tmp / "ev")
    assert res.exit_code == 1 and "paid do not" in res.output, res.output
    assert "DOES NOT HOLD" in (tmp / "ev" / "subscription-1.evidence.recheck.html").read_text()
    broken = tmp / "ev" / "broken.json"
    broken.write_text(json.dumps({**json.loads(bundle.read_text()), "items": {}}))
    one_line_error(run("fund", "evidence", "--verify", broken, "--out", tmp / "ev"), "broken.json", "field 'items'",
                   "a JSON list expected")
