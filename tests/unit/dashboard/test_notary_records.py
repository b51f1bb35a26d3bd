"""The notary's records on the regulator's view are the registry's: one per (anchorer, digest,
algorithm). Two accounts anchor the same digest with different signers; one record is signed in
full, the other revoked: the index, the document page (and its exports, evidence report, search)
and the signers' DID pages keep the two apart."""

import csv
import io

import pytest

from carbonchain.audit import AUDITS
from carbonchain.core.deployments import Deployment
from carbonchain.dashboard import Site
from carbonchain.dashboard.site import NotFound, page_json, trail_csv
from tests.utils.dashboard import META, SHA, World, proofs_env, q
from tests.utils.docs import make_digest

REVOKED_FOR = 2  # a reason code (REASONS: "error")


@pytest.fixture(scope="module")
def world(project, accounts, chain):
    """Overrides the package's world: the real DocumentRegistry and only this story."""
    admin, first, second, shared, only_first, only_second = (accounts[i] for i in (0, 1, 4, 2, 3, 11))
    start = chain.blocks.head.number + 1
    reg = admin.deploy(project.DocumentRegistry, 0, admin, admin)
    digest = make_digest("one-file-two-anchorers")
    reg.anchor(digest, SHA, META, [shared, only_first], sender=first)
    reg.anchor(digest, SHA, META, [shared, only_second], sender=second)
    reg.sign(first, digest, SHA, sender=shared)
    reg.sign(first, digest, SHA, sender=only_first)  # the first record is now fully signed
    reg.sign(second, digest, SHA, sender=only_second)  # the second one has 1 of 2 ...
    reg.revoke(second, digest, SHA, REVOKED_FOR, sender=second)  # ... and is revoked by its anchorer
    dep = Deployment(chain_id=chain.chain_id, block=start, contracts={"DocumentRegistry": reg.address})
    people = dict(first=first, second=second, shared=shared, only_first=only_first, only_second=only_second)
    return World(dep, people, facts={"digest": "0x" + digest.hex()}, contracts={"registry": reg})


@pytest.fixture(scope="module")
def proofs_dir(tmp_path_factory):
    """No proofs files (no batch in this story)."""
    with proofs_env(tmp_path_factory.mktemp("no-proofs")) as folder:
        yield folder


@pytest.fixture(scope="module")
def site(indexed):
    return Site(indexed, AUDITS)


def addr(world, who):
    return world.people[who].address


def test_two_anchorers_of_one_digest_are_two_records_in_the_index(world, indexed):
    d, a = world.facts["digest"], lambda who: addr(world, who)
    assert q(indexed, "SELECT anchorer, status, signed, required, closed_by, reason FROM notary_documents "
                      "WHERE digest = ? ORDER BY block", d) == [
        (a("first"), "FullySigned", 2, 2, None, None), (a("second"), "Revoked", 1, 2, a("second"), REVOKED_FOR)]
    assert sorted(q(indexed, "SELECT anchorer, signer FROM notary_required_signers WHERE digest = ?", d)) == sorted([
        (a("first"), a("shared")), (a("first"), a("only_first")), (a("second"), a("shared")),
        (a("second"), a("only_second"))])
    assert sorted(q(indexed, "SELECT anchorer, signer FROM notary_signatures WHERE digest = ?", d)) == sorted([
        (a("first"), a("shared")), (a("first"), a("only_first")), (a("second"), a("only_second"))])
    assert q(indexed, "SELECT anchorer FROM notary_fully_signed WHERE digest = ?", d) == [(a("first"),)]
    assert q(indexed, "SELECT anchorer, action, by FROM notary_closures WHERE digest = ?", d) == [
        (a("second"), "revoked", a("second"))]


