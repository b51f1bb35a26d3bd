"""The regulator's page in a real headless Chromium (Debian's package, driven by Playwright); its
exports (CSV, JSON) and read-only server over plain HTTP."""

import csv
import io
import json
import urllib.error
import urllib.request

import pytest

from carbonchain.core.audit import parse_address


def test_search_a_did_and_see_its_revoked_credential(world, server, page):
    investor = world.people["investor"].address
    page.goto(server + "/")
    page.fill("#q", f"did:ethr:0x539:{investor}")
    page.click("form.search button")
    page.wait_for_url(f"**/did/{investor.lower()}")
    held = page.locator("#trail-credentials_held")
    row = held.locator("tr", has_text=world.facts["revoked_credential"])
    assert "Revoked" in row.inner_text() and "AssetProof" in row.inner_text()
    revocations = page.locator("#trail-suspensions_revocations").inner_text()
    assert "revoked" in revocations and "UTC" in revocations and "CST" in revocations


def test_open_a_document_and_see_three_signers(world, server, page):
    page.goto(f"{server}/document/{world.facts['contract']}")
    rows = page.locator("#trail-signers tbody tr")
    assert rows.count() == 3
    signers = {parse_address(rows.nth(i).locator("td").first.inner_text()) for i in range(3)}
    assert signers == {world.people[k].address.lower() for k in ("manager", "custodian", "investor")}
    assert "VALID" in page.locator("table.facts").first.inner_text()


def test_open_a_market_and_see_its_chart(world, server, page):
    page.goto(f"{server}/")
    page.fill("#q", "cea")
    page.click("form.search button")
    page.wait_for_url("**/market/CEA")
    chart = page.locator("svg#chart-CEA")
    assert chart.is_visible()
    assert page.locator("svg#chart-CEA circle.dot").count() == 5  # published rounds
    assert page.locator("svg#chart-CEA rect.held.discarded").count() == 1
    assert "discarded" in page.locator("#trail-held_rounds").inner_text()


def test_follow_a_link_from_a_did_to_a_document(world, server, page):
    custodian = world.people["custodian"].address.lower()
    page.goto(f"{server}/did/{custodian}")
    page.locator("#trail-documents_signed a", has_text=world.facts["contract"]).click()
    page.wait_for_url(f"**/document/{world.facts['contract']}")
    assert page.locator("#trail-signers tbody tr").count() == 3


def test_a_dropped_file_is_hashed_and_leads_to_its_document(world, server, page, tmp_path):
    """A file chosen on the page is hashed by the server (SHA-256, Keccak-256, SM3) and found."""
    f = tmp_path / "contract.txt"
    f.write_bytes(b"fund-contract")  # the story anchored the SHA-256 of these bytes
    page.goto(server + "/")
    page.set_input_files("#file", str(f))
    page.wait_for_url(f"**/document/{world.facts['contract']}")
    assert page.locator("#trail-signers tbody tr").count() == 3


def get(url):
    with urllib.request.urlopen(url) as r:
        return r.status, r.headers.get("content-type", ""), r.read().decode()


def test_a_trail_exports_as_csv_and_json_with_utc_and_cst(world, server):
    investor = world.people["investor"].address.lower()
    status, ctype, body = get(f"{server}/did/{investor}/credentials_held.csv")
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    revoked = next(r for r in rows if r["credential"] == world.facts["revoked_credential"])
    assert revoked["status"] == "Revoked" and revoked["issued_utc"].endswith("UTC") and revoked["issued_cst"].endswith("CST")
    _s, ctype, body = get(f"{server}/did/{investor}/credentials_held.json")
    data = json.loads(body)
    assert ctype.startswith("application/json") and data["trail"] == "credentials_held" and len(data["rows"]) == len(rows)
    page = json.loads(get(f"{server}/document/{world.facts['contract']}.json")[2])
    assert len(page["sections"][0]["trails"]["signers"]) == 3


def test_the_server_is_read_only(server):
    for method in ("POST", "PUT", "DELETE"):
        req = urllib.request.Request(f"{server}/did/0x{'00' * 20}", data=b"x", method=method)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req)
        assert err.value.code == 405
