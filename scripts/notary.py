"""ape run notary anchor|sign|relay|revoke|supersede|batch|verify|show: the contract-hash notary."""

from pathlib import Path

import click

from carbonchain.core.cli import (
    account_option,
    allow_empty_option,
    connected,
    console,
    hashing_progress,
    network_option,
    warn_if_ephemeral,
)
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_file, refuse_empty, to_bytes32
from carbonchain.core.network import address_of, get_account
from carbonchain.core.jsonio import check_fields, check_output, hex32, load_json, write_json
from carbonchain.notary import REASONS, Notary, render_evidence
from carbonchain.core.reports import utc

ALGORITHMS = click.Choice(["sha256", "keccak256", "sm3"], case_sensitive=False)


def algorithm_option(f):
    return click.option("--algorithm", "-a", type=ALGORITHMS, default="sha256", show_default=True,
                        help="Hash algorithm of the digest.")(f)


def _record_digest(value, algorithm):
    """A record named by its 0x digest, or by the file it was anchored from (hashed with --algorithm)."""
    text = str(value).strip()
    if not (text.startswith("0x") and len(text) == 66) and Path(text).is_file():
        return digest_file(text, Algorithm.parse(algorithm))
    return to_bytes32(text)


def _anchorer_address(_ctx, _param, value):
    return None if value is None else address_of(value)


def anchorer_option(required: bool, help_text: str):
    def deco(f):
        return click.option("--anchorer", required=required, default=None, callback=_anchorer_address,
                            help=help_text + " Address, persona name or DID.")(f)
    return deco


@click.group()
def cli():
    """Anchor, sign and verify business documents on the DocumentRegistry."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--signer", "signers", multiple=True, help="Who must sign: address, did:ethr DID or (local chains) persona name; repeat for each party.")
@click.option("--uri", default=None, help="Where the document is kept (goes into the metadata digest only).")
@algorithm_option
@allow_empty_option
@network_option
@account_option
@connected
def anchor(provider, files, signers, uri, algorithm, allow_empty, account=None):
    """Anchor FILES (all in one transaction, or none) with the parties that must sign them."""
    refuse_empty(files, allow_empty)
    warn_if_ephemeral(provider)
    notary = Notary.deployed()
    with hashing_progress(files) as progress:
        results = notary.anchor_files(files, sender=get_account(account), algorithm=algorithm,
                                      signers=[address_of(s) for s in signers],
                                      uri=uri, progress=progress)
    for r in results:
        console.print(f"anchored {r.file}: {r.algorithm.label} {hex32(r.digest)}")
    r = results[0]
    console.print(f"tx {r.tx} block {r.block} gas {r.gas_used}; signers required: {len(signers)}")


@cli.command()
@click.argument("digest", metavar="DIGEST_OR_FILE")
@algorithm_option
@anchorer_option(False, "Address that anchored the record to sign (records belong to their anchorer; "
                        "needed when several accounts anchored the digest).")
@click.option("--offline", "offline_out", type=click.Path(dir_okay=False), default=None,
              help="Do not send: write the EIP-712 signature to this file for anyone to relay.")
@network_option
@account_option
@connected
def sign(provider, digest, algorithm, anchorer, offline_out, account=None):
    """Sign ANCHORER's record of DIGEST as the sending account (or write an offline EIP-712 signature)."""
    notary = Notary.deployed()
    signer = get_account(account)
    d = _record_digest(digest, algorithm)
    if offline_out:
        anchorer = notary.anchorer_of(d, algorithm, anchorer)
        if anchorer is None:
            raise CarbonChainError(f"no record of {hex32(d)} ({algorithm}) to sign")
        sig = notary.offline_signature(d, algorithm, signer, anchorer=anchorer)
        write_json(offline_out, sig)
        console.print(f"signature of {signer.address} over {anchorer}'s {hex32(d)} written to {offline_out}")
        return
    receipt = notary.sign(d, algorithm, anchorer=anchorer, sender=signer)
    rec = notary.record(d, algorithm, anchorer or notary.anchorer_of(d, algorithm))
    console.print(f"signed {hex32(d)} as {signer.address}: tx {receipt.txn_hash} "
                  f"({rec.signed_count} of {rec.required_signers} signed, {rec.status})")


