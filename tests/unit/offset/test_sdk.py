"""The offset SDK: hint finding in pages, retire/reverse through it, check_serial, programmes read
back, periods and scopes, and the certificate (rendered, certified, anchored in the real
DocumentRegistry)."""

import ape
import pytest

from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.notary import Notary
from carbonchain.offset import (
    Programmes,
    Retirements,
    Scope,
    SerialBlock,
    Status,
    certify_programme,
    format_period,
    parse_period,
    parse_serial,
    reason32,
    render_certificate,
    text32,
)
from tests.utils.docs import make_digest
from tests.utils.offset import CARBON_VERIFIER, DAY


@pytest.fixture(scope="module")
def sdk(retirements):
    return Retirements(retirements)


@pytest.fixture(scope="module")
def progs(programmes, sdk):
    return Programmes(programmes, sdk)


def _retire(sdk, text, who, desk, programme=0, **kw):
    return sdk.retire(text, beneficiary=who.address, reason="neutrality", cancellation_digest=make_digest(text),
                      trade_digest=make_digest("t" + text), programme=programme, sender=desk, **kw)[0]


def test_find_hint_walks_in_pages(sdk, desk, enterprise):
    for k in (5, 1, 9, 3, 7):
        _retire(sdk, f"CCER-001234-2021-{k * 10}-{k * 10 + 4}", enterprise, desk)
    assert [sdk.record(i).block.first for i in range(1, 6)] == [50, 10, 90, 30, 70]
    block = SerialBlock("CCER", "001234", 2021, 60, 61)
    assert sdk.find_hint(block, page=1) == sdk.find_hint(block) == 1  # [50,54] comes just before
    assert sdk.find_hint(SerialBlock("CCER", "001234", 2021, 0, 1)) == 0
    assert sdk.find_hint(SerialBlock("CCER", "001234", 2022, 60, 61)) == 0


def test_retire_reverse_and_check_serial(sdk, desk, enterprise, admin, chain):
    rec = _retire(sdk, "CCER-001234-2021-100-199", enterprise, desk, programme=3)
    assert rec.id == 1 and rec.live and rec.quantity == 100 and rec.programme == 3 and rec.reason_text == "neutrality"
    _retire(sdk, "CCER-001234-2021-300-309", enterprise, desk)
    hit = sdk.check_serial("CCER-001234-2021-150")
    assert hit.retired and [r.id for r in hit.records] == [1]
    line = hit.lines()[0]
    assert "record 1" in line and enterprise.address in line and "programme 3" in line
    assert not sdk.check_serial("CCER-001234-2021-200").retired
    assert "not retired" in sdk.check_serial("CCER-001234-2021-200").lines()[0]
    assert [r.id for r in sdk.check_serial("CCER-001234-2021-150-305").records] == [1, 2]
    assert [r.id for r in sdk.check_serial("CCER-001234-2021-1-500@305").records] == [2]
    rid, _ = sdk.reverse(1, "wrong beneficiary entered by the desk", sender=admin)  # > 32 bytes: digested
    assert sdk.reversal(rid)["retirement"] == 1 and len(sdk.reversal(rid)["reason"]) == 32
    assert not sdk.record(1).live and not sdk.check_serial("CCER-001234-2021-150").retired
    with ape.reverts(sdk.contract.RetirementRegistryOverlap, conflictingRecord=2):
        _retire(sdk, "CCER-001234-2021-305-400", enterprise, desk)


def test_text_helpers():
    assert text32("VCS") == b"VCS" + b"\x00" * 29
    with pytest.raises(CarbonChainError):
        text32("x" * 33)
    assert reason32("0x" + "11" * 32) == b"\x11" * 32 and reason32("short") == text32("short")


