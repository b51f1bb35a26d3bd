"""ape run repo propose|approve|confirm|activate|top-up|repay|repurchase|default|close-out|cancel|show|list:
the carbon repo desk. Amounts as people write them (``1,000,000.00`` CNY, ``5000`` t, ``160%``)."""

from pathlib import Path

import click

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_evidence
from carbonchain.core.network import address_of, get_account
from carbonchain.identity import credential_digest
from carbonchain.oracle import market_code
from carbonchain.repo import Repo, RpcReader, Terms, format_cny, parse_bps, parse_cny, parse_tonnes, scan, to_ref
from carbonchain.repo.desk import agreement_lines, parse_when, rows_table

DAY = 86_400


def _done(what, receipt=None):
    console.print(f"[green]{what}[/green]" + (f" (tx {receipt.txn_hash})" if receipt is not None else ""))


def _digest(value, algorithm):
    """0x-digest as given, or a file hashed with the algorithm."""
    text = str(value)
    if text.startswith("0x") and len(text) == 66:
        return bytes.fromhex(text[2:])
    return digest_evidence(text, Algorithm.parse(algorithm))


def _credential(value):
    """The credential's record key (credentialId(issuer, digest): a credential belongs to its issuer), from
    the VC-JWT (or a file holding it), or given as 0x."""
    text = str(value).strip()
    if Path(text).is_file():
        text = Path(text).read_text().strip()
    if text.count(".") == 2:
        from eth_abi import encode
        from eth_utils import keccak

        from carbonchain.identity import decode_jwt, parse_did

        issuer = parse_did(str(decode_jwt(text)[1].get("iss")))[1]
        return keccak(encode(["address", "bytes32"], [issuer, credential_digest(text)]))
    return to_ref(text)


@click.group()
def cli():
    """The carbon repo desk: agreements, approvals, confirmations and their health."""


@cli.command()
@click.option("--counterparty", required=True, help="The enterprise: address, did:ethr DID or (local chains) persona name.")
@click.option("--financier", default=None, help="The desk account, as --counterparty (default: the sending account).")
@click.option("--market", default="CEA", show_default=True)
@click.option("--quantity", required=True, help="Collateral, whole tonnes (5000 or 5,000 t).")
@click.option("--principal", required=True, help="CNY (1,000,000.00).")
@click.option("--rate", required=True, help="Repurchase rate a year: 4.5% or 450 (bps).")
@click.option("--start", default="now", help="now, 2026-12-01 or unix seconds (UTC).")
@click.option("--days", default=None, type=click.IntRange(1, 3650), help="Tenor in days (or --maturity).")
@click.option("--maturity", default=None, help="2027-03-01 or unix seconds (UTC).")
@click.option("--warning", default="160%", show_default=True)
@click.option("--margin-call", default="140%", show_default=True)
@click.option("--close-out", default="120%", show_default=True)
@click.option("--cure-hours", default=48, show_default=True, type=click.IntRange(1, 720))
@click.option("--haircut", default="70%", show_default=True, help="Principal <= quantity x price x haircut.")
@click.option("--contract", "contract_", required=True, help="The signed repo contract: a file or its 0x digest.")
@click.option("--algorithm", default="sha256", show_default=True, help="Hash algorithm of the contract digest.")
@click.option("--credential", required=True,
              help="The counterparty's CarbonAccountHolder credential: VC-JWT or JWT file (its issuer and digest), "
                   "or the 0x record key CredentialRegistry.credentialId(issuer, digest).")
