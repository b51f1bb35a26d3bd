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
    accounts = [get_account(None, i) for i in range(13)]
    show = lambda m: console.print(f"  {m}", markup=False)  # noqa: E731
    figs = bench.measure_notary(accounts, progress=show)
    oracle = bench.measure_oracle(accounts, progress=show)
    identity = bench.measure_identity(accounts, progress=show)
    credentials = bench.measure_credentials(accounts, progress=show)
    json_path, md_path = bench.write(figs, bench.environment(), out, oracle=oracle, identity=identity,
                                     credentials=credentials)
    console.print(f"wrote {md_path}, {md_path.with_suffix('.html')} and {json_path}")
