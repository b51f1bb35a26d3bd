"""ape run fund product|open|record|contract|sign|pay|withdraw|revisit|status|evidence: private-fund sales."""

import sys
from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import account_option, connected, console, network_option, warn_if_ephemeral
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.jsonio import hex32, load_json
from carbonchain.core.network import get_account
from carbonchain.core.reports import utc, write_report
from carbonchain.core.units import format_fen, to_fen
from carbonchain.fund import Funds, build_bundle, describe_subscription, render_bundle, summary, verify_bundle

ALGORITHMS = click.Choice(["sha256", "keccak256", "sm3"], case_sensitive=False)
FILE = click.Path(exists=True, dir_okay=False)


def algorithm_option(f):
    return click.option("--algorithm", "-a", type=ALGORITHMS, default="sm3", show_default=True,
                        help="Hash algorithm of the digests.")(f)


def _tx(receipt):
    return f"tx {receipt.txn_hash} block {receipt.block_number} gas {receipt.gas_used}"


@click.group()
def cli():
    """Sell a private fund as an evidence trail: product, qualified and suitable investor, double
    recording, e-contract signed by manager, custodian and investor, payment, cooling-off, return visit."""


@cli.command()
@click.argument("code")
@click.option("--risk", help="Risk level R1-R5 (registering).")
@click.option("--minimum", default="1000000", show_default=True, help="Minimum subscription in CNY (>= 1,000,000).")
@click.option("--custodian", help="Custodian's address or DID (registering).")
@click.option("--template", type=FILE, help="Fund-contract template file: registers the product.")
@click.option("--cooling-off-hours", default=24, show_default=True, type=click.IntRange(24, 720))
@click.option("--open/--close", "open_", default=None, help="Open or close the product for new subscriptions.")
@algorithm_option
@network_option
@account_option
@connected
def product(provider, code, risk, minimum, custodian, template, cooling_off_hours, open_, algorithm, account=None):
    """Register product CODE (with --template), open or close it, and show it."""
    warn_if_ephemeral(provider)
    funds = Funds.deployed()
    sender = get_account(account)
    if template:
        if not risk or not custodian:
            raise CarbonChainError("registering needs --risk, --custodian and --template")
        r = funds.register_product(code, risk=risk, minimum_fen=to_fen(minimum), custodian=custodian,
                                   template=template, algorithm=algorithm, cooling_off=cooling_off_hours * 3600,
                                   open=bool(open_), sender=sender)
        console.print(f"product {code} registered: {_tx(r)}")
    elif open_ is not None:
        r = funds.set_open(code, open_, sender=sender)
        console.print(f"product {code} {'opened' if open_ else 'closed'}: {_tx(r)}")
    p = funds.product(code)
    console.print(f"{p.code}: R{p.risk_level}, minimum CNY {format_fen(p.minimum_fen)}, cooling-off "
                  f"{p.cooling_off // 3600} h, manager {p.manager}, custodian {p.custodian}, template "
                  f"{p.template_algorithm.label} {hex32(p.template_digest)}, {'open' if p.open else 'closed'}")


@cli.command("open")
@click.argument("product_code")
@click.option("--investor", required=True, help="Investor's DID (did:ethr) or address.")
@click.option("--credential", required=True, help="QualifiedInvestor credential: JWT file, JWT or digest.")
@click.option("--issuer", required=True, help="The credential's issuer (DID or address).")
@click.option("--suitability", required=True, help="Investor's rating C1-C5.")
@click.option("--questionnaire", required=True, type=FILE, help="The suitability questionnaire file.")
@algorithm_option
@network_option
@account_option
@connected
def open_(provider, product_code, investor, credential, issuer, suitability, questionnaire, algorithm, account=None):
    """Step 1 (manager): open a subscription to PRODUCT_CODE for a qualified, suitable investor."""
    warn_if_ephemeral(provider)
    sid = Funds.deployed().open(product_code, investor=investor, credential=credential, issuer=issuer,
                                suitability=suitability, questionnaire=questionnaire, algorithm=algorithm,
                                sender=get_account(account))
    console.print(f"subscription #{sid} opened")


@cli.command()
@click.argument("sid", type=int)
@click.argument("recording", type=FILE)
@network_option
@account_option
@connected
def record(provider, sid, recording, account=None):
    """Step 2 (manager): anchor the digest of the sale's double recording."""
    r = Funds.deployed().record(sid, recording, sender=get_account(account))
    console.print(f"#{sid}: double recording anchored: {_tx(r)}")


@cli.command()
@click.argument("sid", type=int)
@click.argument("contract_file", type=FILE)
@algorithm_option
@network_option
@account_option
@connected
def contract(provider, sid, contract_file, algorithm, account=None):
    """Step 3 (manager): anchor the fund contract for signing; once fully signed, attach it."""
    funds = Funds.deployed()
    sender = get_account(account)
    digest = funds.anchor_contract(sid, contract_file, sender=sender, algorithm=algorithm)
    missing = funds.missing_signers(contract_file, algorithm)
    if missing:
        console.print(f"#{sid}: contract {algorithm} {hex32(digest)} anchored; waiting for: {', '.join(missing)} "
                      "(`ape run fund sign`), then run this command again")
        return
    r = funds.attach_contract(sid, contract_file, sender=sender, algorithm=algorithm)
    console.print(f"#{sid}: fully signed contract attached: {_tx(r)}")


