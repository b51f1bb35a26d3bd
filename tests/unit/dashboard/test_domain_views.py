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
def fund_site(world, accounts, project, chain, tmp_path_factory):
    p, c = world.people, world.contracts
    admin, manager, custodian, investor, broker = p["admin"], p["manager"], p["custodian"], p["investor"], accounts[6]
    start = chain.blocks.head.number + 1
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
        **world.deployment.contracts, "FundProductRegistry": products.address, "FundSubscriptions": subs.address})
    path = tmp_path_factory.mktemp("fund") / "index.sqlite"
    Indexer(path, dep, AUDITS).run()
    return Site(path, AUDITS), ids


def test_a_subscription_shows_each_step_of_its_evidence_trail(fund_site, world):
    site, (final, withdrawn) = fund_site
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
    investor = site.page("did", world.people["investor"].address)
    assert sorted(r["subscription"] for r in investor.trail("subscriptions").rows) == sorted([final, withdrawn])
