"""What a run leaves behind: JUnit XML (CI), and an HTML report (jinja2, inline SVG charts, no CDN)
for the risk officer: verdicts, failed expectations with expected/actual/step/transaction, each
market's price path, each agreement's collateral ratio against its three lines, retired tonnes
against verified emissions, and the event timeline."""

from __future__ import annotations

import datetime as _dt
import html
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..core.reports import now_utc, render_template, write_report
from .context import Chart
from .runner import Result

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
LINE_COLOURS = {"warning": "#e6a700", "margin call": "#e8590c", "close-out": "#c92a2a", "verified emissions": "#495057"}


def _date(ts: float) -> str:
    return _dt.datetime.fromtimestamp(int(ts), tz=_dt.timezone.utc).strftime("%Y-%m-%d")


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"


def svg_chart(chart: Chart, width: int = 720, height: int = 220) -> str:
    """A line chart: steps for each series (values hold until the next point), dashed reference lines."""
    pts = [p for s in chart.series.values() for p in s]
    if not pts:
        return ""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts] + list(chart.lines.values())
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    pad = (y1 - y0) * 0.08 or max(abs(y1) * 0.05, 1)
    y0, y1 = (y0 - pad if y0 - pad >= 0 or y0 < 0 else 0.0), y1 + pad  # counts and tonnes never below 0
    left, right, top, bottom = 64, 210, 14, 28
    pw, ph = width - left - right, height - top - bottom

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * pw

    def Y(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
           f'aria-label="{html.escape(chart.title)}">',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fafafa" stroke="#ddd"/>']
    for frac in (0, 0.5, 1):
        yv = y0 + frac * (y1 - y0)
        out.append(f'<text x="{left - 6}" y="{Y(yv) + 4:.1f}" text-anchor="end" class="tick">{_fmt(yv)}</text>')
    out.append(f'<text x="{left}" y="{height - 8}" class="tick">{_date(x0)}</text>')
    out.append(f'<text x="{left + pw}" y="{height - 8}" text-anchor="end" class="tick">{_date(x1)}</text>')
    legend_y = top + 10
    for label, value in chart.lines.items():
        colour = LINE_COLOURS.get(label, "#868e96")
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{Y(value):.1f}" y2="{Y(value):.1f}" stroke="{colour}" '
                   f'stroke-dasharray="5 4"><title>{html.escape(label)}: {_fmt(value)}</title></line>')
        out.append(f'<text x="{left + pw + 8}" y="{legend_y}" class="legend" fill="{colour}">- - {html.escape(label)} '
                   f'{_fmt(value)}</text>')
        legend_y += 14
    for i, (name, series) in enumerate(chart.series.items()):
        colour = PALETTE[i % len(PALETTE)]
        path: list[str] = []
        for j, (x, y) in enumerate(series):
            if j:
                path.append(f"{X(x):.1f},{Y(series[j - 1][1]):.1f}")
            path.append(f"{X(x):.1f},{Y(y):.1f}")
        if len(series) == 1:
            x, y = series[0]
            out.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="{colour}"/>')
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" points="{" ".join(path)}">'
                   f'<title>{html.escape(name)}</title></polyline>')
        out.append(f'<text x="{left + pw + 8}" y="{legend_y}" class="legend" fill="{colour}">— {html.escape(name)} '
                   f'{_fmt(series[-1][1])}</text>')
        legend_y += 14
    out.append(f'<text x="{left + 4}" y="{top + 12}" class="unit">{html.escape(chart.unit)}</text></svg>')
    return "".join(out)


def svg_timeline(events: list[dict[str, Any]], t0: int, width: int = 640) -> str:
    """Events by scenario day, one row per contract (hover a dot for the event and its step)."""
    if not events:
        return ""
    rows = sorted({e["contract"].split(":")[0] for e in events})
    height = 30 + 22 * len(rows)
    days = [e["day"] for e in events]
    d0, d1 = min(days), max(days)
    if d1 == d0:
        d1 = d0 + 1
    left, right = 150, 20
    pw = width - left - right
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart timeline">']
    for i, row in enumerate(rows):
        y = 18 + 22 * i
        out.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="tick">{html.escape(row)}</text>')
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y}" y2="{y}" stroke="#eee"/>')
    names = sorted({e["event"] for e in events})
    colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    for e in events:
        x = left + (e["day"] - d0) / (d1 - d0) * pw
        y = 18 + 22 * rows.index(e["contract"].split(":")[0])
        out.append(f'<circle cx="{x:.1f}" cy="{y}" r="4" fill="{colour[e["event"]]}" fill-opacity="0.75">'
                   f'<title>day {e["day"]:.2f} {html.escape(e["event"])} ({html.escape(e["step"])})</title></circle>')
    out.append(f'<text x="{left}" y="{height - 4}" class="tick">day {d0:g}</text>')
    out.append(f'<text x="{left + pw}" y="{height - 4}" text-anchor="end" class="tick">day {d1:.4g}</text></svg>')
    return "".join(out)


def _event_rows(events: list[dict[str, Any]], limit: int = 200) -> list[dict[str, Any]]:
    def show(v: Any) -> str:
        if isinstance(v, (bytes, bytearray)):
            return "0x" + bytes(v).hex()[:12] + "…"
        if isinstance(v, (list, tuple)):
            return "(" + ", ".join(show(x) for x in v) + ")"
        text = str(v)
        return text[:10] + "…" if text.startswith("0x") and len(text) == 42 else text

    rows = []
    for e in events[:limit]:
        rows.append({"day": f"{e['day']:.2f}", "contract": e["contract"], "event": e["event"], "step": e["step"],
                     "args": ", ".join(f"{k}={show(v)}" for k, v in e["args"].items()), "tx": e["tx"]})
    return rows


def html_report(results: list[Result], *, network: str, path: str | Path) -> Path:
    """Writes the HTML report of a run."""
    order = {"price": 0, "ratio": 1, "offset": 2}
    scenarios = []
    for r in results:
        charts = sorted(r.charts, key=lambda c: (order.get(c.kind, 9), c.key))
        scenarios.append({
            "r": r,
            "charts": [{"title": c.title, "svg": svg_chart(c)} for c in charts if c.series][:12],
            "more_charts": max(0, len([c for c in charts if c.series]) - 12),
            "timeline": svg_timeline(r.events, r.t0),
            "events": _event_rows(r.events),
        })
    html_text = render_template(
        "scenario_report.html.j2", scenarios=scenarios, network=network, generated=now_utc(),
        passed=sum(r.passed for r in results), total=len(results),
        txs=sum(r.txs for r in results), seconds=sum(r.seconds for r in results),
    )
    return write_report(path, html_text)


def junit_xml(results: list[Result], path: str | Path, *, suite: str = "scenarios") -> Path:
    """One testcase per scenario; failures carry expected/actual/step/line/transaction."""
    root = ET.Element("testsuites")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(results)),
                       failures=str(sum(not r.passed for r in results)), errors="0",
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(ts, "testcase", classname=f"scenarios.{r.scenario.path.stem}", name=r.scenario.name,
                             file=str(r.scenario.path), time=f"{r.seconds:.3f}")
        if not r.passed:
            first = r.failure.message if r.failure else f"{len(r.failed_outcomes)} expectation(s) failed"
            fail = ET.SubElement(case, "failure", message=first.splitlines()[0][:500], type="ScenarioFailure")
            fail.text = r.summary()
        ET.SubElement(case, "system-out").text = f"{r.txs} transactions, {len(r.outcomes)} expectations"
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(p, encoding="utf-8", xml_declaration=True)
    return p
