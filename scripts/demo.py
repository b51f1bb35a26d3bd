"""ape run demo: the end-to-end notary demo on a local node (see carbonchain.demo)."""

import click

from carbonchain.cli import connected, console, network_option
from carbonchain.demo import assert_all_ok, run
from carbonchain.deploy import OPERATOR_ACCOUNTS
from carbonchain.errors import CarbonChainError
from carbonchain.network import get_account
from carbonchain.scenarios import fresh_feeds, identity_scenario, oracle_scenario


@click.command()
@click.option("--out", default="demo-output", show_default=True, help="Folder for documents, proofs and reports.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10_000),
              help="Business records in the Merkle batch.")
@network_option
@connected
def cli(provider, out, batch_size):
    """Notary: three-party fund contract anchored, signed (tx + EIP-712 relay), amended, batched and
    verified with evidence reports. Oracle: four operators, one outlier, one offline, a wild jump."""
    accounts = [get_account(None, i) for i in range(4)]
    console.rule("contract-hash notary")
    steps = run(out, accounts=accounts, batch_size=batch_size, log=console.print,
                network=getattr(provider, "network_choice", ""))
    assert_all_ok(steps)
    console.rule("carbon price oracle")
    operators = [get_account(None, i) for i in OPERATOR_ACCOUNTS]
    console.print("deploying a fresh feed per market for the scenario (operators A-D, quorum 3)")
    feeds = fresh_feeds(accounts[0], operators, quorum=3)
    checks = oracle_scenario(feeds, operators, accounts[0], log=console.print)
    failed = [c for c in checks if not c.ok]
    if failed:
        raise CarbonChainError("oracle scenario failed: " + "; ".join(c.name for c in failed))
    console.rule("identity and credentials")
    from ape import project

    gov = accounts[0]
    dids = gov.deploy(project.DIDRegistry)
    trusted = gov.deploy(project.TrustedIssuerRegistry, gov)
    registry = gov.deploy(project.CredentialRegistry, gov, trusted)
    people = dict(gov=gov, bank=get_account(None, 11), broker=get_account(None, 12),
                  investor=get_account(None, 13), broker2=get_account(None, 14))
    id_checks = identity_scenario(dids, trusted, registry, people, log=console.print)
    failed = [c for c in id_checks if not c.ok]
    if failed:
        raise CarbonChainError("identity scenario failed: " + "; ".join(c.name for c in failed))
    console.print(f"[green]demo passed: {len(steps)} notary checks, {len(checks)} oracle checks, "
                  f"{len(id_checks)} identity checks[/green]; evidence reports in {out}/*/reports/")