@cli.command()
@click.argument("signature_file", type=click.Path(exists=True, dir_okay=False))
@network_option
@account_option
@connected
def relay(provider, signature_file, account=None):
    """Relay an offline signature (from `notary sign --offline`)."""
    notary = Notary.deployed()
    sig = check_fields(signature_file, load_json(signature_file), {
        "chain_id": "int", "registry": "address", "digest": "hex32", "algorithm": "str",
        "signer": "address", "signature": "hex",
    })
    receipt = notary.relay(sig, sender=get_account(account))
    rec = notary.record(sig["digest"], sig["algorithm"], sig["anchorer"])
    console.print(f"relayed {sig['signer']}'s signature: tx {receipt.txn_hash} "
                  f"({rec.signed_count} of {rec.required_signers} signed, {rec.status})")


@cli.command()
@click.argument("digest", metavar="DIGEST_OR_FILE")
@click.option("--reason", required=True, help=f"Reason code or name ({', '.join(f'{k}={v}' for k, v in REASONS.items())}).")
@algorithm_option
@anchorer_option(False, "Whose record to revoke (default: the sending account's own; registry admins may revoke any).")
@network_option
@account_option
@connected
def revoke(provider, digest, reason, algorithm, anchorer, account=None):
    """Revoke a record of DIGEST (its anchoring account or a registry admin)."""
    notary = Notary.deployed()
    receipt = notary.revoke(_record_digest(digest, algorithm), algorithm, reason, sender=get_account(account),
                            anchorer=anchorer)
    console.print(f"revoked {digest}: tx {receipt.txn_hash}")


@cli.command()
@click.argument("digest", metavar="DIGEST_OR_FILE")
@click.argument("new_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", default="amendment", show_default=True, help="Reason code or name.")
@click.option("--signer", "signers", multiple=True,
              help="Who must sign the new version, as for anchor (default: the original's signers).")
@algorithm_option
@allow_empty_option
@network_option
@account_option
@connected
def supersede(provider, digest, new_file, reason, signers, algorithm, allow_empty, account=None):
    """Replace the record of DIGEST by NEW_FILE (linked both ways); the new version needs the
    original's signers unless --signer names others."""
    from carbonchain.notary import file_metadata, metadata_digest

    refuse_empty([new_file], allow_empty)
    notary = Notary.deployed()
    digest = hex32(_record_digest(digest, algorithm))
    signers = tuple(address_of(s) for s in signers)
    if not signers:
        signers = tuple(s.signer for s in notary.signatures(to_bytes32(digest), algorithm))
        if signers:
            console.print(f"the new version needs the original's {len(signers)} signers: {', '.join(signers)}")
    new_digest = digest_file(new_file, algorithm)
    receipt = notary.supersede(digest, algorithm, new_digest, algorithm, sender=get_account(account), reason=reason,
                               metadata=metadata_digest(file_metadata(new_file)), signers=signers)
    console.print(f"{digest} superseded by {Path(new_file).name} ({hex32(new_digest)}): tx {receipt.txn_hash}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Where to write the proofs (JSON).")
@click.option("--rebuild", is_flag=True, default=False,
              help="Send nothing: rebuild --out for a batch already anchored from the same FILES (same order).")
@algorithm_option
@allow_empty_option
@network_option
@account_option
@connected
def batch(provider, files, out, rebuild, algorithm, allow_empty, account=None):
    """Anchor one Merkle root for FILES and write each file's digest and proof to --out.

    --out is checked before anything is sent; if the proofs are lost, --rebuild writes them again."""
    check_output(out)
    refuse_empty(files, allow_empty)
    notary = Notary.deployed()
    if rebuild:
        with hashing_progress(files) as progress:
            result = notary.rebuild_batch_files(files, algorithm=algorithm, progress=progress,
                                                  anchorer=get_account(account) if account else None)
        write_json(out, result.proofs_document(notary.chain_id, notary.address))
        console.print(f"proofs of batch {hex32(result.root)} (tx {result.tx}) rebuilt in {out}")
        return
    warn_if_ephemeral(provider)
    with hashing_progress(files) as progress:
        result = notary.anchor_batch_files(files, sender=get_account(account), algorithm=algorithm, progress=progress)
    write_json(out, result.proofs_document(notary.chain_id, notary.address))
    console.print(f"batch of {len(files)} anchored: root {hex32(result.root)} tx {result.tx} "
                  f"gas {result.gas_used} ({result.gas_used / len(files):.0f} per document); proofs in {out}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--proof", "proof_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Proofs file from `notary batch` (for a batched document).")
