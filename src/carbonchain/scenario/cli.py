"""The logic behind ``ape run scenario``: validate, play with progress, table, JUnit XML, HTML."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..core.cli import console
from ..core.network import connect, without_steps_tracing
from .model import load_all, load_step_modules
from .report import html_report, junit_xml
from .runner import Result, run_all


@contextlib.contextmanager
def quiet_ape() -> Iterator[None]:
    """Ape logs every deployment and confirmation: keep the console to the scenario's own lines."""
    from ape.logging import logger

    level = logger.level
    logger.set_level(logging.WARNING)
    try:
        yield
    finally:
        logger.set_level(level)


def results_table(results: list[Result]) -> Table:
    t = Table(title="scenarios", show_lines=False)
    for col, just in (("scenario", "left"), ("verdict", "left"), ("checks", "right"), ("txs", "right"),
                      ("seconds", "right"), ("tx/s", "right")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in results:
        ok = len(r.outcomes) - len(r.failed_outcomes)
        t.add_row(r.scenario.name, "[green]PASS[/green]" if r.passed else "[red]FAIL[/red]", f"{ok}/{len(r.outcomes)}",
                  str(r.txs), f"{r.seconds:.2f}", f"{r.txs / r.seconds:.0f}" if r.seconds else "-")
    return t


def play(
    targets: list[str],
    *,
    keyword: str | None = None,
    fast: bool = True,
    include_slow: bool = True,
    verbose: bool = False,
    show: bool = True,
) -> list[Result]:
    """Validates, then plays on the connected chain with a progress bar (already connected)."""
    scenarios = load_all(targets, keyword)
    if not include_slow:
        scenarios = [s for s in scenarios if not s.slow]
    total = sum(len(s.steps) for s in scenarios)
    log = console.print if verbose else (lambda _m: None)
    with quiet_ape(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                               console=console, disable=not show, transient=True) as bar:
        task = bar.add_task("scenarios", total=total)

        def on_step(scn: Any, st: Any) -> None:
            bar.update(task, advance=1, description=f"{scn.name}: {st.label}")

        def on_done(r: Result) -> None:
            bar.update(task, completed=sum(len(s.steps) for s in scenarios[: scenarios.index(r.scenario) + 1]))
            if show:
                mark = "[green]PASS[/green]" if r.passed else "[red]FAIL[/red]"
                console.print(f"{mark} {r.scenario.name} ({r.txs} txs, {r.seconds:.1f} s)")
                if not r.passed:
                    console.print(r.summary(), style="red", markup=False)

        return run_all(scenarios, fast=fast, log=log, on_step=on_step, on_done=on_done)


def run_command(targets: list[str], *, keyword: str | None, out: str, fast: bool, network: str | None,
                verbose: bool, include_slow: bool) -> bool:
    load_step_modules()
    load_all(targets, keyword)  # validate every file before connecting: a typo never half-runs
    with without_steps_tracing(), connect(network) as provider:  # an anvil Ape starts: as `make node` runs it
        results = play(targets, keyword=keyword, fast=fast, include_slow=include_slow, verbose=verbose)
        choice = getattr(provider, "network_choice", "") or getattr(provider, "name", "")
    if not results:
        console.print("no scenario matched")
        return False
    console.print(results_table(results))
    folder = Path(out)
    report = html_report(results, network=choice, path=folder / "report.html")
    junit = junit_xml(results, folder / "junit.xml")
    failed = [r for r in results if not r.passed]
    console.print(f"{len(results) - len(failed)}/{len(results)} passed; report {report}, JUnit {junit}")
    return not failed


def print_steps() -> None:
    from ..core import steps as registry

    load_step_modules()
    t = Table(title="scenario steps")
    for col in ("step", "kind", "domain", "fields (* required)", "what"):
        t.add_column(col)
    for name, s in sorted(registry.steps().items(), key=lambda kv: (kv[1].domain, kv[1].kind, kv[0])):
        fields = ", ".join(f"{k}{'*' if k in s.required else ''}" for k in s.properties)
        t.add_row(name, s.kind, s.domain, fields, s.doc)
    console.print(t)
