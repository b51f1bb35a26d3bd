"""The offset domain's scenario steps: the carbon desk retiring serial ranges, neutrality programmes
from demand to certificate (plan, accredited verification, attribution, certification), reversals;
what a verifier reads of a serial and of a programme. The report charts each programme's retired
tonnes against its verified emissions (and the target's required tonnes)."""

from __future__ import annotations

from typing import Any

from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_bytes
from ..core.steps import BPS, DAYS, NAME, PERSONA, TONNES, step
from ..core.units import to_tonnes

DAY = 86_400
STATUSES = ("None", "Raised", "Planned", "Verified", "Certified")
SCOPES = ("Organisation", "Product", "Event")
CARBON_VERIFIER = "CarbonVerifier"
TEXT32 = {"type": "string", "minLength": 1, "maxLength": 32}


def b32(text: str) -> bytes:
    """Short ASCII text as a right-padded bytes32 (Solidity's ``bytes32("VCS")``)."""
    return text.encode().ljust(32, b"\x00")


def _digest(ctx: Any, what: str) -> bytes:
    return digest_bytes(f"{ctx.step_label}:{what}".encode(), Algorithm.SHA256)


def _contract(ctx: Any, name: str, *args: Any) -> Any:
    """The scenario's instance: from the composed deployer's spec when there is one, else deployed here."""
    try:
        return ctx.contract(name)
    except CarbonChainError:
        return ctx.deploy(name, *args)


def _registries(ctx: Any) -> tuple[Any, Any]:
    trusted = ctx.contract("TrustedIssuerRegistry")
    retirements = _contract(ctx, "RetirementRegistry", 0, ctx.admin.address)
    programmes = _contract(ctx, "NeutralityProgramme", 0, ctx.admin.address, retirements.address, trusted.address)
    return retirements, programmes


def _programme_id(ctx: Any, name: str) -> int:
    return ctx.recall("programme", name)


@step("offset_desk", {"retirer": PERSONA, "certifier": PERSONA, "verifier": PERSONA},
      required=["retirer", "certifier", "verifier"],
      doc="the retirement registry and the programmes: the desk may retire and attribute, the certifier certify; the verifier is accredited")
def offset_desk(ctx: Any, args: dict[str, Any]) -> None:
    retirements, programmes = _registries(ctx)
    ctx.send(retirements.grantRole, ctx.call(retirements.RETIRER_ROLE), ctx.account(args["retirer"]).address, sender=ctx.admin)
    ctx.send(programmes.grantRole, ctx.call(programmes.CERTIFIER_ROLE), ctx.account(args["certifier"]).address, sender=ctx.admin)
    ctx.send(programmes.grantRole, ctx.call(programmes.OPERATOR_ROLE), ctx.account(args["retirer"]).address, sender=ctx.admin)
    now = ctx.now()
    trusted = ctx.contract("TrustedIssuerRegistry")
    ctx.send(trusted.accredit, ctx.account(args["verifier"]).address, b32(CARBON_VERIFIER), now - 60, now + 3650 * DAY,
             False, sender=ctx.admin)
    ctx.domain("offset").update(roles=args)


@step("programme", {
    "programme": NAME, "enterprise": PERSONA, "subject": TEXT32, "scope": {"enum": list(SCOPES)},
    "period_days": DAYS, "target_bps": BPS,
}, required=["programme", "enterprise", "subject"],
    doc="an enterprise raises a neutrality demand for a period (default: the coming 365 days, 100% target)")
def programme(ctx: Any, args: dict[str, Any]) -> None:
    _retirements, programmes = _registries(ctx)
    start = ctx.now()
    end = start + int(args.get("period_days", 365) * DAY)
    ctx.settle()
    pid = int(ctx.call(programmes.programmeCount)) + 1
    ctx.send(programmes.raiseDemand, SCOPES.index(args.get("scope", "Organisation")), b32(args["subject"]), start, end,
             args.get("target_bps", 10_000), sender=args["enterprise"])
    ctx.remember("programme", args["programme"], pid)
    ctx.domain("offset").setdefault("enterprise", {})[args["programme"]] = args["enterprise"]
    ctx.chart(f"offset/{args['programme']}", f"{args['programme']}: retired tonnes against verified emissions", "t", "offset")


@step("plan", {"programme": NAME, "by": PERSONA}, required=["programme"],
      doc="the enterprise publishes its implementation plan (digest)")
def plan(ctx: Any, args: dict[str, Any]) -> None:
    _r, programmes = _registries(ctx)
    who = args.get("by") or ctx.domain("offset")["enterprise"][args["programme"]]
    ctx.send(programmes.publishPlan, _programme_id(ctx, args["programme"]), _digest(ctx, "plan"), sender=who)


@step("verify_emissions", {"programme": NAME, "tonnes": TONNES, "by": PERSONA}, required=["programme", "tonnes", "by"],
      doc="an accredited verifier records the verified emissions of the programme's period (report digest)")
def verify_emissions(ctx: Any, args: dict[str, Any]) -> None:
    _r, programmes = _registries(ctx)
    pid = _programme_id(ctx, args["programme"])
    view = ctx.call(programmes.programme, pid)
    ctx.send(programmes.recordEmissions, pid, to_tonnes(args["tonnes"]), int(view.periodStart), int(view.periodEnd),
             _digest(ctx, "verification report"), sender=args["by"])
    ctx.settle()
    _chart(ctx, args["programme"])


