"""ape run demo: the end-to-end notary demo on a local node (see carbonchain.demo)."""

import click

from carbonchain.cli import connected, console, network_option
from carbonchain.demo import assert_all_ok, run
from carbonchain.network import get_account


@click.command()
@click.option("--out", default="demo-output", show_default=True, help="Folder for documents, proofs and reports.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000),
              help="Business records in the Merkle batch.")
@network_option
@connected
def cli(provider, out, batch_size):
    """Three-party fund contract: anchor, sign (tx + EIP-712 relay), amend, batch, verify, reports."""
    accounts = [get_account(None, i) for i in range(4)]
    steps = run(out, accounts=accounts, batch_size=batch_size, log=console.print,
                network=getattr(provider, "network_choice", ""))
    assert_all_ok(steps)
    console.print(f"[green]demo passed: {len(steps)} checks[/green]; evidence reports in {out}/*/reports/")
