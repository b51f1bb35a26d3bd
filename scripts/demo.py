"""ape run demo: the end-to-end demo on a local node, one act per domain (see carbonchain.demo)."""

from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import connected, console, network_option
from carbonchain.core.network import get_account
from carbonchain.core.story import show
from carbonchain.demo import ACTS, DemoContext, run_acts


def _quiet_ape(verbose: bool) -> None:
    """Ape logs every confirmed transaction and deployment at INFO; the story shows them only with -v."""
    from ape.logging import LogLevel, logger

    logger.set_level(LogLevel.INFO if verbose else LogLevel.WARNING)


@click.command()
@click.option("--out", default="demo-output", show_default=True, help="Folder for documents, proofs and reports.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000),
              help="Business records in the Merkle batch.")
@click.option("-v", "--verbose", is_flag=True, help="Also show Ape's transaction log.")
@network_option
@connected(own_chain=True)
def cli(provider, out, batch_size, verbose):
    """Plays every domain's story, one act each, and checks every outcome on chain."""
    _quiet_ape(verbose)
    ctx = DemoContext(out=Path(out), account=lambda i: get_account(None, i), log=console.print,
                      network=getattr(provider, "network_choice", ""), batch_size=batch_size)
    results = run_acts(ctx, rule=lambda title: console.rule(f"[bold]{title}[/bold]"))
    table = Table(title="Checks", show_lines=False)
    for col in ("act", "check", "result"):
        table.add_column(col)
    for act in ACTS:
        for c in results.get(act.key, []):
            table.add_row(act.title, c.name, ("✓ " if c.ok else "✗ ") + show(c.got))
    console.print(table)
    total = sum(len(v) for v in results.values())
    console.print(f"[green]demo passed: {total} checks in {len(results)} acts[/green]")
    for path in ctx.reports:
        console.print(f"  report: {path}")