@network_option
@account_option
@connected
def propose(provider, counterparty, financier, market, quantity, principal, rate, start, days, maturity, warning,
            margin_call, close_out, cure_hours, haircut, contract_, algorithm, credential, account=None):
    """Propose an agreement (financier or counterparty)."""
    from ape import chain

    sender = get_account(account)
    begin = parse_when(start, chain.pending_timestamp)
    if (days is None) == (maturity is None):
        raise CarbonChainError("give either --days or --maturity")
    end = begin + days * DAY if days else parse_when(maturity, 0)
    terms = Terms(
        financier=address_of(financier) if financier else sender.address,
        counterparty=address_of(counterparty), market=market_code(market),
        quantity=parse_tonnes(quantity), principal=parse_cny(principal), rate_bps=parse_bps(rate), start=begin,
        maturity=end, warning_bps=parse_bps(warning), margin_call_bps=parse_bps(margin_call),
        close_out_bps=parse_bps(close_out), cure_period=cure_hours * 3600, haircut_bps=parse_bps(haircut),
        contract_digest=_digest(contract_, algorithm), contract_algorithm=int(Algorithm.parse(algorithm)),
        credential=_credential(credential),
    )
    rid = Repo.deployed().propose(terms, sender=sender)
    _done(f"proposed repo #{rid}: {parse_tonnes(quantity):,} t against {format_cny(parse_cny(principal))} CNY")


@cli.command()
@click.argument("rid", type=int)
@click.option("--grade", required=True, type=click.IntRange(1, 10), help="Applicant's risk grade (1 best).")
@click.option("--report", required=True, help="The scoring report: a file or its 0x digest.")
@network_option
@account_option
@connected
def approve(provider, rid, grade, report, account=None):
    """Maker: propose the approval with risk grade and scoring report (risk role)."""
    r = Repo.deployed().propose_approval(rid, grade, report, sender=get_account(account))
    _done(f"approval of #{rid} proposed (grade {grade}); a second risk officer runs `repo confirm {rid} --approval`", r)


@cli.command()
@click.argument("rid", type=int)
@click.option("--approval", "what", flag_value="approval", default=True, help="Confirm the approval (default).")
@click.option("--close-out", "what", flag_value="close-out", help="Confirm the close-out.")
@network_option
@account_option
@connected
def confirm(provider, rid, what, account=None):
    """Checker: a second risk officer confirms an approval or a close-out."""
    repo = Repo.deployed()
    sender = get_account(account)
    if what == "approval":
        _done(f"repo #{rid} approved", repo.confirm_approval(rid, sender=sender))
    else:
        r = repo.confirm_close_out(rid, sender=sender)
        (ev,) = r.decode_logs(repo.contract.RepoClosedOut)
        _done(f"repo #{rid} closed out: proceeds {format_cny(ev.proceeds)}, due {format_cny(ev.amountDue)}, "
              f"shortfall {format_cny(ev.shortfall)}, surplus {format_cny(ev.surplus)} CNY", r)


@cli.command()
@click.argument("rid", type=int)
@click.option("--ref", required=True, help="The exchange's transfer confirmation: a file or its 0x digest.")
@network_option
@account_option
@connected
def activate(provider, rid, ref, account=None):
    """Custodian: confirm the allowance transfer; the agreement is active."""
    _done(f"repo #{rid} active", Repo.deployed().activate(rid, ref, sender=get_account(account)))


@cli.command("top-up")
@click.argument("rid", type=int)
@click.argument("tonnes")
@click.option("--ref", required=True, help="The exchange's confirmation: a file or its 0x digest.")
@network_option
@account_option
@connected
def top_up(provider, rid, tonnes, ref, account=None):
    """Custodian: confirm a top-up of collateral (cures at once when the ratio is restored)."""
    repo = Repo.deployed()
    r = repo.top_up(rid, parse_tonnes(tonnes), ref, sender=get_account(account))
    _done(f"repo #{rid}: +{parse_tonnes(tonnes):,} t", r)
    console.print(repo.ratio(rid).line())


@cli.command()
@click.argument("rid", type=int)
@click.argument("amount")
@click.option("--ref", required=True, help="The bank's payment slip: a file or its 0x digest.")
@network_option
@account_option
@connected
def repay(provider, rid, amount, ref, account=None):
    """Financier: confirm a partial repayment of principal (CNY)."""
    repo = Repo.deployed()
    r = repo.repay(rid, parse_cny(amount), ref, sender=get_account(account))
    _done(f"repo #{rid}: repaid {format_cny(parse_cny(amount))} CNY", r)
    console.print(repo.ratio(rid).line())


