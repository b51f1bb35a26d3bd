"""ape run credential accredit|issue|verify|revoke|suspend|reinstate|audit: verifiable credentials."""

import json
from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.jsonio import check_output, write_text
from carbonchain.core.network import get_account
from carbonchain.core.reports import utc
from carbonchain.identity import parse_did
from carbonchain.identity.vc import Credentials


def _read_jwt(source):
    """A JWT, a digest, or a file holding either."""
    text = source.strip()
    if text.count(".") == 2 and "/" not in text or text.startswith("0x"):
        return text
    p = Path(text)
    if not p.is_file():
        raise CarbonChainError(f"not a file, a JWT or a digest: {source!r}")
    return p.read_text().strip()


@click.group()
def cli():
    """Issue, verify, suspend and revoke W3C verifiable credentials (VC-JWT) anchored on chain."""


@cli.command()
@click.argument("issuer")
@click.option("--type", "credential_type", required=True, help="Credential type, e.g. ProfessionalInvestor.")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500))
@click.option("--can-accredit", is_flag=True, help="Root issuer may accredit sub-issuers for this type.")
@network_option
@account_option
@connected
def accredit(provider, issuer, credential_type, days, can_accredit, account=None):
    """Accredit ISSUER (DID or address) for a credential type (governance, or a root issuer)."""
    creds = Credentials.deployed()
    receipt = creds.accredit(issuer, credential_type, days, sender=get_account(account), can_accredit=can_accredit)
    console.print(f"{issuer} accredited for {credential_type} for {days} days: tx {receipt.txn_hash}")


@cli.command()
@click.option("--subject", required=True, help="Subject DID (or address).")
@click.option("--type", "credential_type", required=True, help="Credential type, e.g. ProfessionalInvestor.")
@click.option("--claim", "claims", multiple=True, help="key=value claim for credentialSubject (repeatable).")
@click.option("--claims-file", type=click.Path(exists=True, dir_okay=False), help="JSON object of claims.")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500), help="Validity in days.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Where to write the JWT.")
@network_option
@account_option
@connected
def issue(provider, subject, credential_type, claims, claims_file, days, out, account=None):
    """Issue a VC-JWT as the sending account's DID, anchor it, write it to --out and print it.

    --out is checked before anything is sent."""
    check_output(out)
    data = {}
    if claims_file:
        try:
            data = json.loads(Path(claims_file).read_text())
        except json.JSONDecodeError as err:
            raise CarbonChainError(f"{claims_file} is not valid JSON: {err}") from None
        if not isinstance(data, dict):
            raise CarbonChainError(f"{claims_file} must hold a JSON object")
    for c in claims:
        key, sep, value = c.partition("=")
        if not sep or not key:
            raise CarbonChainError(f"--claim takes key=value, got {c!r}")
        data[key] = value
    kept = []  # the JWT is written before it is anchored; removed again if anchoring fails

    def keep(jwt):
        write_text(out, jwt + "\n")
        kept.append(out)

    try:
        jwt = Credentials.deployed().issue(get_account(account), subject, credential_type, data, days=days, keep=keep)
    except BaseException:
        for path in kept:
            Path(path).unlink(missing_ok=True)
        raise
    console.print(f"credential written to {out}")
    console.print(jwt, markup=False)


@cli.command()
@click.argument("jwt_file")
@click.option("--record", is_flag=True, help="Also record the verification on chain (audit trail), as the sender.")
@network_option
@account_option
@connected
def verify(provider, jwt_file, record, account=None):
    """Verify a VC-JWT (file or text): signature, validity, on-chain status, issuer accreditation."""
    creds = Credentials.deployed()
    jwt = _read_jwt(jwt_file)
    v = creds.verify(jwt)
    if v.valid:
        console.print(f"[green]VALID[/green]: {v.credential_type} for {v.subject}, issued by {v.issuer} "
                      f"(signed by {v.signer}, accredited at issuance, status Active)")
    else:
        console.print(f"[red]NOT VALID[/red]: {'; '.join(v.reasons)}")
    if record and v.status is not None:
        receipt = creds.registry.recordVerification(parse_did(v.issuer)[1], v.digest, sender=get_account(account))
        console.print(f"verification recorded: tx {receipt.txn_hash}")
    if not v.valid:
        raise SystemExit(1)


def _change(action, jwt_or_digest, reason, account, issuer=None):
    creds = Credentials.deployed()
    text = _read_jwt(jwt_or_digest)
    digest = creds.digest_of(text)
    sender = get_account(account)
    fn = getattr(creds.registry, action)
    if action == "revoke":  # a credential belongs to its issuer: name it (JWT's iss, --issuer, or the sender)
        owner = issuer or creds.issuer_of(text) or sender.address
        receipt = fn(owner, digest, reason, sender=sender)
    else:
        receipt = fn(digest, sender=sender) if reason is None else fn(digest, reason, sender=sender)
    done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
    console.print(f"credential 0x{digest.hex()} {done}: tx {receipt.txn_hash}")


@cli.command()
@click.argument("credential")
@click.option("--reason", required=True, type=click.IntRange(1, 65535), help="Reason code.")
@click.option("--issuer", default=None,
              help="Issuer address of a bare digest (default: the JWT's issuer, else the sending account).")
@network_option
@account_option
@connected
def revoke(provider, credential, reason, issuer, account=None):
    """Revoke a credential (JWT file, JWT or digest) for good: its issuer or the revoker role."""
    _change("revoke", credential, reason, account, issuer)


@cli.command()
@click.argument("credential")
@click.option("--reason", required=True, type=click.IntRange(1, 65535), help="Reason code.")
@network_option
@account_option
@connected
def suspend(provider, credential, reason, account=None):
    """Suspend a credential (its issuer)."""
    _change("suspend", credential, reason, account)


@cli.command()
@click.argument("credential")
@network_option
@account_option
@connected
def reinstate(provider, credential, account=None):
    """Reinstate a suspended credential (its issuer)."""
    _change("reinstate", credential, None, account)


@cli.command()
@click.argument("subject")
@network_option
@connected
def audit(provider, subject):
    """The audit trail of a subject DID: issued, verified (by whom), suspended, revoked."""
    entries = Credentials.deployed().audit(subject)
    t = Table(title=f"audit trail of {subject}")
    for col in ("time", "event", "credential", "by", "detail", "tx"):
        t.add_column(col)
    for e in entries:
        t.add_row(utc(e.timestamp), e.event, e.digest[:18] + "…", e.actor, e.detail, e.tx[:18] + "…")
    console.print(t)
    console.print(f"{len(entries)} events")
