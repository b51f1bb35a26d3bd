"""Repo agreements and fund subscriptions on the regulator's view, from real flows: the agreement's
ratio against its three lines, state timeline and notices; each step of a subscription's trail."""

import pytest

from carbonchain.audit import AUDITS
from carbonchain.core.deployments import Deployment
from carbonchain.dashboard import Indexer, Site
from carbonchain.repo.local import RepoWorld
from tests.utils.docs import make_digest
from tests.utils.fund import DAY, MIN_FEN, QI, SM3, code, signed_contract


@pytest.fixture(scope="module")
def repo_site(accounts, project, chain, tmp_path_factory):
    start = chain.blocks.head.number + 1
    w = RepoWorld.build(accounts, project)
    w.publish("80")
    rid = w.open(quantity=3600)  # 288,000 CNY of collateral for 200,000: 144%, below the warning line
    w.repo.check([rid], sender=w.admin)
    w.publish("76")  # 136.8%: margin call
    w.repo.check([rid], sender=w.admin)
    w.repo.topUp(rid, 1400, w.ref("topup"), sender=w.custodian)  # 5,000 t: 190%, healthy
    w.repo.check([rid], sender=w.admin)
    w.repo.repurchase(rid, w.ref("repurchase"), sender=w.custodian)
    dep = Deployment(chain_id=chain.chain_id, block=start, contracts={
        "RepoManager": w.repo.address, "DocumentRegistry": w.documents.address,
        "CredentialRegistry": w.credentials.address, "TrustedIssuerRegistry": w.issuers.address,
        "MarketRegistry": w.markets.address}, price_feeds={"CEA": w.feed.address})
    path = tmp_path_factory.mktemp("repo") / "index.sqlite"
    Indexer(path, dep, AUDITS).run()
    return Site(path, AUDITS), rid, w


def test_an_agreement_shows_its_ratio_against_three_lines_and_its_timeline(repo_site):
    site, rid, w = repo_site
    assert [h.kind for h in site.search(str(rid))] == ["agreement"]
    page = site.page("agreement", str(rid))
    (section,) = page.sections
    facts = dict(section.facts)
    assert facts["status"] == "Repurchased" and facts["health"] == "Healthy"
    chart = section.context["chart"]
    assert len(chart["dots"]) == 3 and [l["label"] for l in chart["lines"]] == [
        "warning 160.00%", "margin call 140.00%", "close-out 120.00%"]
    actions = [r["action"] for r in page.trail("timeline").rows]
    assert actions[:4] == ["proposed", "approval proposed", "approved", "activated (collateral confirmed)"]
    assert actions[-1] == "repurchased" and "collateral topped up" in actions
    assert [r["detail"] for r in page.trail("notices").rows] == [
        "Healthy -> Warning", "Warning -> MarginCall", "MarginCall -> Healthy"]
    did = site.page("did", w.counterparty.address)
    assert [r["agreement"] for r in did.trail("agreements").rows] == [rid]


@pytest.fixture(scope="module")
def registries(accounts, project, chain):
    """The notary and credential registries the fund and offset flows use (block, contracts)."""
    admin = accounts[0]
    start = chain.blocks.head.number + 1
    registry = admin.deploy(project.DocumentRegistry, 0, admin, admin)
    tir = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
    creds = admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)
    return start, {"registry": registry, "tir": tir, "creds": creds}


@pytest.fixture(scope="module")
def fund_site(registries, accounts, project, chain, tmp_path_factory):
    start, c = registries
    admin, manager, custodian, investor, broker = (accounts[i] for i in (0, 1, 2, 3, 6))
    products = admin.deploy(project.FundProductRegistry, 0, admin)
    products.grantRole(products.MANAGER_ROLE(), manager, sender=admin)
    subs = admin.deploy(project.FundSubscriptions, 0, admin, products, c["creds"], c["registry"])
    product = code("GGF-1")
    products.registerProduct(product, 3, MIN_FEN, custodian, make_digest("template"), SM3, DAY, False, sender=manager)
    products.setOpen(product, True, sender=manager)
    now = chain.pending_timestamp
    c["tir"].accredit(broker, QI, now - 10, now + 365 * DAY, False, sender=admin)
    ids = []
    for tag in ("final", "withdrawn"):
        cred = make_digest("qi-" + tag)
        c["creds"].issue(cred, QI, investor, now + 180 * DAY, sender=broker)
        r = subs.open(product, investor, cred, broker, 4, make_digest("q-" + tag), SM3, sender=manager)
        sid = r.decode_logs(subs.SubscriptionOpened)[0].id
        subs.recordSale(sid, make_digest("rec-" + tag), sender=manager)
        subs.attachContract(sid, signed_contract(c["registry"], "contract-" + tag, manager, custodian, investor), SM3,
                            sender=manager)
        subs.confirmPayment(sid, MIN_FEN, make_digest("bank-" + tag), sender=custodian)
        ids.append(sid)
    subs.withdraw(ids[1], sender=investor)
    subs.confirmRefund(ids[1], make_digest("refund"), sender=custodian)
    chain.mine(1, timestamp=chain.pending_timestamp + DAY + 10)
    subs.confirmReturnVisit(ids[0], make_digest("visit"), sender=manager)
    dep = Deployment(chain_id=chain.chain_id, block=start, contracts={
        "DocumentRegistry": c["registry"].address, "TrustedIssuerRegistry": c["tir"].address,
        "CredentialRegistry": c["creds"].address, "FundProductRegistry": products.address,
        "FundSubscriptions": subs.address})
    path = tmp_path_factory.mktemp("fund") / "index.sqlite"
    Indexer(path, dep, AUDITS).run()
    return Site(path, AUDITS), ids, investor