@click.option("--report", type=click.Path(dir_okay=False), default=None,
              help="Where to write the HTML evidence report (default: reports/<file>.evidence.html).")
@anchorer_option(False, "Judge the record this address anchored (default: the fully signed live record).")
@click.option("--signer", default=None, help="Judge a record this address must sign (with or without --anchorer).")
@network_option
@connected
def verify(provider, file, proof_file, report, anchorer, signer):
    """Verify FILE against the registry; prints every record of FILE with its anchorer, then the verdict
    on the expected one, and writes an HTML evidence report.

    Exit code 0 only for VALID."""
    notary = Notary.deployed()
    proofs = load_json(proof_file) if proof_file else None
    if proofs is not None and isinstance(proofs, dict) and "format" in proofs:
        check_fields(proof_file, proofs, {"chain_id": "int", "registry": "address", "root": "hex32",
                                          "algorithm": "str", "documents": "list"})
    with hashing_progress([file]) as progress:
        verdict = notary.verify_file(file, anchorer=anchorer, signer=signer, proofs=proofs, progress=progress)
    for r in verdict.candidates:
        mark = "*" if verdict.record is not None and (r.anchorer, r.algorithm) == (
            verdict.record.anchorer, verdict.record.algorithm) else " "
        console.print(f" {mark} {r.algorithm.label} record anchored by {r.anchorer} at {utc(r.anchored_at)}: "
                      f"{r.status}, {r.signed_count}/{r.required_signers} signed")
    if verdict.candidates:
        console.print(f"judged: {verdict.expected}")
    colour = "green" if verdict.ok else ("yellow" if verdict.verdict in ("INCOMPLETE", "SUPERSEDED") else "red")
    console.print(f"[{colour}]{verdict.headline}[/{colour}]")
    out = Path(report) if report else Path("reports") / f"{Path(file).name}.evidence.html"
    render_evidence(verdict, out, network=getattr(provider, "network_choice", ""))
    console.print(f"evidence report: {out}")
    if not verdict.ok:
        raise SystemExit(1)


@cli.command()
@click.argument("digest", metavar="DIGEST_OR_FILE")
@algorithm_option
@anchorer_option(False, "Show only this address's record (default: every record of DIGEST).")
@network_option
@connected
def show(provider, digest, algorithm, anchorer):
    """Print every record of DIGEST (who anchored it), its signers and its version chain."""
    notary = Notary.deployed()
    recs = notary.records(_record_digest(digest, algorithm), algorithm)
    if anchorer is not None:
        recs = [r for r in recs if r.anchorer.lower() == anchorer.lower()]
    if not recs:
        console.print(f"[red]no record of {algorithm} {digest}{f' by {anchorer}' if anchorer else ''}[/red]")
        raise SystemExit(1)
    for rec in recs:
        console.print(f"{rec.algorithm.label} {hex32(rec.digest)}: {rec.status}, anchored by {rec.anchorer} "
                      f"at {utc(rec.anchored_at)}; {rec.signed_count}/{rec.required_signers} signed")
        for s in notary.signatures(rec.digest, rec.algorithm, rec.anchorer):
            console.print(f"  {s.signer}: {utc(s.signed_at) if s.signed else 'not signed'}")
        for i, v in enumerate(notary.version_chain(rec.digest, rec.algorithm, rec.anchorer), 1):
            console.print(f"  v{i} {v.algorithm.label} {hex32(v.digest)} {v.status}")

