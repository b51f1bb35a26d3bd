"""ape run bench: measure gas per operation and write benchmarks/gas.md and benchmarks/gas.json."""

import click

from carbonchain import bench
from carbonchain.cli import connected, console, network_option
from carbonchain.network import get_account


@click.command()
@click.option("--out", default=None, help="Folder for gas.md / gas.json (default: benchmarks/).")
@network_option
@connected
def cli(provider, out):
    """Deploy fresh contracts and measure the gas of every operation."""
    accounts = [get_account(None, i) for i in range(4)]
    figs = bench.measure_notary(accounts, progress=lambda m: console.print(f"  {m}", markup=False))
    json_path, md_path = bench.write(figs, bench.environment(), out)
    console.print(f"wrote {md_path} and {json_path}")
