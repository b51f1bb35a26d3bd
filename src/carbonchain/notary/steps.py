"""The notary's scenario steps: documents anchored with their required signers, signed, amended
(superseded) and revoked; what a verifier reads."""

from __future__ import annotations

from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.steps import NAME, PERSONA, PERSONAS, TEXT, step

STATUSES = ("None", "Registered", "FullySigned", "Revoked", "Superseded")
ALGORITHMS = {"sha256": Algorithm.SHA256, "keccak256": Algorithm.KECCAK256, "sm3": Algorithm.SM3}


def document_digest(ctx: Any, name: str, content: str | None, algorithm: Algorithm) -> bytes:
    """The digest of the document's text (its name and the scenario's, when no text is given)."""
    text = content if content is not None else f"{ctx.step_label}:{name}"
    return digest_bytes(text.encode(), algorithm)


def registry(ctx: Any) -> Any:
    return ctx.contract("DocumentRegistry")


@step("anchor", {
    "document": NAME, "by": PERSONA, "signers": PERSONAS, "content": TEXT,
    "algorithm": {"enum": sorted(ALGORITHMS), "description": "hash algorithm (default sm3)"},
}, required=["document", "by"], doc="anchors a document's digest with the parties that must sign it")
def anchor(ctx: Any, args: dict[str, Any]) -> None:
    alg = ALGORITHMS[args.get("algorithm", "sm3")]
    digest = document_digest(ctx, args["document"], args.get("content"), alg)
    signers = [ctx.account(s).address for s in args.get("signers", [])]
    ctx.send(registry(ctx).anchor, digest, int(alg), b"\x00" * 32, signers, sender=args["by"])
    ctx.remember("document", args["document"], (digest, int(alg)))
    ctx.remember("anchorer", args["document"], ctx.account(args["by"]).address)  # records belong to their anchorer


@step("sign", {"document": NAME, "by": PERSONAS}, required=["document", "by"],
      doc="required signers sign the document (by transaction)")
def sign(ctx: Any, args: dict[str, Any]) -> None:
    digest, alg = ctx.recall("document", args["document"])
    for who in args["by"]:
        ctx.send(registry(ctx).sign, ctx.recall("anchorer", args["document"]), digest, alg, sender=who)


@step("amend", {
    "document": NAME, "as": NAME, "by": PERSONA, "signers": PERSONAS, "content": TEXT,
    "reason": {"type": "integer", "minimum": 1, "maximum": 65535},
}, required=["document", "as", "by"], doc="supersedes a document with an amended version (linked both ways)")
def amend(ctx: Any, args: dict[str, Any]) -> None:
    digest, alg = ctx.recall("document", args["document"])
    new = document_digest(ctx, args["as"], args.get("content"), Algorithm(alg))
    signers = [ctx.account(s).address for s in args.get("signers", [])]
    ctx.send(registry(ctx).supersede, digest, alg, new, alg, b"\x00" * 32, signers, args.get("reason", 1),
             sender=args["by"])
    ctx.remember("document", args["as"], (new, alg))
    ctx.remember("anchorer", args["as"], ctx.recall("anchorer", args["document"]))


@step("revoke_document", {"document": NAME, "by": PERSONA, "reason": {"type": "integer", "minimum": 1}},
      required=["document", "by"], doc="revokes a document record")
def revoke_document(ctx: Any, args: dict[str, Any]) -> None:
    digest, alg = ctx.recall("document", args["document"])
    ctx.send(registry(ctx).revoke, ctx.recall("anchorer", args["document"]), digest, alg, args.get("reason", 1),
             sender=args["by"])


@step("document", {
    "document": NAME,
    "status": {"enum": list(STATUSES)},
    "signed": {"type": "integer", "minimum": 0, "description": "how many required signers have signed"},
    "next": NAME,
}, required=["document"], kind="expect", doc="what a verifier reads about a document")
def document(ctx: Any, args: dict[str, Any]) -> None:
    digest, alg = ctx.recall("document", args["document"])
    rec = ctx.call(registry(ctx).getRecord, ctx.recall("anchorer", args["document"]), digest, alg)
    name = args["document"]
    if "status" in args:
        ctx.check(f"document {name} status", args["status"], STATUSES[int(rec.status)])
    if "signed" in args:
        ctx.check(f"document {name} signatures", args["signed"], int(rec.signedCount))
    if "next" in args:
        nxt, _ = ctx.recall("document", args["next"])
        ctx.check(f"document {name} superseded by {args['next']}", "0x" + nxt.hex(), "0x" + bytes(rec.nextDigest).hex())
