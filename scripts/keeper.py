"""ape run keeper --once | --watch: the repo keeper. Reads every open agreement in a few batched
calls, computes ratios off chain, calls ``check`` for those whose health would change, and anchors a
notice for every new Warning, MarginCall and CloseOutEligible. Safe to kill and restart."""

import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.deployments import contract, current
from carbonchain.core.network import get_account
from carbonchain.repo import Keeper, Repo
from carbonchain.repo.desk import rows_table


@click.command()
@click.option("--once", "mode", flag_value="once", default=True, help="One pass, then exit (default).")
@click.option("--watch", "mode", flag_value="watch", help="Repeat every --interval seconds until stopped.")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(min=0.1))
@click.option("--cycles", default=None, type=click.IntRange(min=1), help="With --watch: stop after N passes.")
@click.option("--chunk", default=1000, show_default=True, type=click.IntRange(1, 5000), help="Agreements per batch read.")
@click.option("--batch", default=200, show_default=True, type=click.IntRange(1, 2000), help="Agreements per check transaction.")
@click.option("--dry-run", is_flag=True, help="Scan and show; send nothing.")
@click.option("--notices", default="reports/notices", show_default=True, help="Folder for the HTML notices.")
@click.option("--limit", default=30, show_default=True, help="Rows of the table (most at risk first).")
@network_option
@account_option
@connected
def cli(provider, mode, interval, cycles, chunk, batch, dry_run, notices, limit, account=None):
    """Watch the repo agreements' collateral health."""
    from ape import chain

    dep = current()
    repo = Repo.deployed()
    sender = get_account(account)
    state = Path(".keeper") / f"{chain.chain_id}-{repo.address}.json"
    keeper = Keeper(repo, contract("DocumentRegistry"), sender, from_block=dep.block or 0, chunk=chunk, batch=batch,
                    notices_dir=Path(notices), state_file=state,
                    log=lambda m: console.print(m if not m.startswith("error") else f"[red]{m}[/red]"))
    console.print(f"keeper {sender.address} on RepoManager {repo.address}{' (dry run)' if dry_run else ''}")
    n = 0
    while True:
        n += 1
        with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), console=console,
                      transient=True) as bar:
            task = bar.add_task("scan", total=None)
            res = keeper.run_once(send=not dry_run,
                                  progress=lambda done, total: bar.update(task, completed=done, total=total))
        s = res.scan
        console.print(rows_table(s.rows, now=s.now, limit=limit))
        console.print(
            f"{len(s.rows)} open, {len(s.candidates)} to check, read in {s.rpc_calls} RPC call(s) / {s.seconds:.2f} s; "
            f"checked {len(res.checked)}, {res.changes} health change(s), {res.anchored} notice(s) anchored"
        )
        if mode == "once" or (cycles and n >= cycles):
            break
        time.sleep(interval)
