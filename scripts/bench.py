"""ape run bench: measure gas per operation of every domain and write benchmarks/gas.{md,json,html}.

Runs on a fresh anvil of its own (never the persistent node), so the figures are reproducible."""

import click

from carbonchain import bench
from carbonchain.core.cli import connected, console, network_option
from carbonchain.core.network import get_account


@click.command()
@click.option("--out", default=None, help="Folder for gas.md / gas.json / gas.html (default: benchmarks/).")
@click.option("--only", multiple=True, help="Measure only this section (repeatable); the others keep their "
              "committed figures.")
@network_option
@connected(own_chain=True)
def cli(provider, out, only):
    """Deploy fresh contracts and measure the gas of every operation."""
    accounts = [get_account(None, i) for i in range(bench.ACCOUNTS)]
    json_path, md_path = bench.run(accounts, progress=lambda m: console.print(f"  {m}", markup=False), out_dir=out,
                                   only=only)
    console.print(f"wrote {md_path}, {md_path.with_suffix('.html')} and {json_path}")
