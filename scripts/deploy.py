"""ape run deploy [--fresh] [--network ...] [--account ...]: deploy every contract, write deployments/<chain-id>.json."""

import click

from carbonchain.core.cli import account_option, connected, console, network_option, warn_if_ephemeral
from carbonchain.core.deployer import parse_roles
from carbonchain.deploy import deploy_all
from carbonchain.core.network import get_account


@click.command()
@click.option("--fresh", is_flag=True, help="Deploy everything anew even where a live deployment exists.")
@click.option("--admin", default=None, help="Address that receives DEFAULT_ADMIN_ROLE (default: the deployer).")
@click.option("--role", "role_pairs", multiple=True, metavar="NAME=ADDRESS",
              help="Holder of one operational role, e.g. GOVERNANCE_ROLE=0x... (repeat; default on local "
                   "chains: the admin; required elsewhere).")
@click.option("--roles-file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="JSON object {role name: address}; --role entries override it.")
@click.option("--admin-delay", type=int, default=None,
              help="Seconds an admin transfer waits before the new admin can accept it (default: 0 on local "
                   "chains, 2 days elsewhere; 0 is refused off local chains).")
@network_option
@account_option
@connected
def cli(provider, fresh, admin, role_pairs, roles_file, admin_delay, account=None):
    """Deploy (or reuse) every CarbonChain contract and wire the roles."""
    warn_if_ephemeral(provider)
    roles = parse_roles(role_pairs, roles_file)
    deployer = get_account(account)
    result = deploy_all(deployer, admin=admin, fresh=fresh, roles=roles, admin_delay=admin_delay, log=console.print)
    dep = result.deployment
    console.print(
        f"chain {dep.chain_id}: {len(result.deployed)} deployed, {len(result.reused)} reused -> {dep.path}"
    )
