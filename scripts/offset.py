"""ape run offset demand|plan|verify|retire|certify|show|check-serial|reverse|bench: offset
retirement and carbon-neutrality programmes."""

from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_evidence, to_bytes32
from carbonchain.core.jsonio import hex32
from carbonchain.core.network import address_of, get_account
from carbonchain.core.reports import utc
from carbonchain.offset import (
    Programmes,
    Retirements,
    Scope,
    certify_programme,
    parse_period,
    parse_serial,
)


def _digest(value):
    """A 0x-hex digest, or a file whose SHA-256 is taken."""
    if value.startswith("0x") and len(value) == 66:
        return to_bytes32(value)
    p = Path(value)
    if not p.is_file():
        raise CarbonChainError(f"not a file or a 0x digest: {value!r}")
    return digest_evidence(p, Algorithm.SHA256)


@click.group()
def cli():
    """Retire offset credits once and only once, and run carbon-neutrality programmes to a certificate."""


@cli.command()
@click.option("--scope", type=click.Choice(["organisation", "product", "event"]), required=True)
@click.option("--subject", required=True, help="What is made neutral (organisation, product or event; <= 32 bytes).")
@click.option("--period", required=True, help="A year (2025) or START..END dates, end exclusive.")
@click.option("--target-bps", default=10_000, show_default=True, type=click.IntRange(1, 10_000),
              help="Share of verified emissions to offset (10000 = carbon neutral).")
@network_option
@account_option
@connected
def demand(provider, scope, subject, period, target_bps, account=None):
    """Raise a neutrality demand as the sending account (the enterprise)."""
    pid, receipt = Programmes.deployed().demand(scope=Scope.parse(scope), subject=subject,
                                                period=parse_period(period), target_bps=target_bps,
                                                sender=get_account(account))
    console.print(f"programme {pid} raised: tx {receipt.txn_hash}")


@cli.command()
@click.argument("programme_id", type=int)
@click.argument("plan", metavar="PLAN_FILE_OR_DIGEST")
@network_option
@account_option
@connected
def plan(provider, programme_id, plan, account=None):
    """Publish the implementation plan's digest (the enterprise)."""
    digest = _digest(plan)
    receipt = Programmes.deployed().plan(programme_id, digest, sender=get_account(account))
    console.print(f"plan {hex32(digest)} published for programme {programme_id}: tx {receipt.txn_hash}")


@cli.command()
@click.argument("programme_id", type=int)
@click.option("--emissions", required=True, type=click.IntRange(1), help="Verified emissions, whole tonnes CO2e.")
@click.option("--report", required=True, help="Verification report file or its 0x SHA-256 digest.")
@click.option("--period", default=None, help="Verified period (default: the programme's).")
@network_option
@account_option
@connected
def verify(provider, programme_id, emissions, report, period, account=None):
    """Record verified emissions (an accredited CarbonVerifier)."""
    receipt = Programmes.deployed().verify(programme_id, emissions, _digest(report), sender=get_account(account),
                                           period=parse_period(period) if period else None)
    console.print(f"{emissions} t CO2e verified for programme {programme_id}: tx {receipt.txn_hash}")


@cli.command()
@click.argument("serial")
@click.option("--beneficiary", required=True, help="did:ethr DID, address or (local chains) persona name the credits are retired for.")
@click.option("--reason", default="carbon neutrality", show_default=True, help="Short text (<= 32 bytes) or a 0x digest.")
@click.option("--cancellation", required=True, help="Registry cancellation certificate file or its 0x digest.")
@click.option("--trade", required=True, help="Trade confirmation file or its 0x digest.")
@click.option("--programme", "programme_id", default=0, type=int, help="Programme it counts for (and attribute it).")
@network_option
@account_option
@connected
def retire(provider, serial, beneficiary, reason, cancellation, trade, programme_id, account=None):
    """Retire a serial block (Verra VCU block or STANDARD-PROJECT-VINTAGE-first-last); the hint is found here."""
    block = parse_serial(serial)
    sender = get_account(account)
    address = address_of(beneficiary)
    if programme_id:
        Programmes.deployed().check_can_attribute(programme_id, address, sender)
    rec, receipt = Retirements.deployed().retire(
        block, beneficiary=address, reason=reason, cancellation_digest=_digest(cancellation),
        trade_digest=_digest(trade), programme=programme_id, sender=sender,
    )
    console.print(f"record {rec.id}: {block} ({block.quantity} t) retired for {address}: tx {receipt.txn_hash}")
    if programme_id:
        Programmes.deployed().attribute(programme_id, rec.id, sender=sender)
        console.print(f"record {rec.id} attributed to programme {programme_id}")


