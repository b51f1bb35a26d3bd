"""What the desk CLI shows: agreements and ratios as people read them (shared by scripts and console)."""

from __future__ import annotations

import datetime as _dt
from typing import Sequence

from rich.table import Table

from ..core.reports import utc
from .keeper import Row
from .model import Health, Status, amount_due
from .sdk import AgreementInfo, RatioInfo
from .terms import format_bps, format_cny, format_tonnes

HEALTH_COLOURS = {Health.HEALTHY: "green", Health.WARNING: "yellow", Health.MARGIN_CALL: "dark_orange",
                  Health.CLOSE_OUT_ELIGIBLE: "red"}


def parse_when(text: str | None, default: int) -> int:
    """``now``, unix seconds, ``2026-12-01`` or ``2026-12-01T15:00`` (UTC) -> unix seconds."""
    if text is None or text == "now":
        return default
    if text.isdigit():
        return int(text)
    try:
        d = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {text!r} (write 2026-12-01 or 2026-12-01T15:00, UTC)") from None
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return int(d.timestamp())


def health_text(h: Health) -> str:
    c = HEALTH_COLOURS[h]
    return f"[{c}]{h.label}[/{c}]"


def agreement_lines(a: AgreementInfo, r: RatioInfo | None) -> list[str]:
    t = a.terms
    out = [
        f"repo #{a.id}: {a.status.label}" + (f", {health_text(a.health)} since {utc(a.since)}" if a.status == Status.ACTIVE else ""),
        f"  financier {t.financier}, counterparty {t.counterparty}, market {a.market}",
        f"  collateral {format_tonnes(a.quantity)}; principal {format_cny(a.principal)} CNY + interest "
        f"{format_cny(a.interest)} = due {format_cny(a.amount_due)} CNY",
        f"  rate {format_bps(t.rate_bps)} a year (ACT/365); {utc(t.start)} -> {utc(t.maturity)}",
        f"  lines: warning {format_bps(t.warning_bps)}, margin call {format_bps(t.margin_call_bps)}, close-out "
        f"{format_bps(t.close_out_bps)}; cure {t.cure_period // 3600} h; haircut {format_bps(t.haircut_bps)}",
        f"  contract 0x{t.contract_digest.hex()}; credential 0x{t.credential.hex()}",
    ]
    if a.deadline:
        out.append(f"  margin call deadline {utc(a.deadline)}")
    if a.risk_grade:
        out.append(f"  risk grade {a.risk_grade} (report 0x{a.scoring_report.hex()}), maker {a.approval_maker}"
                   + (f", checker {a.approval_checker}" if int(a.approval_checker, 16) else " (awaiting checker)"))
    if int(a.close_out_maker, 16):
        out.append(f"  close-out proposed by {a.close_out_maker}: proceeds {format_cny(a.close_out_proceeds)} CNY")
    if r is not None:
        out.append("  " + r.line())
    return out


def rows_table(rows: Sequence[Row], *, now: int, title: str = "open repo agreements", limit: int | None = None) -> Table:
    """Agreements with ratio, state and distance to each line; the most at risk first."""
    t = Table(title=title)
    for col in ("id", "due (CNY)", "collateral", "price", "ratio", "state", "to warning", "to margin call",
                "to close-out", "deadline"):
        t.add_column(col, justify="right" if col not in ("state",) else "left")

    def key(r: Row) -> tuple:
        return (r.ratio_bps is None, r.ratio_bps or 0)

    shown = sorted(rows, key=key)[:limit] if limit else sorted(rows, key=key)
    for r in shown:
        p = r.position
        ratio = r.ratio_bps
        state = health_text(p.health)
        if r.implied != p.health:
            state += f" -> {health_text(r.implied)}"
        if r.quote is None or not r.quote.usable:
            state += " [dim](price unusable)[/dim]"

        def dist(line: int) -> str:
            if ratio is None:
                return "-"
            d = ratio - line
            return f"[{'green' if d >= 0 else 'red'}]{d / 100:+.2f} pt[/]"

        t.add_row(
            str(p.id), format_cny(amount_due(p, now)),
            format_tonnes(p.quantity), f"{r.quote.price / 10**8:,.2f}" if r.quote else "-",
            format_bps(ratio) if ratio is not None else "-", state, dist(p.warning_bps), dist(p.margin_call_bps),
            dist(p.close_out_bps), utc(r.deadline) if r.deadline else "",
        )
    return t
