"""The neutrality certificate: an HTML document (jinja2, inline SVG, no CDN) built from the chain,
whose SHA-256 digest becomes the programme's certificate record and is anchored in DocumentRegistry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_file
from ..core.jsonio import hex32, to_hex
from ..core.reports import now_utc, render_template, utc, write_report
from .programme import FULL_BPS, Programme, Programmes, Status

TEMPLATE = "neutrality_certificate.html.j2"


@dataclass
class CertificateResult:
    path: Path
    digest: bytes
    certify_tx: str
    anchor_tx: str
    programme: Programme


def _coverage_bar(p: Programme) -> dict[str, Any]:
    """Geometry of the inline SVG bar: verified emissions vs standing retired tonnes."""
    width = 560
    scale = max(p.emissions, p.retired, 1)
    return {
        "width": width,
        "emissions": round(width * p.emissions / scale),
        "retired": round(width * p.retired / scale),
        "required": round(width * p.required / scale),
    }


def render_certificate(programmes: Programmes, programme_id: int, path: str | Path, *,
                       document_registry: str | None = None, network: str = "") -> Path:
    """Writes the certificate of a verified, fully covered programme (before or after certification)."""
    from ape import chain

    p = programmes.show(programme_id)
    if p.status < Status.VERIFIED:
        raise CarbonChainError(f"programme {programme_id} is {p.status.name.lower()}: emissions are not verified yet")
    if not p.covered:
        raise CarbonChainError(
            f"programme {programme_id} is not covered: {p.retired} t retired of {p.required} t required"
        )
    standing = [r for r in p.retirements if r.id not in p.released]
    html = render_template(
        TEMPLATE,
        p=p,
        retirements=standing,
        released=[r for r in p.retirements if r.id in p.released],
        coverage_pct=f"{p.coverage_bps / 100:.2f}",
        target_pct=f"{p.target_bps / 100:.2f}",
        full=p.target_bps == FULL_BPS,
        bar=_coverage_bar(p),
        chain_id=chain.chain_id,
        network=network,
        programme_address=programmes.contract.address,
        registry_address=programmes.retirements.contract.address,
        trusted_address=programmes.contract.trustedIssuers(),
        document_registry=document_registry or "-",
        generated=now_utc(),
        utc=utc,
        hex32=hex32,
    )
    return write_report(path, html)


def certify_programme(programmes: Programmes, programme_id: int, out: str | Path, *, certifier: Any,
                      notary: Any, anchorer: Any | None = None, network: str = "") -> CertificateResult:
    """Renders the certificate, records its SHA-256 as the programme's certificate (certifier role),
    then anchors the same digest in DocumentRegistry. Nothing is sent if the programme is not covered."""
    path = render_certificate(programmes, programme_id, out, document_registry=notary.address, network=network)
    digest = digest_file(path, Algorithm.SHA256)
    receipt = programmes.certify(programme_id, digest, sender=certifier)
    anchored = notary.anchor_files([path], sender=anchorer or certifier, algorithm=Algorithm.SHA256)[0]
    return CertificateResult(path, digest, to_hex(receipt.txn_hash), anchored.tx, programmes.show(programme_id))