@cli.command()
@click.argument("record_id", type=int)
@click.option("--reason", required=True, help="Why the retirement is reversed (short text or a 0x digest).")
@network_option
@account_option
@connected
def reverse(provider, record_id, reason, account=None):
    """Reverse a retirement (a linked correction record; the serials become free again); a retirement
    attributed to a programme is also released from its totals."""
    sender = get_account(account)
    rid, receipt = Retirements.deployed().reverse(record_id, reason, sender=sender)
    console.print(f"record {record_id} reversed by reversal {rid}: tx {receipt.txn_hash}")
    pid = Programmes.deployed().release_if_attributed(record_id, sender=sender)
    if pid:
        console.print(f"record {record_id} released from programme {pid}")


@cli.command()
@click.argument("programme_id", type=int)
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="Certificate path (default reports/neutrality-certificate-N.html).")
@network_option
@account_option
@connected
def certify(provider, programme_id, out, account=None):
    """Certify a fully covered programme (certifier role): HTML certificate, its digest on chain and anchored."""
    from carbonchain.notary import Notary

    path = Path(out or f"reports/neutrality-certificate-{programme_id}.html")
    result = certify_programme(Programmes.deployed(), programme_id, path, certifier=get_account(account),
                               notary=Notary.deployed())
    console.print(f"programme {programme_id} certified: digest {hex32(result.digest)}, tx {result.certify_tx}")
    console.print(f"anchored in DocumentRegistry: tx {result.anchor_tx}")
    console.print(f"certificate: {result.path}")


@cli.command()
@click.argument("programme_id", type=int)
@network_option
@connected
def show(provider, programme_id):
    """A programme: status, totals, coverage and its retirements."""
    p = Programmes.deployed().show(programme_id)
    console.print(f"programme {p.id}: {p.subject} ({p.scope.name.lower()}), {p.period}, status {p.status.name.lower()}")
    console.print(f"enterprise {p.enterprise}; plan {hex32(p.plan_digest)}")
    console.print(f"verified emissions {p.emissions} t by {p.verifier} at {utc(p.verified_at)}; "
                  f"retired {p.retired} t of {p.required} t required (coverage {p.coverage_bps / 100:.2f}%)")
    if p.certified_at:
        console.print(f"certified at {utc(p.certified_at)} by {p.certifier}: certificate {hex32(p.certificate_digest)}")
    table = Table("record", "serials", "tonnes", "retired at", "status")
    for r in p.retirements:
        state = "released" if r.id in p.released else ("reversed" if not r.live else "counts")
        table.add_row(str(r.id), str(r.block), str(r.quantity), utc(r.retired_at), state)
    console.print(table)


@cli.command("check-serial")
@click.argument("serial")
@network_option
@connected
def check_serial(provider, serial):
    """Is this serial (STANDARD-PROJECT-VINTAGE-serial, BLOCK@serial) or any of this block retired? By whom, when?"""
    result = Retirements.deployed().check_serial(serial)
    for line in result.lines():
        console.print(line)


@cli.command()
@click.option("--sizes", default="10,1000,10000", show_default=True, help="Earlier records per lot.")
@click.option("--out-dir", default=None, type=click.Path(file_okay=False), help="Default: benchmarks/.")
@network_option
@connected
def bench(provider, sizes, out_dir):
    """Gas of one retirement against the size of its lot, ours vs a looping registry (benchmarks/offset.md).
    Fills 11,010 records: on anvil start the node yourself with a large block gas limit and no step
    tracing (`anvil --port P --gas-limit 1000000000 --accounts 16`) to keep it to a minute or two."""
    from ape import accounts

    from carbonchain.core.bench import environment
    from ape import chain

    from carbonchain.offset.bench import fill_chunks, measure_scaling, write_scaling

    try:
        ns = tuple(int(s) for s in sizes.split(","))
    except ValueError:
        raise CarbonChainError(f"--sizes takes comma-separated counts, got {sizes!r}") from None
    with console.status("measuring") as status:
        figs = measure_scaling(list(accounts.test_accounts), sizes=ns, progress=lambda m: status.update(m))
    env = dict(environment(), block_gas_limit=int(chain.blocks.head.gas_limit), fill_chunk=fill_chunks()[0])
    json_path, md_path = write_scaling(figs, env, out_dir)
    for f in figs:
        console.print(f"{f.operation}: {f.gas:,} gas", markup=False)
    console.print(f"written {md_path} and {json_path}")
