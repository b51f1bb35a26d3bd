"""ape run did create|show|add-service|add-key|add-delegate|change-owner: did:ethr identities."""

import json

import click

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.identity import DIDs, KEY_ALGORITHMS, KEY_ENCODINGS, KEY_PURPOSES
from carbonchain.core.network import get_account


def identity_option(f):
    return click.option("--identity", default=None,
                        help="DID or address to act on (default: the sending account's own identity).")(f)


@click.group()
def cli():
    """did:ethr identities on the ERC-1056 DIDRegistry."""


@cli.command()
@click.option("--publish-key", is_flag=True, help="Also publish the account's secp256k1 key as a verification key.")
@network_option
@account_option
@connected
def create(provider, publish_key, account=None):
    """Print the sending account's DID and DID document (every address already is a did:ethr DID)."""
    acct = get_account(account)
    dids = DIDs.deployed()
    if publish_key:
        receipt = dids.add_key(acct.address, dids.public_key_of(acct), sender=acct)
        console.print(f"published the account key: tx {receipt.txn_hash}")
    console.print(dids.did_of(acct))
    console.print_json(json.dumps(dids.document(acct.address)))


@cli.command()
@click.argument("did")
@network_option
@connected
def show(provider, did):
    """Resolve DID (or an address) to its W3C DID document."""
    console.print_json(json.dumps(DIDs.deployed().document(did)))


@cli.command("add-service")
@click.option("--type", "service_type", required=True, help="Service type, one word (e.g. CarbonAccountService).")
@click.option("--endpoint", required=True, help="URL, or a JSON object as text.")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500), help="Validity in days.")
@identity_option
@network_option
@account_option
@connected
def add_service(provider, service_type, endpoint, days, identity, account=None):
    """Publish a service endpoint on the identity's DID document."""
    acct = get_account(account)
    dids = DIDs.deployed()
    receipt = dids.add_service(identity or acct.address, service_type, endpoint, sender=acct, validity_days=days)
    console.print(f"service {service_type} added to {dids.did_of(identity or acct.address)}: tx {receipt.txn_hash}")


@cli.command("add-key")
@click.option("--public-key", default=None, help="Public key as hex (default: the sending account's own key).")
@click.option("--algorithm", type=click.Choice(KEY_ALGORITHMS), default="Secp256k1", show_default=True)
@click.option("--purpose", type=click.Choice(KEY_PURPOSES), default="veriKey", show_default=True)
@click.option("--encoding", type=click.Choice(KEY_ENCODINGS), default="hex", show_default=True)
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500))
@identity_option
@network_option
@account_option
@connected
def add_key(provider, public_key, algorithm, purpose, encoding, days, identity, account=None):
    """Publish a public key (verification, authentication or key agreement)."""
    acct = get_account(account)
    dids = DIDs.deployed()
    if public_key:
        try:
            key = bytes.fromhex(public_key[2:] if public_key.startswith("0x") else public_key)
        except ValueError:
            raise CarbonChainError(f"--public-key is not hex: {public_key!r}") from None
    else:
        key = dids.public_key_of(acct)
    receipt = dids.add_key(identity or acct.address, key, sender=acct, algorithm=algorithm, purpose=purpose,
                           encoding=encoding, validity_days=days)
    console.print(f"{algorithm} {purpose} key added to {dids.did_of(identity or acct.address)}: tx {receipt.txn_hash}")


@cli.command("add-delegate")
@click.argument("delegate")
@click.option("--type", "delegate_type", type=click.Choice(["veriKey", "sigAuth"]), default="veriKey", show_default=True)
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 36500))
@identity_option
@network_option
@account_option
@connected
def add_delegate(provider, delegate, delegate_type, days, identity, account=None):
    """Authorise DELEGATE (address or DID) to sign for the identity."""
    acct = get_account(account)
    dids = DIDs.deployed()
    receipt = dids.add_delegate(identity or acct.address, delegate, sender=acct, delegate_type=delegate_type,
                                validity_days=days)
    console.print(f"delegate {delegate} ({delegate_type}) added: tx {receipt.txn_hash}")


@cli.command("change-owner")
@click.argument("new_owner")
@identity_option
@network_option
@account_option
@connected
def change_owner(provider, new_owner, identity, account=None):
    """Hand the identity to NEW_OWNER (address or DID)."""
    acct = get_account(account)
    dids = DIDs.deployed()
    receipt = dids.change_owner(identity or acct.address, new_owner, sender=acct)
    console.print(f"{dids.did_of(identity or acct.address)} now owned by {new_owner}: tx {receipt.txn_hash}")
