"""ape run demo: the end-to-end demo on a local node, one act per domain (see carbonchain.demo)."""

from pathlib import Path

import click

from carbonchain.core.cli import connected, console, network_option
from carbonchain.core.network import get_account
from carbonchain.demo import ACTS, DemoContext, run_acts


@click.command()
@click.option("--out", default="demo-output", show_default=True, help="Folder for documents, proofs and reports.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000),
              help="Business records in the Merkle batch.")
@network_option
@connected
def cli(provider, out, batch_size):
    """Plays every domain's story: notary (three-party fund contract anchored, signed, amended,
    batched, verified with evidence reports), oracle (four operators, one outlier, one offline, a
    wild jump), identity (professional-investor credential from accreditation to revocation)."""
    ctx = DemoContext(out=Path(out), account=lambda i: get_account(None, i),
                      log=console.print, network=getattr(provider, "network_choice", ""), batch_size=batch_size)
    results = run_acts(ctx, rule=console.rule)
    counts = ", ".join(f"{len(results[a.key])} {a.key} checks" for a in ACTS)
    console.print(f"[green]demo passed: {counts}[/green]; evidence reports in {out}/*/reports/")
