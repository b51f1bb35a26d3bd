"""ape run dashboard index|serve: the regulator's view of every audit trail, indexed from the chain."""

import threading
import time

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from carbonchain.audit import AUDITS
from carbonchain.core.cli import connected, console, network_option
from carbonchain.core.deployments import current
from carbonchain.core.errors import describe
from carbonchain.dashboard import Indexer
from carbonchain.dashboard.paths import default_db

db_option = click.option("--db", "db_path", default=None,
                         help="The index file (default: $CARBONCHAIN_DASHBOARD_DB or dashboard.sqlite in the project).")


def _index(indexer):
    with Progress(TextColumn("indexing blocks"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[events]} events"),
                  TimeRemainingColumn(), console=console, transient=True) as progress:
        task = progress.add_task("index", total=None, events=0)

        def step(done, total, events):
            progress.update(task, completed=done, total=total, events=events)

        result = indexer.run(progress=step)
    if result.fresh:
        console.print(f"indexed afresh ({result.reason})")
    rate = result.events / result.seconds if result.seconds else 0
    console.print(f"indexed blocks {result.from_block}..{result.to_block}: {result.events} new events "
                  f"in {result.seconds:.1f} s ({rate:,.0f} events/s) into {indexer.path}")
    return result


@click.group()
def cli():
    """The regulator's view: index every event of the deployed contracts into SQLite, then serve
    the audit trails read-only on 127.0.0.1."""


@cli.command()
@db_option
@click.option("--chunk", default=2000, show_default=True, type=click.IntRange(1, 100_000), help="Blocks per chunk.")
@network_option
@connected
def index(provider, db_path, chunk):
    """Index (or catch up) every event of the deployments file's contracts from its block."""
    _index(Indexer(db_path or default_db(), current(), AUDITS, chunk_blocks=chunk))


@cli.command()
@db_option
@click.option("--port", default=8700, show_default=True, type=click.IntRange(1, 65535))
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.2, 3600),
              help="Seconds between looks for new blocks.")
@network_option
@connected
def serve(provider, db_path, port, interval):
    """Serve the page on http://127.0.0.1:PORT (read-only), indexing new blocks as they come."""
    from carbonchain.dashboard.app import make_app, serve as run_server

    indexer = Indexer(db_path or default_db(), current(), AUDITS)
    _index(indexer)
    stop = threading.Event()

    def follow():
        while not stop.wait(interval):
            try:
                r = indexer.run()
                if r.events or r.fresh:
                    console.print(f"indexed {r.events} new events up to block {r.to_block}"
                                  + (f" (afresh: {r.reason})" if r.fresh else ""))
            except Exception as err:  # the page keeps serving what is indexed
                console.print(f"[yellow]indexing paused: {describe(err)}[/yellow]")
                time.sleep(interval)

    threading.Thread(target=follow, daemon=True, name="dashboard-indexer").start()
    console.print(f"regulator's view on http://127.0.0.1:{port}/ (read-only; Ctrl-C to stop)")
    try:
        run_server(make_app(indexer.path, AUDITS), port)
    finally:
        stop.set()


@cli.command()
@click.option("--events", default=10_000, show_default=True, type=click.IntRange(2_000, 1_000_000))
@click.option("--out", default="benchmarks/dashboard.md", show_default=True)
@network_option
@connected
def bench(provider, events, out):
    """Indexing speed (events/s) and the served time of a DID page with 1,000 events -> benchmarks/dashboard.md."""
    from pathlib import Path

    from carbonchain.core.network import get_account
    from carbonchain.dashboard.bench import measure, render

    figures = measure([get_account(None, i) for i in range(4)], AUDITS, total=events,
                      log=lambda m: console.print(m) if m.startswith("indexed") else None)
    lines = render(figures)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines))
    console.print(f"{figures.events_per_second:,.0f} events/s; DID page {figures.page_median_ms:.0f} ms -> {out}")