def _chart(ctx: Any, name: str) -> None:
    _r, programmes = _registries(ctx)
    v = ctx.call(programmes.programme, _programme_id(ctx, name))
    key = f"offset/{name}"
    if int(v.emissionsTonnes):
        ctx.charts[key].lines["verified emissions"] = float(v.emissionsTonnes)
        if int(v.requiredTonnes) != int(v.emissionsTonnes):
            ctx.charts[key].lines["required"] = float(v.requiredTonnes)
    ctx.point(key, "retired (attributed)", int(v.retiredTonnes))


@step("retire", {
    "retirement": NAME, "standard": TEXT32, "project": TEXT32, "vintage": {"type": "integer", "minimum": 1990, "maximum": 2100},
    "serials": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2,
                "description": "[first, last] serial numbers, inclusive"},
    "beneficiary": PERSONA, "programme": NAME, "by": PERSONA, "reason": TEXT32,
}, required=["retirement", "standard", "project", "vintage", "serials", "beneficiary"],
    doc="the desk retires a serial range for a beneficiary (and attributes it to a programme when named)")
def retire(ctx: Any, args: dict[str, Any]) -> None:
    retirements, programmes = _registries(ctx)
    desk = ctx.domain("offset")["roles"]
    standard, project, vintage = b32(args["standard"]), b32(args["project"]), int(args["vintage"])
    first, last = args["serials"]
    lot = ctx.call(retirements.lotKey, standard, project, vintage)
    hint, cursor = 0, 0
    while True:
        hint, complete = ctx.call(retirements.locate, lot, first, cursor, 200)
        if complete:
            break
        cursor = hint
    pid = _programme_id(ctx, args["programme"]) if "programme" in args else 0
    ctx.settle()
    rid = int(ctx.call(retirements.retirementCount)) + 1
    who = args.get("by") or desk["retirer"]
    ctx.send(retirements.retire, (standard, project, vintage, first, last, ctx.account(args["beneficiary"]).address,
                                  b32(args.get("reason", "neutrality")), _digest(ctx, "cancellation certificate"),
                                  _digest(ctx, "trade confirmation"), pid), int(hint), sender=who)
    ctx.remember("retirement", args["retirement"], rid)
    if pid and ctx.expected_revert is None:
        ctx.send(programmes.attribute, pid, rid, sender=who)
        ctx.settle()
        _chart(ctx, args["programme"])


@step("attribute", {"programme": NAME, "retirement": NAME, "by": PERSONA}, required=["programme", "retirement"],
      doc="counts a standing retirement towards a programme (one programme per retirement)")
def attribute(ctx: Any, args: dict[str, Any]) -> None:
    _r, programmes = _registries(ctx)
    who = args.get("by") or ctx.domain("offset")["roles"]["retirer"]
    ctx.send(programmes.attribute, _programme_id(ctx, args["programme"]), ctx.recall("retirement", args["retirement"]),
             sender=who)


@step("reverse", {"retirement": NAME, "reason": TEXT32, "by": PERSONA}, required=["retirement"],
      doc="the registry reverses a retirement (its serials become retirable again)")
def reverse(ctx: Any, args: dict[str, Any]) -> None:
    retirements, _p = _registries(ctx)
    ctx.send(retirements.reverse, ctx.recall("retirement", args["retirement"]), b32(args.get("reason", "correction")),
             sender=args.get("by") or ctx.admin)


@step("certify", {"programme": NAME, "by": PERSONA}, required=["programme", "by"],
      doc="the certifier certifies neutrality once attributed retirements cover the required tonnes")
def certify(ctx: Any, args: dict[str, Any]) -> None:
    _r, programmes = _registries(ctx)
    ctx.send(programmes.certify, _programme_id(ctx, args["programme"]), _digest(ctx, "certificate"), sender=args["by"])


@step("programme_state", {
    "programme": NAME, "status": {"enum": list(STATUSES)}, "retired": TONNES, "required": TONNES,
}, required=["programme"], kind="expect", doc="a programme's status and its retired and required tonnes")
def programme_state(ctx: Any, args: dict[str, Any]) -> None:
    _r, programmes = _registries(ctx)
    name = args["programme"]
    v = ctx.call(programmes.programme, _programme_id(ctx, name))
    if "status" in args:
        ctx.check(f"programme {name} status", args["status"], STATUSES[int(v.status)])
    if "retired" in args:
        ctx.check(f"programme {name} retired tonnes", to_tonnes(args["retired"]), int(v.retiredTonnes))
    if "required" in args:
        ctx.check(f"programme {name} required tonnes", to_tonnes(args["required"]), int(v.requiredTonnes))


@step("serial", {
    "standard": TEXT32, "project": TEXT32, "vintage": {"type": "integer"}, "serial": {"type": "integer", "minimum": 1},
    "retired": {"type": "boolean"}, "in": NAME,
}, required=["standard", "project", "vintage", "serial"], kind="expect",
    doc="whether one credit serial is retired now, and in which retirement")
def serial(ctx: Any, args: dict[str, Any]) -> None:
    retirements, _p = _registries(ctx)
    retired, rid = ctx.call(retirements.serialStatus, b32(args["standard"]), b32(args["project"]), int(args["vintage"]),
                                            int(args["serial"]))
    label = f"{args['standard']} {args['project']} {args['vintage']} #{args['serial']}"
    if "retired" in args:
        ctx.check(f"{label} retired", args["retired"], bool(retired))
    if "in" in args:
        ctx.check(f"{label} retired in {args['in']}", ctx.recall("retirement", args["in"]), int(rid))
