"""The notary's HTML evidence report: what was verified, against which records, and how a third
party re-checks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.hashing import Algorithm
from ..core.jsonio import hex32
from ..core.reports import now_utc, render_template, utc, write_report
from .sdk import REASONS, Verdict


def timeline(verdict: Verdict, width: int = 760) -> list[dict[str, Any]]:
    """Points of the evidence timeline (anchor, each signature, closure) placed on an SVG axis."""
    events: list[tuple[int, str, str]] = []
    if verdict.anchor_tx:
        events.append((verdict.anchor_tx.timestamp, "batch anchored" if verdict.batch else "anchored", "anchor"))
    for s in verdict.signatures:
        if s.signed:
            events.append((s.signed_at, f"signed by {s.signer[:8]}…", "sign"))
    rec = verdict.record
    if rec and rec.closed_at:
        events.append((rec.closed_at, rec.status.lower(), "close"))
    events.sort(key=lambda e: e[0])
    if not events:
        return []
    # Ordinal spacing: on a fast chain several events share a second, so time-proportional
    # positions would pile up; the time is printed under each point instead.
    margin = 110
    step = (width - 2 * margin) / max(len(events) - 1, 1)
    return [
        {"x": round(margin + i * step if len(events) > 1 else width / 2, 1), "label": label, "kind": kind,
         "time": utc(ts), "row": i % 2}
        for i, (ts, label, kind) in enumerate(events)
    ]


def render_evidence(verdict: Verdict, out: str | Path, *, network: str = "") -> Path:
    """Writes the evidence report for a verification and returns its path."""
    html = render_template(
        "evidence.html.j2",
        v=verdict,
        name=Path(verdict.file).name,
        digests=[(a.label, hex32(verdict.digests[a])) for a in Algorithm],
        reasons=REASONS,
        points=timeline(verdict),
        has_metadata=bool(verdict.metadata_digest and any(verdict.metadata_digest)),
        network=network,
        generated=now_utc(),
    )
    return write_report(out, html)
