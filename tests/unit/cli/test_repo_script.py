"""`ape run repo` (the desk) and `ape run keeper --once` on the composed deployment: amounts as people
write them, every step through the CLI, rejections as one line naming the rule."""

import pytest

from carbonchain.core.deployments import contract
from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.core.personas import PERSONAS
from carbonchain.identity import bytes32_text
from carbonchain.oracle import market_code, to_price
from tests.utils.docs import write
from tests.utils.scripts import one_line_error, run

HOLDER = bytes32_text("CarbonAccountHolder")


@pytest.fixture(scope="module")
def desk(tmp_path_factory, accounts, chain):
    """Deployed once for the module (each test starts from this state); a CEA price of 70; a repo
    contract signed by financier and enterprise; the enterprise's CarbonAccountHolder credential
    from an accredited broker."""
    tmp_path = tmp_path_factory.mktemp("desk")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
        mp.chdir(tmp_path)
        yield _setup(tmp_path, accounts, chain)


def _setup(tmp_path, accounts, chain):
    assert run("deploy").exit_code == 0
    p = {name: accounts[i] for name, i in PERSONAS.items()}
    feed = contract("MarketRegistry").feedOf(market_code("CEA"))
    from ape import project

    cea = project.CarbonPriceFeed.at(feed)
    now = chain.pending_timestamp
    for op in ("operator-a", "operator-b", "operator-c"):
        cea.submit(1, to_price("70"), now - 60, sender=p[op])
    doc = write(tmp_path / "repo-contract.pdf", "repo contract #1")
    d = digest_file(doc, Algorithm.SHA256)
    docs = contract("DocumentRegistry")
    docs.anchor(d, 1, b"\x00" * 32, [p["financier"], p["enterprise"]], sender=p["financier"])
    docs.sign(p["financier"], d, 1, sender=p["financier"])
    docs.sign(p["financier"], d, 1, sender=p["enterprise"])
    contract("TrustedIssuerRegistry").accredit(p["broker"], HOLDER, now - 10, now + 400 * 86400, False, sender=p["admin"])
    cred = b"\x11" * 32
    creds = contract("CredentialRegistry")
    creds.issue(cred, HOLDER, p["enterprise"], now + 365 * 86400, sender=p["broker"])
    cid = bytes(creds.credentialId(p["broker"], cred))  # the repo's terms carry the credential's record key
    return dict(personas=p, contract=doc, credential="0x" + cid.hex(), feed=cea)


def propose(desk, principal="200,000.00", quantity="5,000 t"):
    return run("repo", "propose", "--counterparty", desk["personas"]["enterprise"].address, "--quantity", quantity,
               "--principal", principal, "--rate", "4.5%", "--days", "90", "--contract", desk["contract"],
               "--credential", desk["credential"], "--account", "financier")


def test_desk_lifecycle_and_keeper(desk, tmp_path):
    res = propose(desk)
    assert res.exit_code == 0 and "proposed repo #1: 5,000 t against 200,000.00 CNY" in res.output, res.output
    report = write(tmp_path / "scoring.pdf", "grade 3")
    res = run("repo", "approve", "1", "--grade", "3", "--report", report, "--account", "risk")
    assert res.exit_code == 0, res.output
    one_line_error(run("repo", "confirm", "1", "--account", "risk"), "RepoManagerSameReviewer",
                   "may not also confirm")
    assert run("repo", "confirm", "1", "--account", "risk-officer-2").exit_code == 0
    transfer = write(tmp_path / "transfer.pdf", "exchange transfer confirmation")
    assert run("repo", "activate", "1", "--ref", transfer, "--account", "custodian").exit_code == 0
    res = run("repo", "show", "1")
    assert res.exit_code == 0 and "Active" in res.output and "ratio 175.00%" in res.output, res.output
    assert "200,000.00 CNY" in res.output and "5,000 t" in res.output
    # a price shock: the keeper checks it, anchors a notice, and a second run sends nothing
    cea = desk["feed"]
    import ape

    now = ape.chain.pending_timestamp
    for op in ("operator-a", "operator-b", "operator-c"):
        cea.submit(2, to_price("63.5"), now, sender=desk["personas"][op])  # -9.3%: inside CEA's 10% guard
    res = run("keeper", "--once", "--account", "admin", "--notices", tmp_path / "notices")
    assert res.exit_code == 0 and "1 to check" in res.output and "1 notice(s) anchored" in res.output, res.output
    assert "Warning" in res.output and "158.75%" in res.output
    assert len(list((tmp_path / "notices").glob("repo-1-Warning-*.html"))) == 1
    res = run("keeper", "--once", "--account", "admin", "--notices", tmp_path / "notices")
    assert res.exit_code == 0 and "0 to check" in res.output and "0 notice(s) anchored" in res.output, res.output
    res = run("repo", "top-up", "1", "2,000 t", "--ref", transfer, "--account", "custodian")
    assert res.exit_code == 0 and "+2,000 t" in res.output and "ratio 222.25%" in res.output, res.output
    res = run("repo", "repay", "1", "50,000.00", "--ref", "0x" + "22" * 32, "--account", "financier")
    assert res.exit_code == 0 and "repaid 50,000.00 CNY" in res.output, res.output
    res = run("repo", "list")
    assert res.exit_code == 0 and "1 open agreement(s)" in res.output, res.output
    res = run("repo", "repurchase", "1", "--ref", "0x" + "33" * 32, "--account", "custodian")
    assert res.exit_code == 0 and "repurchased: principal 150,000.00" in res.output, res.output


def test_rejections_are_one_line(desk):
    limit = 5000 * 70 * 70 // 100  # CNY at a 70% haircut
    one_line_error(propose(desk, principal="1,000,000.001"), "more than 2 decimals")
    one_line_error(propose(desk, quantity="5000.5"), "not a whole number of tonnes")
    assert propose(desk, principal=f"{limit + 1:,}.00").exit_code == 0
    assert run("repo", "approve", "1", "--grade", "3", "--report", "0x" + "44" * 32, "--account", "risk").exit_code == 0
    one_line_error(run("repo", "confirm", "1", "--account", "risk-officer-2"), "RepoManagerHaircutExceeded",
                   "haircut")
    one_line_error(run("repo", "activate", "1", "--ref", "0x" + "55" * 32, "--account", "custodian"),
                   "RepoManagerNotApproved")
    one_line_error(run("repo", "approve", "1", "--grade", "3", "--report", "0x" + "44" * 32, "--account", "enterprise"),
                   "AccessControlUnauthorizedAccount")
    one_line_error(run("repo", "show", "9"), "RepoManagerUnknownAgreement")
    one_line_error(run("repo", "top-up", "1", "10", "--ref", "nonexistent.pdf", "--account", "custodian"),
                   "not a reference")
