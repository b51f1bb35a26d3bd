"""Notices of Warning, MarginCall and CloseOutEligible: HTML rendered from the HealthChanged event
(deterministic: the same event always gives the same bytes), saved, and its SHA-256 anchored in
DocumentRegistry, so a keeper restarted after a crash finds it anchored and never sends it twice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.reports import render_template
from .model import Health
from .sdk import AgreementInfo
from .terms import format_bps, format_cny, format_tonnes

TITLES = {Health.WARNING: "Collateral warning", Health.MARGIN_CALL: "Margin call",
          Health.CLOSE_OUT_ELIGIBLE: "Close-out eligible"}
COLOURS = {Health.WARNING: "#c98a00", Health.MARGIN_CALL: "#d0551f", Health.CLOSE_OUT_ELIGIBLE: "#b00020"}
ZERO = b"\x00" * 32
#: Metadata digest on the DocumentRegistry record: which kind of document this is.
NOTICE_METADATA = digest_bytes(b"carbonchain:repo-notice:v1", Algorithm.SHA256)


@dataclass(frozen=True)
class Notice:
    id: int
    health: Health
    html: str
    digest: bytes
    path: Path


def render_notice(a: AgreementInfo, ev: Any, *, repo: str, documents: str, chain_id: int, block: int, tx: str) -> str:
    h = Health(int(ev.health))
    ratio = int(ev.ratioBps)
    t = a.terms
    top = max(t.warning_bps * 1.25, ratio * 1.05, 1)
    scale = 740 / top
    n = dict(
        id=a.id, repo=repo, documents=documents, chain_id=chain_id, health=h.label, financier=t.financier,
        counterparty=t.counterparty, market=a.market, quantity=format_tonnes(a.quantity),
        principal=format_cny(a.principal), rate=format_bps(t.rate_bps), start=t.start, maturity=t.maturity,
        price=f"{int(ev.price) / 10**8:,.2f}", round_id=int(ev.roundId), ratio=format_bps(ratio),
        warning=format_bps(t.warning_bps), margin_call=format_bps(t.margin_call_bps), close_out=format_bps(t.close_out_bps),
        since=int(ev.since), deadline=int(ev.deadline), contract_digest="0x" + t.contract_digest.hex(), block=block, tx=tx,
    )
    bars = [dict(x=round(v * scale, 1), colour=c, label=lbl) for v, c, lbl in (
        (t.warning_bps, "#c98a00", "warning"), (t.margin_call_bps, "#d0551f", "margin call"),
        (t.close_out_bps, "#b00020", "close-out"))]
    return render_template("repo_notice.html.j2", n=n, title=TITLES[h], colour=COLOURS[h], bars=bars,
                           ratio_x=round(min(ratio * scale, 740), 1))


def notice_for(a: AgreementInfo, ev: Any, *, out_dir: Path, **where: Any) -> Notice:
    html = render_notice(a, ev, **where)
    digest = digest_bytes(html.encode(), Algorithm.SHA256)
    h = Health(int(ev.health))
    path = out_dir / f"repo-{a.id}-{h.label}-{int(ev.since)}.html"
    return Notice(a.id, h, html, digest, path)


def publish_notice(notice: Notice, documents: Any, *, sender: Any) -> bool:
    """Writes the file and anchors its digest unless already anchored; True when it anchored now."""
    notice.path.parent.mkdir(parents=True, exist_ok=True)
    notice.path.write_text(notice.html)
    sha = int(Algorithm.SHA256)
    if documents.isAnchored(getattr(sender, "address", sender), notice.digest, sha):
        return False
    documents.anchor(notice.digest, sha, NOTICE_METADATA, [], sender=sender)
    return True
