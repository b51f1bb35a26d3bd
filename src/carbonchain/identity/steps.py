"""The identity domain's scenario steps: accreditation of issuers, credentials issued, suspended,
reinstated and revoked, verifications recorded; the verdict a verifier gets."""

from __future__ import annotations

from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.steps import DAYS, NAME, PERSONA, step
from .did import bytes32_text

DAY = 86_400
STATUSES = ("None", "Active", "Suspended", "Revoked")
CREDENTIAL_TYPE = {"type": "string", "pattern": r"^[A-Za-z]+$",
                   "description": "ProfessionalInvestor, QualifiedInvestor, CarbonAccountHolder, CarbonVerifier..."}


def credentials(ctx: Any) -> Any:
    return ctx.contract("CredentialRegistry")


@step("accredit", {"issuer": PERSONA, "type": CREDENTIAL_TYPE, "days": DAYS},
      required=["issuer", "type"], doc="the governance role (admin) accredits an issuer for a credential type")
def accredit(ctx: Any, args: dict[str, Any]) -> None:
    trusted = ctx.contract("TrustedIssuerRegistry")
    credentials(ctx)
    now = ctx.now()
    ctx.send(trusted.accredit, ctx.account(args["issuer"]).address, bytes32_text(args["type"]), now - 60,
             now + int(args.get("days", 3650) * DAY), False, sender=ctx.admin)


@step("issue_credential", {"credential": NAME, "issuer": PERSONA, "subject": PERSONA, "type": CREDENTIAL_TYPE,
                           "days": DAYS},
      required=["credential", "issuer", "subject", "type"], doc="an accredited issuer anchors a credential for a subject")
def issue_credential(ctx: Any, args: dict[str, Any]) -> None:
    digest = digest_bytes(f"{ctx.step_label}:{args['credential']}".encode(), Algorithm.SHA256)
    ctx.send(credentials(ctx).issue, digest, bytes32_text(args["type"]), ctx.account(args["subject"]).address,
             ctx.now() + int(args.get("days", 365) * DAY), sender=args["issuer"])
    ctx.remember("credential", args["credential"], digest)
    ctx.remember("credential_issuer", args["credential"], ctx.account(args["issuer"]).address)


def _status_step(fn: str, with_reason: bool):
    def run(ctx: Any, args: dict[str, Any]) -> None:
        digest = ctx.recall("credential", args["credential"])
        method = getattr(credentials(ctx), fn)
        extra = (args.get("reason", 1),) if with_reason else ()
        # a credential belongs to its issuer: revoke and recordVerification name it
        owner = (ctx.recall("credential_issuer", args["credential"]),) if fn in ("revoke", "recordVerification") else ()
        ctx.send(method, *owner, digest, *extra, sender=args["by"])
    return run


_REASON = {"type": "integer", "minimum": 1, "maximum": 65535}
step("suspend_credential", {"credential": NAME, "by": PERSONA, "reason": _REASON}, required=["credential", "by"],
     doc="the issuer suspends a credential")(_status_step("suspend", True))
step("reinstate_credential", {"credential": NAME, "by": PERSONA}, required=["credential", "by"],
     doc="the issuer reinstates a suspended credential")(_status_step("reinstate", False))
step("revoke_credential", {"credential": NAME, "by": PERSONA, "reason": _REASON}, required=["credential", "by"],
     doc="the issuer (or a revoker) revokes a credential for good")(_status_step("revoke", True))
step("record_verification", {"credential": NAME, "by": PERSONA}, required=["credential", "by"],
     doc="a verifier records its check (the regulator's audit trail)")(_status_step("recordVerification", False))


@step("credential", {"credential": NAME, "valid": {"type": "boolean"}, "status": {"enum": list(STATUSES)}},
      required=["credential"], kind="expect", doc="the one-call verdict a verifier gets")
def credential(ctx: Any, args: dict[str, Any]) -> None:
    v = ctx.call(credentials(ctx).verify, ctx.recall("credential_issuer", args["credential"]),
                 ctx.recall("credential", args["credential"]))
    if "valid" in args:
        ctx.check(f"credential {args['credential']} valid", args["valid"], bool(v.valid))
    if "status" in args:
        ctx.check(f"credential {args['credential']} status", args["status"], STATUSES[int(v.status)])