@cli.command()
@click.argument("sid", type=int)
@click.argument("contract_file", type=FILE)
@algorithm_option
@network_option
@account_option
@connected
def sign(provider, sid, contract_file, algorithm, account=None):
    """Step 3 (manager, custodian or investor): sign subscription SID's fund contract."""
    funds = Funds.deployed()
    r = funds.sign_contract(contract_file, sender=get_account(account), algorithm=algorithm)
    missing = funds.missing_signers(contract_file, algorithm)
    console.print(f"#{sid}: signed: {_tx(r)}; " + (f"still to sign: {', '.join(missing)}" if missing
                                                   else "fully signed: the manager attaches it with `fund contract`"))


@cli.command()
@click.argument("sid", type=int)
@click.option("--amount", required=True, help="Amount paid, in CNY (e.g. 1,000,000).")
@click.option("--confirmation", required=True, type=FILE, help="The bank's payment confirmation file.")
@network_option
@account_option
@connected
def pay(provider, sid, amount, confirmation, account=None):
    """Step 4 (custodian): confirm the payment; the cooling-off starts."""
    funds = Funds.deployed()
    sender = get_account(account)
    r = funds.pay(sid, to_fen(amount), confirmation, sender=sender)
    ends = funds.subscription(sid, reader=sender).cooling_off_ends_at
    console.print(f"#{sid}: payment of CNY {format_fen(to_fen(amount))} confirmed: {_tx(r)}; cooling-off until {utc(ends)}")


@cli.command()
@click.argument("sid", type=int)
@click.option("--refund", "refund_file", type=FILE, default=None,
              help="Custodian: confirm the refund of a withdrawn subscription with the bank's confirmation file.")
@network_option
@account_option
@connected
def withdraw(provider, sid, refund_file, account=None):
    """Step 5 (investor): withdraw inside the cooling-off; (custodian, --refund FILE) confirm the refund."""
    funds = Funds.deployed()
    sender = get_account(account)
    if refund_file:
        console.print(f"#{sid}: refund confirmed: {_tx(funds.refund(sid, refund_file, sender=sender))}")
    else:
        console.print(f"#{sid}: withdrawn: {_tx(funds.withdraw(sid, sender=sender))}")


@cli.command()
@click.argument("sid", type=int)
@click.argument("visit_record", type=FILE)
@network_option
@account_option
@connected
def revisit(provider, sid, visit_record, account=None):
    """Step 6 (manager): confirm the return visit after the cooling-off; the subscription becomes final."""
    r = Funds.deployed().revisit(sid, visit_record, sender=get_account(account))
    console.print(f"#{sid}: return visit confirmed, subscription final: {_tx(r)}")


@cli.command()
@click.argument("sid", type=int)
@network_option
@account_option
@connected
def status(provider, sid, account=None):
    """Show subscription SID's trail (the regulator role and the subscription's parties)."""
    funds = Funds.deployed()
    s = funds.subscription(sid, reader=get_account(account))
    table = Table(show_header=False)
    for label, value in describe_subscription(s, funds.product(s.product)):
        table.add_row(label, value)
    console.print(table)


@cli.command()
@click.argument("sid", type=int, required=False)
@click.option("--files", "files", multiple=True, type=click.Path(exists=True),
              help="Original files (or folders of them): matched to the items by digest; with --verify, the "
                   "folder holding them.")
@click.option("--out", default="reports", show_default=True, type=click.Path(file_okay=False))
@click.option("--verify", "bundle", type=FILE, default=None, help="Re-check this bundle against the chain and files.")
@network_option
@connected
def evidence(provider, sid, files, out, bundle):
    """Write subscription SID's evidence bundle (JSON + HTML), or re-check one with --verify BUNDLE."""
    funds_files = []
    for f in files:
        p = Path(f)
        funds_files += sorted(x for x in p.iterdir() if x.is_file()) if p.is_dir() else [p]
    if bundle:
        if len(files) > 1 or (files and not Path(files[0]).is_dir()):
            raise CarbonChainError("with --verify, --files takes one folder holding the original files")
        checks = verify_bundle(bundle, files_dir=files[0] if files else None)
        table = Table("item", "holds", "why")
        for c in checks:
            table.add_row(c.key, "yes" if c.holds else "[red]NO[/red]", "; ".join(c.reasons))
        console.print(table)
        ok, total = summary(checks)
        page = Path(out) / (Path(bundle).name.removesuffix(".json") + ".recheck.html")
        write_report(page, render_bundle(load_json(bundle), checks))
        console.print(f"{ok} of {total} items hold" + ("" if ok == total else ": " + ", ".join(
            c.key for c in checks if not c.holds) + " do not") + f"; page with the re-check: {page}")
        if ok != total:
            sys.exit(1)
        return
    if sid is None:
        raise CarbonChainError("give a subscription id, or --verify BUNDLE")
    json_path, html_path = build_bundle(Funds.deployed(), sid, files=funds_files, out_dir=out)
    console.print(f"evidence bundle: {json_path} and {html_path}")
