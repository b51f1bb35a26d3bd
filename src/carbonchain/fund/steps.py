"""The fund domain's scenario steps: a product, then each step of a subscription (credentials come
from the identity steps `accredit` / `issue_credential` / `suspend_credential` / `revoke_credential`);
what the regulator reads of a subscription."""

from __future__ import annotations

from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.steps import MONEY, NAME, PERSONA, step
from ..core.units import to_fen
from .sdk import STAGES, parse_level, product_code

SM3 = int(Algorithm.SM3)
LEVEL_R = {"type": "string", "pattern": "^R[1-5]$", "description": "risk level R1-R5"}
LEVEL_C = {"type": "string", "pattern": "^C[1-5]$", "description": "suitability rating C1-C5"}


def _digest(ctx: Any, what: str) -> bytes:
    """The digest of an evidence file of the scenario (its label and the step's)."""
    return digest_bytes(f"{ctx.step_label}:{what}".encode(), Algorithm.SM3)


def _contracts(ctx: Any) -> tuple[Any, Any]:
    for name in ("DocumentRegistry", "TrustedIssuerRegistry", "CredentialRegistry", "FundProductRegistry"):
        ctx.contract(name)
    return ctx.contract("FundProductRegistry"), ctx.contract("FundSubscriptions")


def _subscription(ctx: Any, name: str) -> tuple[int, dict[str, Any]]:
    return ctx.recall("subscription", name)


@step("fund_product", {
    "product": NAME, "manager": PERSONA, "custodian": PERSONA, "risk": LEVEL_R, "minimum": MONEY,
    "cooling_off_hours": {"type": "integer", "minimum": 24, "maximum": 720},
}, required=["product", "manager", "custodian", "risk"],
    doc="the admin gives the manager role; the manager registers an open product (minimum default CNY 1,000,000)")
def fund_product(ctx: Any, args: dict[str, Any]) -> None:
    products, _subs = _contracts(ctx)
    manager = ctx.account(args["manager"])
    role = products.MANAGER_ROLE()
    if not products.hasRole(role, manager.address):
        ctx.send(products.grantRole, role, manager.address, sender=ctx.admin)
    code = product_code(args["product"])
    ctx.send(products.registerProduct, code, parse_level(args["risk"], "R"), to_fen(args.get("minimum", "1,000,000")),
             ctx.account(args["custodian"]).address, _digest(ctx, "template"), SM3,
             int(args.get("cooling_off_hours", 24)) * 3600, True, sender=args["manager"])
    ctx.remember("product", args["product"], {"code": code, "manager": args["manager"],
                                               "custodian": args["custodian"]})


@step("subscribe", {
    "subscription": NAME, "product": NAME, "investor": PERSONA, "credential": NAME, "issuer": PERSONA,
    "suitability": LEVEL_C,
}, required=["subscription", "product", "investor", "credential", "issuer", "suitability"],
    doc="step 1: the manager opens a subscription for a qualified, suitable investor")
def subscribe(ctx: Any, args: dict[str, Any]) -> None:
    _products, subs = _contracts(ctx)
    p = ctx.recall("product", args["product"])
    sid = int(subs.subscriptionCount()) + 1
    ctx.send(subs.open, p["code"], ctx.account(args["investor"]).address, ctx.recall("credential", args["credential"]),
             ctx.account(args["issuer"]).address, parse_level(args["suitability"], "C"),
             _digest(ctx, "questionnaire"), SM3, sender=p["manager"])
    ctx.remember("subscription", args["subscription"], (sid, {**p, "investor": args["investor"]}))


@step("record_sale", {"subscription": NAME}, required=["subscription"],
      doc="step 2: the manager anchors the double recording's digest")
def record_sale(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    ctx.send(_contracts(ctx)[1].recordSale, sid, _digest(ctx, "recording"), sender=p["manager"])


@step("fund_contract", {"subscription": NAME}, required=["subscription"],
      doc="step 3: the fund contract is anchored, signed by manager, custodian and investor, and attached")
def fund_contract(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    docs, subs = ctx.contract("DocumentRegistry"), _contracts(ctx)[1]
    digest = _digest(ctx, f"contract-{sid}")
    parties = [p["manager"], p["custodian"], p["investor"]]
    ctx.send(docs.anchor, digest, SM3, b"\x00" * 32, [ctx.account(x).address for x in parties], sender=p["manager"])
    ctx.settle()  # mined before any signature is sent (a batch may order senders by gas price)
    for who in parties:
        ctx.send(docs.sign, ctx.account(p["manager"]).address, digest, SM3, sender=who)
    ctx.settle()
    ctx.send(subs.attachContract, sid, digest, SM3, sender=p["manager"])


@step("pay", {"subscription": NAME, "amount": MONEY}, required=["subscription", "amount"],
      doc="step 4: the custodian confirms the payment; the cooling-off starts")
def pay(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    ctx.send(_contracts(ctx)[1].confirmPayment, sid, to_fen(args["amount"]), _digest(ctx, "bank"),
             sender=p["custodian"])


@step("withdraw", {"subscription": NAME}, required=["subscription"],
      doc="step 5a: the investor withdraws inside the cooling-off")
def withdraw(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    ctx.send(_contracts(ctx)[1].withdraw, sid, sender=p["investor"])


@step("refund", {"subscription": NAME}, required=["subscription"],
      doc="step 5b: the custodian confirms the refund of a withdrawn subscription")
def refund(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    ctx.send(_contracts(ctx)[1].confirmRefund, sid, _digest(ctx, "refund"), sender=p["custodian"])


@step("return_visit", {"subscription": NAME}, required=["subscription"],
      doc="step 6: the manager confirms the return visit after the cooling-off; the subscription is final")
def return_visit(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    ctx.send(_contracts(ctx)[1].confirmReturnVisit, sid, _digest(ctx, "visit"), sender=p["manager"])


@step("subscription", {"subscription": NAME, "stage": {"enum": list(STAGES[1:])}, "amount": MONEY},
      required=["subscription"], kind="expect", doc="what the subscription's trail says (read as its manager)")
def subscription(ctx: Any, args: dict[str, Any]) -> None:
    sid, p = _subscription(ctx, args["subscription"])
    t = _contracts(ctx)[1].trail(sid, sender=ctx.account(p["manager"]))  # a party of the subscription
    name = args["subscription"]
    if "stage" in args:
        ctx.check(f"subscription {name} stage", args["stage"], STAGES[int(t.stage)])
    if "amount" in args:
        ctx.check(f"subscription {name} amount (fen)", to_fen(args["amount"]), int(t.amountFen))
