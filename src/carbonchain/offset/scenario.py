"""The neutrality story (an act of ``make demo``): an enterprise's 2025 carbon neutrality, from
demand to a certificate anyone can re-check, with a double-counting attempt refused on the way.

Every step is a real transaction on the connected chain and every outcome is checked. Serials are
drawn fresh per run, so the story replays on a persistent node.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Callable

from ..core.hashing import Algorithm, digest_file
from ..core.jsonio import hex32
from ..core.story import Check, checker
from .certificate import certify_programme
from .programme import Programmes, Scope, parse_period
from .registry import text32
from .serials import parse_serial

CARBON_VERIFIER = text32("CarbonVerifier")

PLAN = """CARBON NEUTRALITY IMPLEMENTATION PLAN (synthetic demo document, run {run})
Organisation: {subject} (did:ethr {enterprise})
Period: calendar year 2025. Target: carbon neutral (100% of verified scope 1 and 2 emissions).
Measures: rooftop solar at the Hangzhou plant; electric delivery fleet; remaining emissions offset
with VCS and CCER credits retired in the organisation's name.
"""

REPORT = """GREENHOUSE GAS VERIFICATION REPORT (synthetic demo document, run {run})
Organisation: {subject}. Period: 2025-01-01 to 2025-12-31.
Verified emissions: {tonnes} t CO2e (scope 1: {s1} t, scope 2: {s2} t). Verifier: {verifier}.
"""

CANCELLATION = """REGISTRY CANCELLATION CERTIFICATE (synthetic demo document, run {run})
Serials: {serial}. Retired for: {subject}. Reason: carbon neutrality 2025.
"""


def _reverted(fn: Callable[[], Any]) -> str:
    """The custom error a call reverts with ('' if it did not revert)."""
    from ..core.errors import is_revert, revert_name

    try:
        fn()
    except Exception as err:  # noqa: BLE001 - reverts on any provider; anything else re-raised
        if not is_revert(err):
            raise
        return revert_name(err)
    return ""


def _doc(path: Path, text: str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return digest_file(path, Algorithm.SHA256)


def neutrality_story(programmes: Programmes, notary: Any, trusted: Any, out: Path, *, people: dict[str, Any],
                     log: Callable[[str], None] = print, network: str = "") -> tuple[list[Check], Path]:
    """``people``: governance (accredits verifiers), desk (retirer and reverser), certifier,
    enterprise, verifier. Returns the checks and the certificate's path."""
    from ape import chain

    gov, desk, certifier = people["governance"], people["desk"], people["certifier"]
    enterprise, verifier = people["enterprise"], people["verifier"]
    reg = programmes.retirements
    run = out.name
    docs = out / "neutrality"
    steps: list[Check] = []
    check = checker(steps, log)
    subject = "Acme Tea Co. Ltd"

    # 1. Demand and plan (the plan document is notarised too).
    pid, _ = programmes.demand(scope=Scope.ORGANISATION, subject=subject, period=parse_period("2025"),
                               sender=enterprise)
    plan_file = docs / "implementation-plan.txt"
    _doc(plan_file, PLAN.format(run=run, subject=subject, enterprise=enterprise.address))
    plan = notary.anchor_files([plan_file], sender=enterprise)[0]
    programmes.plan(pid, plan.digest, sender=enterprise)
    check("demand raised and plan published", "planned", programmes.show(pid).status.name.lower(),
          f"programme {pid}, plan {hex32(plan.digest)} anchored")

    # 2. Verification by an accredited verifier (an outsider is refused).
    if not trusted.isTrusted(verifier, CARBON_VERIFIER):
        now = chain.pending_timestamp
        trusted.accredit(verifier, CARBON_VERIFIER, now - 60, now + 365 * 86400, False, sender=gov)
    report_file = docs / "verification-report.txt"
    _doc(report_file, REPORT.format(run=run, subject=subject, tonnes=1300, s1=800, s2=500, verifier=verifier.address))
    report = notary.anchor_files([report_file], sender=verifier)[0]
    check("an unaccredited verifier is refused", "NeutralityProgrammeVerifierNotAccredited",
          _reverted(lambda: programmes.verify(pid, 1300, report.digest, sender=enterprise)))
    programmes.verify(pid, 1300, report.digest, sender=verifier)
    check("emissions verified", 1300, programmes.show(pid).emissions, "1,300 t CO2e, report anchored")

    # 3. The desk retires credits in the enterprise's name (serials drawn fresh for this run).
    base = 100_000_000 + secrets.randbelow(800_000_000)
    vcu = (f"10174-{base}-{base + 799}-VCS-VCU-263-VER-CN-1-1529-01012024-31122024-0")
    ccer = f"CCER-001234-2024-{base}-{base + 399}"
    records = []
    for serial in (vcu, ccer):
        block = parse_serial(serial)
        cancel = _doc(docs / f"cancellation-{block.standard}-{block.first}.txt",
                      CANCELLATION.format(run=run, serial=serial, subject=subject))
        rec, _ = reg.retire(block, beneficiary=enterprise.address, reason="carbon neutrality 2025",
                            cancellation_digest=cancel, trade_digest=_doc(docs / f"trade-{block.first}.txt", serial),
                            programme=pid, sender=desk)
        records.append(rec)
        log(f"  retired {block} ({block.quantity} t) as record {rec.id}")

    # 4. The same credits cannot be counted twice: an overlapping block is refused naming the record.
    overlap = parse_serial(f"10174-{base + 700}-{base + 900}-VCS-VCU-263-VER-CN-1-1529-01012024-31122024-0")
    check("overlapping serials refused", "RetirementRegistryOverlap",
          _reverted(lambda: reg.retire(overlap, beneficiary=enterprise.address, reason="second claim",
                                       cancellation_digest=b"\x01" * 32, trade_digest=b"\x02" * 32, sender=desk)),
          f"serials {overlap.first}-{overlap.last} overlap record {records[0].id}")

    # 5. A correction: the CCER block was entered with the wrong vintage; reversed with a reason, re-retired.
    reg.reverse(records[1].id, "wrong vintage entered", sender=desk)
    fixed = parse_serial(f"CCER-001234-2023-{base}-{base + 399}")
    rec, _ = reg.retire(fixed, beneficiary=enterprise.address, reason="carbon neutrality 2025",
                        cancellation_digest=records[1].cancellation_digest, trade_digest=records[1].trade_digest,
                        programme=pid, sender=desk)
    check("reversal frees the range, corrected record stands", (False, True),
          (reg.contract.isLive(records[1].id), reg.contract.isLive(rec.id)), f"record {records[1].id} -> {rec.id}")
    records[1] = rec

    # 6. Attribution, certification refused until covered, then the top-up and the certificate.
    for r in records:
        programmes.attribute(pid, r.id, sender=enterprise)
    check("certification refused before full coverage", "NeutralityProgrammeNotCovered",
          _reverted(lambda: programmes.certify(pid, b"\x03" * 32, sender=certifier)), "1,200 of 1,300 t retired")
    top = parse_serial(f"GS-GS1247-2024-{base}-{base + 99}")
    rec, _ = reg.retire(top, beneficiary=enterprise.address, reason="carbon neutrality 2025",
                        cancellation_digest=_doc(docs / "cancellation-GS.txt", CANCELLATION.format(
                            run=run, serial=str(top), subject=subject)),
                        trade_digest=_doc(docs / "trade-GS.txt", str(top)), programme=pid, sender=desk)
    programmes.attribute(pid, rec.id, sender=enterprise)
    cert = certify_programme(programmes, pid, out / "reports" / f"neutrality-certificate-{pid}.html",
                             certifier=certifier, notary=notary, network=network)
    p = cert.programme
    check("programme certified at full coverage", ("certified", 1300, 1300),
          (p.status.name.lower(), p.emissions, p.retired), f"coverage {p.coverage_bps / 100:.2f}%")
    check("certificate digest recorded and anchored", (cert.digest, True),
          (p.certificate_digest, notary.is_anchored(cert.digest, Algorithm.SHA256)), hex32(cert.digest))
    status = reg.check_serial(f"{top}@{top.first + 5}")
    check("check-serial finds the record", [rec.id], [r.id for r in status.records], status.lines()[0])
    log(f"neutrality certificate: {cert.path}")
    return steps, cert.path


def neutrality_act(ctx: Any, deploy: Callable[..., Any]) -> list[Check]:
    """The demo act on the project's deployment (``deploy`` deploys or reuses it): personas
    ``enterprise`` and ``verifier``; the admin (who holds every role on a local deployment) governs,
    retires, reverses and certifies. Ends by logging the certificate's path (also added to
    ``ctx.reports``)."""
    import datetime as _dt

    from ..core.deployments import contract
    from ..notary import Notary

    admin = ctx.persona("admin")
    deploy(admin, log=lambda _m: None)
    people = dict(governance=admin, desk=admin, certifier=admin, enterprise=ctx.persona("enterprise"),
                  verifier=ctx.persona("verifier"))
    out = ctx.out / ("neutrality-" + _dt.datetime.now(tz=_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                     + "-" + secrets.token_hex(3))
    checks, cert = neutrality_story(Programmes.deployed(), Notary.deployed(), contract("TrustedIssuerRegistry"), out,
                                    people=people, log=ctx.log, network=ctx.network)
    ctx.reports.append(cert)
    return checks
