"""ape run deploy [--fresh] [--network ...] [--account ...]: deploy every contract, write deployments/<chain-id>.json."""

import click

from carbonchain.core.cli import account_option, connected, console, network_option, warn_if_ephemeral
from carbonchain.deploy import deploy_all
from carbonchain.core.network import get_account


@click.command()
@click.option("--fresh", is_flag=True, help="Deploy everything anew even where a live deployment exists.")
@click.option("--admin", default=None, help="Address that receives the admin roles (default: the deployer).")
@network_option
@account_option
@connected
def cli(provider, fresh, admin, account=None):
    """Deploy (or reuse) every CarbonChain contract and wire the roles."""
    warn_if_ephemeral(provider)
    deployer = get_account(account)
    result = deploy_all(deployer, admin=admin, fresh=fresh, log=console.print)
    dep = result.deployment
    console.print(
        f"chain {dep.chain_id}: {len(result.deployed)} deployed, {len(result.reused)} reused -> {dep.path}"
    )