def test_a_subscription_shows_each_step_of_its_evidence_trail(fund_site):
    site, (final, withdrawn), investor = fund_site
    page = site.page("subscription", str(final))
    assert dict(page.sections[0].facts)["stage"] == "Final"
    steps = [r["step"] for r in page.trail("steps").rows]
    assert steps == ["opened (suitability C4; credential checked live)", "sale double-recorded",
                     "fund contract attached (signed by the three parties)", "payment confirmed; cooling-off starts",
                     "return visit confirmed: final"]
    contract = page.trail("steps").rows[2]["digest"]
    assert [h.kind for h in site.search(contract)] == ["document"]  # the contract links to its document page
    assert len(site.page("document", contract).trail("signers").rows) == 3
    other = [r["step"] for r in site.page("subscription", str(withdrawn)).trail("steps").rows]
    assert other[-2:] == ["withdrawn in the cooling-off", "refund confirmed"]
    page = site.page("did", investor.address)
    assert sorted(r["subscription"] for r in page.trail("subscriptions").rows) == sorted([final, withdrawn])


@pytest.fixture(scope="module")
def offset_site(registries, accounts, project, chain, tmp_path_factory):
    from tests.utils.offset import CARBON_VERIFIER, b32, retirement_input

    admin, tir = accounts[0], registries[1]["tir"]
    enterprise, verifier, certifier = accounts[7], accounts[8], accounts[9]
    start = chain.blocks.head.number + 1
    retirements = admin.deploy(project.RetirementRegistry, 0, admin, admin, admin)  # admin retires and reverses
    programmes = admin.deploy(project.NeutralityProgramme, 0, admin, certifier, admin, retirements, tir)
    now = chain.pending_timestamp
    tir.accredit(verifier, CARBON_VERIFIER, now - 10, now + 365 * DAY, False, sender=admin)
    programmes.raiseDemand(0, b32("Acme Ltd"), 1_735_689_600, 1_767_225_600, 10_000, sender=enterprise)
    programmes.publishPlan(1, make_digest("plan"), sender=enterprise)
    programmes.recordEmissions(1, 250, 1_735_689_600, 1_767_225_600, make_digest("report"), sender=verifier)
    for first, last, vintage in ((1, 200, 2021), (1001, 1050, 2022), (2001, 2100, 2023)):
        retirements.retire(retirement_input(first, last, beneficiary=enterprise.address, programme=1, vintage=vintage),
                           0, sender=admin)
    programmes.attribute(1, 1, sender=enterprise)
    programmes.attribute(1, 2, sender=enterprise)
    retirements.reverse(2, b32("double issuance"), sender=admin)
    programmes.release(1, 2, sender=enterprise)
    programmes.attribute(1, 3, sender=enterprise)
    programmes.certify(1, make_digest("certificate"), sender=certifier)
    dep = Deployment(chain_id=chain.chain_id, block=start, contracts={
        "TrustedIssuerRegistry": tir.address, "RetirementRegistry": retirements.address,
        "NeutralityProgramme": programmes.address})
    path = tmp_path_factory.mktemp("offset") / "index.sqlite"
    Indexer(path, dep, AUDITS).run()
    return Site(path, AUDITS), enterprise


def test_a_programme_shows_verified_emissions_against_retired_tonnes(offset_site):
    site, enterprise = offset_site
    assert [h.kind for h in site.search("1")] == ["programme"]
    page = site.page("programme", "1")
    facts = dict(page.sections[0].facts)
    assert facts["status"] == "Certified" and facts["verified emissions"] == "250 tCO2e"
    assert facts["retired for it"] == "300 tCO2e of 250 required"
    chart = page.sections[0].context["chart"]
    assert [d["label"].split(" t ")[0] for d in chart["dots"]] == ["200", "250", "200", "300"]
    assert [line["label"] for line in chart["lines"]] == ["verified emissions 250 t"]
    rows = {r["id"]: r for r in page.trail("retirements").rows}
    assert rows[2]["attribution"] == "released" and rows[2]["reversal_reason"] == "double issuance"
    assert [r["action"] for r in page.trail("timeline").rows][-1] == "certified"
    did = site.page("did", enterprise.address)
    assert [r["programme"] for r in did.trail("programmes").rows] == [1]