@cli.command()
@click.argument("rid", type=int)
@click.option("--ref", required=True, help="The exchange's return confirmation: a file or its 0x digest.")
@network_option
@account_option
@connected
def repurchase(provider, rid, ref, account=None):
    """Custodian: confirm the return of the allowances (at or before maturity)."""
    repo = Repo.deployed()
    r = repo.repurchase(rid, ref, sender=get_account(account))
    (ev,) = r.decode_logs(repo.contract.RepoRepurchased)
    _done(f"repo #{rid} repurchased: principal {format_cny(ev.principal)} + interest {format_cny(ev.interest)} CNY", r)


@cli.command("default")
@click.argument("rid", type=int)
@network_option
@account_option
@connected
def default_(provider, rid, account=None):
    """Financier: declare an agreement past maturity in default."""
    repo = Repo.deployed()
    r = repo.declare_default(rid, sender=get_account(account))
    (ev,) = r.decode_logs(repo.contract.RepoDefaulted)
    _done(f"repo #{rid} in default: {format_cny(ev.amountDue)} CNY due", r)


@cli.command("close-out")
@click.argument("rid", type=int)
@click.option("--proceeds", required=True, help="Disposal proceeds, CNY.")
@click.option("--ref", required=True, help="The disposal report: a file or its 0x digest.")
@network_option
@account_option
@connected
def close_out(provider, rid, proceeds, ref, account=None):
    """Maker: propose the close-out with its proceeds (risk role)."""
    r = Repo.deployed().propose_close_out(rid, parse_cny(proceeds), ref, sender=get_account(account))
    _done(f"close-out of #{rid} proposed; a second risk officer runs `repo confirm {rid} --close-out`", r)


@cli.command()
@click.argument("rid", type=int)
@network_option
@account_option
@connected
def cancel(provider, rid, account=None):
    """Financier or counterparty: cancel before activation."""
    _done(f"repo #{rid} cancelled", Repo.deployed().cancel(rid, sender=get_account(account)))


@cli.command()
@click.argument("rid", type=int)
@network_option
@connected
def show(provider, rid):
    """One agreement: terms, state, amounts, ratio and what the next check would do."""
    repo = Repo.deployed()
    a = repo.agreement(rid)
    for line in agreement_lines(a, repo.ratio(rid)):
        console.print(line)


@cli.command("list")
@click.option("--limit", default=50, show_default=True, help="Rows shown (most at risk first).")
@network_option
@connected
def list_(provider, limit):
    """Open agreements with ratio, state and distance to each line (batch reads)."""
    repo = Repo.deployed()
    reader = RpcReader()
    s = scan(reader, repo.address)
    console.print(rows_table(s.rows, now=s.now, limit=limit))
    console.print(f"{len(s.rows)} open agreement(s), read in {s.rpc_calls} RPC call(s)")
    for e in s.errors:
        console.print(f"[red]error: {e}[/red]")


@cli.command()
@click.option("--sizes", default="10,1000,10000", show_default=True, help="Open agreements at each keeper scan.")
@click.option("--out", default=None, help="Folder for repo.json / repo.md (default: benchmarks/).")
@network_option
@connected
def bench(provider, sizes, out):
    """Gas of every call, check() scaling, and keeper scans (fresh contracts; run it on anvil)."""
    from carbonchain.repo import bench as repo_bench

    accounts = [get_account(None, i) for i in range(16)]
    json_path, md_path = repo_bench.run(accounts, sizes=[int(s) for s in sizes.split(",")],
                                        progress=lambda m: console.print(f"  {m}", markup=False), out_dir=out)
    console.print(f"wrote {md_path} and {json_path}")