def test_periods_and_scopes():
    assert parse_period("2025") == (1_735_689_600, 1_767_225_600)
    assert parse_period("2025-03-01..2025-04-01")[1] - parse_period("2025-03-01..2025-04-01")[0] == 31 * DAY
    assert format_period(*parse_period("2025")).startswith("2025 (")
    for bad in ("25", "2025-13-01..2025-14-01", "2025-04-01..2025-03-01"):
        with pytest.raises(CarbonChainError):
            parse_period(bad)
    assert Scope.parse("organization") == Scope.ORGANISATION and Scope.parse("event") == Scope.EVENT
    with pytest.raises(CarbonChainError, match="use organisation, product or event"):
        Scope.parse("country")


@pytest.fixture
def covered(progs, sdk, trusted_issuers, admin, desk, enterprise, verifier, chain):
    """Programme 1 verified at 300 t and covered by two retirements (VCU 200 t + GS 100 t)."""
    now = chain.pending_timestamp
    trusted_issuers.accredit(verifier, CARBON_VERIFIER, now - 10, now + 365 * DAY, False, sender=admin)
    pid, _ = progs.demand(scope="event", subject="Expo 2025", period=parse_period("2025"), sender=enterprise)
    progs.plan(pid, make_digest("plan"), sender=enterprise)
    progs.verify(pid, 300, make_digest("report"), sender=verifier)
    vcu = "10174-1001-1200-VCS-VCU-263-VER-CN-1-1529-01012024-31122024-0"
    for text in (vcu, "GS-GS1247-2024-1-100"):
        progs.attribute(pid, _retire(sdk, text, enterprise, desk, programme=pid).id, sender=enterprise)
    return pid


def test_programme_read_back(progs, covered, enterprise, verifier):
    p = progs.show(covered)
    assert p.status == Status.VERIFIED and p.scope == Scope.EVENT and p.subject == "Expo 2025"
    assert (p.emissions, p.retired, p.required, p.coverage_bps, p.covered) == (300, 300, 300, 10_000, True)
    assert p.enterprise == enterprise.address and p.verifier == verifier.address
    assert [r.block for r in p.retirements] == [SerialBlock("VCS", "1529", 2024, 1001, 1200),
                                               SerialBlock("GS", "GS1247", 2024, 1, 100)]


def test_certificate_certified_and_anchored(progs, covered, project, admin, certifier, tmp_path):
    notary = Notary(admin.deploy(project.DocumentRegistry, 0, admin, admin))
    result = certify_programme(progs, covered, tmp_path / "cert.html", certifier=certifier, notary=notary)
    html = result.path.read_text()
    assert result.digest == digest_file(result.path, Algorithm.SHA256)
    assert result.programme.status == Status.CERTIFIED and result.programme.certificate_digest == result.digest
    assert notary.is_anchored(result.digest, Algorithm.SHA256)
    for needle in ("Expo 2025", "event", "300 t CO2e", "1001-1200", "GS1247", "coverage 100.00%", "<svg",
                   "How to re-check", "wasTrusted", "serialStatus", "0x" + make_digest("report").hex(),
                   progs.contract.address, notary.address):
        assert needle in html, needle
    assert "cdn" not in html.lower() and "<script" not in html


def test_certificate_refused_before_coverage_sends_nothing(progs, sdk, covered, admin, certifier, tmp_path, project):
    sdk.reverse(2, "duplicate", sender=admin)
    progs.release(covered, 2, sender=admin)
    notary = Notary(admin.deploy(project.DocumentRegistry, 0, admin, admin))
    with pytest.raises(CarbonChainError, match="not covered: 200 t retired of 300 t required"):
        certify_programme(progs, covered, tmp_path / "cert.html", certifier=certifier, notary=notary)
    assert progs.show(covered).status == Status.VERIFIED


def test_certificate_needs_verification(progs, enterprise, tmp_path):
    pid, _ = progs.demand(scope="product", subject="Tea", period=parse_period("2025"), sender=enterprise)
    with pytest.raises(CarbonChainError, match="not verified yet"):
        render_certificate(progs, pid, tmp_path / "c.html")


def test_retire_parses_text_serials(sdk, desk, enterprise):
    rec = _retire(sdk, "10174-1-10-VCS-VCU-263-VER-CN-1-1529-01012024-31122024-0", enterprise, desk)
    assert rec.block == parse_serial("VCS-1529-2024-1-10")