def test_the_document_page_shows_each_record_with_its_own_signers_and_status(world, site):
    d, a = world.facts["digest"], lambda who: addr(world, who)
    page = site.page("document", d)
    records = [s for s in page.sections if s.title.startswith("Document")]
    assert len(records) == 2
    first, second = (dict(s.facts) for s in records)
    assert first["anchored by"] == ("did", a("first")) and first["status"] == "FullySigned"
    assert first["verdict"].startswith("VALID") and first["signatures"] == "2 of 2"
    assert second["anchored by"] == ("did", a("second")) and second["status"] == "Revoked"
    assert second["verdict"].startswith("REVOKED") and second["signatures"] == "1 of 2"
    assert second["closed by"] == ("did", a("second"))
    assert a("first") in records[0].title and a("second") in records[1].title
    signed = {r["signer"]: bool(r["signed"]) for r in page.trail("signers").rows}
    assert signed == {a("shared"): True, a("only_first"): True}
    signed = {r["signer"]: bool(r["signed"]) for r in page.trail("signers_2").rows}
    assert signed == {a("shared"): False, a("only_second"): True}  # the shared signer signed the first only
    assert [(r["action"], r["by"]) for r in page.trail("trail").rows] == [
        ("anchored", a("first")), ("signed", a("shared")), ("signed", a("only_first")), ("fully signed", "")]
    assert [(r["action"], r["by"]) for r in page.trail("trail_2").rows] == [
        ("anchored", a("second")), ("signed", a("only_second")), ("revoked", a("second"))]
    assert [r["status"] for r in page.trail("versions_2").rows] == ["Revoked"]


def test_exports_search_and_evidence_keep_the_records_apart(world, site):
    d, a = world.facts["digest"], lambda who: addr(world, who)
    page = site.page("document", d)
    rows = list(csv.DictReader(io.StringIO(trail_csv(page.trail("signers_2")))))
    assert {r["signer"]: r["signed_utc"] != "" for r in rows} == {a("shared"): False, a("only_second"): True}
    data = page_json(page)
    assert [s["facts"]["anchored by"] for s in data["sections"]] == [a("first"), a("second")]
    assert [len(s["trails"]["signers" if i == 0 else "signers_2"]) for i, s in enumerate(data["sections"])] == [2, 2]
    hits = site.search(d)
    assert len(hits) == 2 and all(h.key == d for h in hits)
    assert a("first") in hits[0].label and "FullySigned" in hits[0].label
    assert a("second") in hits[1].label and "Revoked" in hits[1].label
    revoked = site.document("document", d, "evidence", algorithm="sha256", anchorer=a("second").lower())
    assert 'class="verdict REVOKED"' in revoked and "(named in the request)" in revoked
    valid = site.document("document", d, "evidence", algorithm="sha256", anchorer=a("first"))
    assert 'class="verdict VALID"' in valid and a("first") in valid
    with pytest.raises(NotFound, match="no evidence"):  # never another anchorer's record in its place
        site.document("document", d, "evidence", anchorer=a("shared"))


def test_a_did_page_lists_each_record_it_must_sign_with_its_anchorer(world, site):
    d, a = world.facts["digest"], lambda who: addr(world, who)
    rows = site.page("did", a("shared")).trail("documents_signed").rows
    assert [(r["document"], r["anchorer"], r["status"], bool(r["signed"])) for r in rows] == [
        (d, a("first"), "FullySigned", True), (d, a("second"), "Revoked", False)]
    anchored = site.page("did", a("second")).trail("documents_anchored").rows
    assert [(r["document"], r["status"], r["signed"]) for r in anchored] == [(d, "Revoked", 1)]


def test_the_page_in_a_browser_shows_both_records(world, server, page):
    d, a = world.facts["digest"], lambda who: addr(world, who)
    page.goto(f"{server}/search?q={d}")
    hits = page.locator("ul.hits li")
    assert hits.count() == 2
    hits.first.locator("a").click()
    page.wait_for_url(f"**/document/{d}")
    titles = page.locator("section.section h2").all_inner_texts()
    assert [t for t in titles if t.startswith("Document")] == [
        f"Document (sha256) anchored by {a('first')}, record 1 of 2",
        f"Document (sha256) anchored by {a('second')}, record 2 of 2"]
    assert page.locator("#trail-signers tbody tr").count() == 2
    assert "revoked" in page.locator("#trail-trail_2").inner_text()
    assert "revoked" not in page.locator("#trail-trail").inner_text()
