"""The demo's last act: the flagship scenario files (tagged ``flagship``) played on the demo's chain,
each isolated, with the HTML report and JUnit XML written beside the other acts' output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.deployments import project_root
from ..core.story import Check
from .cli import quiet_ape
from .model import load_all
from .report import html_report, junit_xml
from .runner import run_all


def flagship_act(ctx: Any, out: Path) -> list[Check]:
    """``ctx``: the demo context (log, network, reports); ``out``: this run's folder."""
    scenarios = [s for s in load_all([project_root() / "scenarios"]) if "flagship" in s.tags]
    ctx.log(f"playing {len(scenarios)} flagship scenario files: " + ", ".join(s.name for s in scenarios))

    def done(r: Any) -> None:
        ctx.log(f"{'✓' if r.passed else '✗'} {r.scenario.title}: {len(r.outcomes)} expectations, "
                f"{r.txs} transactions, {r.seconds:.1f} s" + ("" if r.passed else f"\n{r.summary()}"))

    with quiet_ape():
        results = run_all(scenarios, on_done=done)
    folder = out / "scenarios"
    report = html_report(results, network=ctx.network, path=folder / "report.html")
    junit_xml(results, folder / "junit.xml")
    ctx.reports.append(report)
    return [Check(f"scenario {r.scenario.name}", "PASS", "PASS" if r.passed else "FAIL",
                  f"{len(r.outcomes)} expectations, {r.txs} transactions") for r in results]
