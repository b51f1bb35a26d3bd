"""The repo domain's scenario steps: the desk (financier, custodian, two risk officers, the broker
that issues carbon-account credentials), agreements opened through maker-checker, a book of many,
top-ups, repayments, repurchase, default, close-out; the keeper checks the book after every
published price (scenario topic ``price``) and the ratios feed the report's charts.

Other domains are reached through the scenario context only (``ctx.contract("DocumentRegistry")``,
``ctx.contract("CredentialRegistry")``, the oracle's feeds by market name).
"""

from __future__ import annotations

from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.steps import BPS, DAYS, MARKET, MONEY, NAME, PERSONA, PERSONAS, TONNES, step
from ..identity import bytes32_text
from ..oracle import market_code
from .model import Health, Status, evaluate
from .sdk import AgreementInfo, RatioInfo, Repo
from .terms import DAY, Terms, parse_cny, parse_tonnes

CARBON_ACCOUNT_HOLDER = "CarbonAccountHolder"
STATUS_NAMES = [s.name.replace("_", " ").title().replace(" ", "") for s in Status]  # None, Proposed, ... ClosedOut
HEALTH_NAMES = [h.label for h in Health]


def _desk(ctx: Any) -> dict[str, Any]:
    desk = ctx.domain("repo")
    if "repo" not in desk:
        raise ValueError("no repo desk in this scenario: add a `repo_desk` step to the setup")
    return desk


def _ref(ctx: Any, kind: str) -> bytes:
    desk = ctx.domain("repo")
    desk["serial"] = desk.get("serial", 0) + 1
    return digest_bytes(f"{kind}:{ctx.step_label}:{desk['serial']}".encode(), Algorithm.SHA256)


def _id(ctx: Any, name: str) -> int:
    return ctx.recall("agreement", name)


@step("repo_desk", {
    "financier": PERSONA, "custodian": PERSONA, "risk": {**PERSONAS, "minItems": 2, "maxItems": 2},
    "broker": PERSONA,
    "keeper": {"type": "boolean", "description": "check the book after every published price (default true)"},
}, required=["financier", "custodian", "risk", "broker"],
    doc="the RepoManager with its role holders; the broker is accredited to issue carbon-account credentials")
def repo_desk(ctx: Any, args: dict[str, Any]) -> None:
    repo = ctx.contract("RepoManager")
    for role, who in (("FINANCIER_ROLE", args["financier"]), ("CUSTODIAN_ROLE", args["custodian"]),
                      ("RISK_ROLE", args["risk"][0]), ("RISK_ROLE", args["risk"][1])):
        ctx.send(repo.grantRole, getattr(repo, role)(), ctx.account(who).address, sender=ctx.admin)
    issuers = ctx.contract("TrustedIssuerRegistry")
    now = ctx.now()
    ctx.send(issuers.accredit, ctx.account(args["broker"]).address, bytes32_text(CARBON_ACCOUNT_HOLDER), now - 60,
             now + 3650 * DAY, False, sender=ctx.admin)
    desk = ctx.domain("repo")
    desk.update(repo=repo, roles=args, ids={}, books={})
    if args.get("keeper", True):
        ctx.on("price", _keeper)


def _keeper(ctx: Any, market: str, price: int, round_id: int) -> None:
    """After a published close: check the market's active agreements in one transaction, then chart."""
    desk = ctx.domain("repo")
    ids = [rid for rid, (_name, m) in desk["ids"].items() if m == market]
    if not ids:
        return
    mark = len(ctx.events)
    ctx.send(desk["repo"].check, ids, sender=desk["roles"]["financier"])
    ctx.settle()
    _chart(ctx, ids, since=mark)


def _chart(ctx: Any, ids: list[int], since: int | None = None) -> None:
    """Ratio points of single agreements (one batched read); a book's health counts come from the
    check's HealthChanged events (``since``: the event index before it), with no read at all."""
    desk = ctx.domain("repo")
    repo = desk["repo"]
    ids = [i for i in ids if i in desk["ids"]]
    if not ids:
        return
    book_of = desk.get("book_of", {})
    health = desk.setdefault("health", {})
    now = ctx.now()
    singles = [i for i in ids if desk["ids"][i][0] not in book_of]
    books = {book_of[desk["ids"][i][0]] for i in ids if desk["ids"][i][0] in book_of}
    if books:
        if since is None:
            for rid, p in zip(ids, ctx.call(repo.positions, ids)):
                health[rid] = HEALTH_NAMES[int(p.health)]
        else:
            for e in ctx.events[since:]:
                if e["event"] == "HealthChanged" and e["contract"] == "RepoManager":
                    health[int(e["args"]["id"])] = HEALTH_NAMES[int(e["args"]["health"])]
        for book in books:
            counts = {h: 0 for h in HEALTH_NAMES}
            for name in desk["books"].get(book, []):
                counts[health.get(ctx.recall("agreement", name), "Healthy")] += 1
            for label, n in counts.items():
                ctx.point(f"book/{book}", label, n, at=now)
    if singles:
        for rid, v in zip(singles, ctx.call_many([(repo.ratio, (rid,)) for rid in singles])):
            if int(v.unavailable) == 0:
                ctx.point(f"ratio/{desk['ids'][rid][0]}", "collateral ratio", int(v.ratioBps) / 100, at=now)


def _terms(ctx: Any, args: dict[str, Any], counterparty: str) -> Terms:
    desk = _desk(ctx)
    roles = desk["roles"]
    documents = ctx.contract("DocumentRegistry")
    credentials = ctx.contract("CredentialRegistry")
    fin, cp = ctx.account(roles["financier"]), ctx.account(counterparty)
    shared = desk.setdefault("shared", {})
    if counterparty not in shared:
        contract = _ref(ctx, "repo-contract")
        alg = int(Algorithm.SHA256)
        ctx.send(documents.anchor, contract, alg, b"\x00" * 32, [fin.address, cp.address], sender=fin)
        ctx.send(documents.sign, fin.address, contract, alg, sender=fin)
        ctx.send(documents.sign, fin.address, contract, alg, sender=cp)
        credential = _ref(ctx, "credential")
        ctx.send(credentials.issue, credential, bytes32_text(CARBON_ACCOUNT_HOLDER), cp.address, ctx.now() + 3650 * DAY,
                 sender=roles["broker"])
        # RepoManager's terms carry the credential's record key (a credential belongs to its issuer)
        shared[counterparty] = (contract, ctx.call(credentials.credentialId, ctx.account(roles["broker"]).address,
                                                   credential))
    contract, credential = shared[counterparty]
    if "credential" in args:
        credential = ctx.call(credentials.credentialId, ctx.recall("credential_issuer", args["credential"]),
                              ctx.recall("credential", args["credential"]))
    lines = args.get("lines", {})
    now = ctx.now()
    return Terms(
        financier=fin.address, counterparty=cp.address, market=market_code(args["market"]),
        quantity=parse_tonnes(args["quantity"]), principal=parse_cny(args["principal"]),
        rate_bps=args.get("rate_bps", 500), start=now, maturity=now + int(args.get("days", 90) * DAY),
        warning_bps=lines.get("warning", 16000), margin_call_bps=lines.get("margin_call", 14000),
        close_out_bps=lines.get("close_out", 12000), cure_period=int(args.get("cure_days", 2) * DAY),
        haircut_bps=args.get("haircut_bps", 7000), contract_digest=contract, contract_algorithm=int(Algorithm.SHA256),
        credential=credential,
    )


def _open(ctx: Any, name: str, terms: Terms, market: str, until: str = "active") -> int:
    desk = _desk(ctx)
    repo, roles = desk["repo"], desk["roles"]
    ctx.settle()  # the count must include every agreement sent so far
    rid = int(ctx.call(repo.agreementCount)) + 1
    ctx.send(repo.propose, terms.as_tuple(), sender=roles["financier"])
    if until in ("approved", "active"):
        ctx.send(repo.proposeApproval, rid, 3, _ref(ctx, "scoring"), sender=roles["risk"][0])
        ctx.send(repo.confirmApproval, rid, sender=roles["risk"][1])
    if until == "active":
        ctx.send(repo.activate, rid, _ref(ctx, "transfer"), sender=roles["custodian"])
        desk["ids"][rid] = (name, market)
    desk.setdefault("market_of", {})[name] = market
    ctx.remember("agreement", name, rid)
    return rid


def _settle_opening(ctx: Any) -> None:
    ctx.settle()


AGREEMENT = {
    "agreement": NAME, "counterparty": PERSONA, "market": MARKET, "quantity": TONNES, "principal": MONEY,
    "rate_bps": BPS, "days": DAYS, "cure_days": DAYS, "haircut_bps": BPS,
    "lines": {"type": "object", "additionalProperties": False,
              "properties": {"warning": BPS, "margin_call": BPS, "close_out": BPS},
              "description": "collateral-ratio lines in bps (default 16000 / 14000 / 12000)"},
    "until": {"enum": ["proposed", "approved", "active"], "description": "how far to take it (default active)"},
    "credential": {**NAME, "description": "the counterparty's CarbonAccountHolder credential (default: one the broker issues)"},
}


@step("open_agreement", AGREEMENT, required=["agreement", "counterparty", "market", "quantity", "principal"],
      doc="a repo agreement: signed contract and credential, proposed, approved by two risk officers, activated by the custodian")
def open_agreement(ctx: Any, args: dict[str, Any]) -> None:
    terms = _terms(ctx, args, args["counterparty"])
    _open(ctx, args["agreement"], terms, args["market"], args.get("until", "active"))
    _settle_opening(ctx)
    lines = args.get("lines", {})
    chart = ctx.chart(f"ratio/{args['agreement']}", f"{args['agreement']}: collateral ratio against its lines", "%", "ratio")
    chart.lines.update({"warning": lines.get("warning", 16000) / 100, "margin call": lines.get("margin_call", 14000) / 100,
                        "close-out": lines.get("close_out", 12000) / 100})
    rid = _id(ctx, args["agreement"])
    if args.get("until", "active") == "active":
        _chart(ctx, [rid])


@step("open_book", {
    "book": NAME, "agreements": {"type": "integer", "minimum": 1, "maximum": 500}, "counterparties": PERSONAS,
    "market": MARKET, "quantity": TONNES, "principal": MONEY, "days": DAYS, "cure_days": DAYS,
    "spread_bps": {"type": "integer", "minimum": 0, "maximum": 5000,
                   "description": "principal varies by up to this much across the book (default 3000)"},
}, required=["book", "agreements", "counterparties", "market", "quantity", "principal"],
    doc="a book of agreements (names BOOK-1..BOOK-N), principals spread so that they cross the lines at different prices")
def open_book(ctx: Any, args: dict[str, Any]) -> None:
    desk = _desk(ctx)
    n = args["agreements"]
    spread = args.get("spread_bps", 3000)
    base = parse_cny(args["principal"])
    desk.setdefault("book_of", {})
    names = []
    for i in range(n):
        principal = base - base * spread * i // (10_000 * max(1, n - 1))
        a = dict(args, principal=f"{principal / 100:.2f}")
        cp = args["counterparties"][i % len(args["counterparties"])]
        name = f"{args['book']}-{i + 1}"
        _open(ctx, name, _terms(ctx, a, cp), args["market"])
        desk["book_of"][name] = args["book"]
        names.append(name)
        if i % 25 == 24:
            _settle_opening(ctx)
    _settle_opening(ctx)
    desk["books"][args["book"]] = names
    ctx.chart(f"book/{args['book']}", f"book {args['book']}: agreements by health", "agreements", "ratio")
    _chart(ctx, [_id(ctx, x) for x in names], since=len(ctx.events))


def _agreement_step(fn: str, extra: dict[str, Any], who: str, doc: str, build: Any) -> None:
    def run(ctx: Any, args: dict[str, Any]) -> None:
        desk = _desk(ctx)
        rid = _id(ctx, args["agreement"])
        default = desk["roles"]["risk"][0] if who == "risk" else desk["roles"][who]
        sender = args.get("by") or default
        ctx.send(getattr(desk["repo"], fn), rid, *build(ctx, args), sender=sender)
        ctx.settle()
        if fn == "activate" and ctx.expected_revert is None:
            desk["ids"][rid] = (args["agreement"], desk["market_of"][args["agreement"]])
        _chart(ctx, [rid])
    step(fn_name[fn], {"agreement": NAME, "by": PERSONA, **extra}, required=["agreement", *extra.keys()] if extra else ["agreement"],
         doc=doc)(run)


fn_name = {"proposeApproval": "propose_approval", "confirmApproval": "confirm_approval", "activate": "activate",
           "topUp": "top_up", "repay": "repay", "repurchase": "repurchase", "declareDefault": "declare_default",
           "proposeCloseOut": "propose_close_out", "confirmCloseOut": "confirm_close_out"}
_agreement_step("topUp", {"tonnes": TONNES}, "custodian", "the custodian confirms more collateral (cures a margin call)",
                lambda ctx, a: (parse_tonnes(a["tonnes"]), _ref(ctx, "top-up")))
_agreement_step("repay", {"amount": MONEY}, "financier", "the financier records a partial repayment received",
                lambda ctx, a: (parse_cny(a["amount"]), _ref(ctx, "repayment")))
_agreement_step("proposeApproval", {"grade": {"type": "integer", "minimum": 1, "maximum": 5}}, "risk",
                "a risk officer proposes approval with a risk grade (maker)",
                lambda ctx, a: (a["grade"], _ref(ctx, "scoring")))
_agreement_step("confirmApproval", {}, "risk", "another risk officer confirms the approval (checker)", lambda ctx, a: ())
_agreement_step("activate", {}, "custodian", "the custodian confirms the allowances were transferred",
                lambda ctx, a: (_ref(ctx, "transfer"),))
_agreement_step("repurchase", {}, "custodian", "the custodian confirms the repurchase at maturity (principal plus interest)",
                lambda ctx, a: (_ref(ctx, "repurchase"),))
_agreement_step("declareDefault", {}, "financier", "the financier declares a default after maturity",
                lambda ctx, a: ())
_agreement_step("proposeCloseOut", {"proceeds": MONEY}, "risk", "a risk officer proposes the close-out (maker)",
                lambda ctx, a: (parse_cny(a["proceeds"]), _ref(ctx, "disposal")))
_agreement_step("confirmCloseOut", {}, "risk", "another risk officer confirms the close-out (checker)",
                lambda ctx, a: ())


@step("keeper_check", {"agreements": {"type": "array", "items": NAME}}, doc="the keeper checks agreements (default: every active one)")
def keeper_check(ctx: Any, args: dict[str, Any]) -> None:
    desk = _desk(ctx)
    ids = [_id(ctx, a) for a in args.get("agreements", [])] or list(desk["ids"])
    ctx.send(desk["repo"].check, ids, sender=desk["roles"]["financier"])
    ctx.settle()
    _chart(ctx, ids)


@step("agreement", {
    "agreement": NAME, "status": {"enum": STATUS_NAMES}, "health": {"enum": HEALTH_NAMES},
    "quantity": TONNES, "ratio_between": {"type": "array", "items": BPS, "minItems": 2, "maxItems": 2,
                                          "description": "[low, high] collateral ratio in bps"},
    "amount_due": MONEY,
}, required=["agreement"], kind="expect", doc="an agreement's status, health, collateral and ratio")
def agreement(ctx: Any, args: dict[str, Any]) -> None:
    desk = _desk(ctx)
    name = args["agreement"]
    info = AgreementInfo.from_chain(ctx.call(desk["repo"].getAgreement, _id(ctx, name)))
    if "status" in args:
        ctx.check(f"{name} status", args["status"], STATUS_NAMES[int(info.status)])
    if "health" in args:
        ctx.check(f"{name} health", args["health"], HEALTH_NAMES[int(info.health)])
    if "quantity" in args:
        ctx.check(f"{name} collateral", parse_tonnes(args["quantity"]), info.quantity)
    if "amount_due" in args:
        ctx.check(f"{name} amount due (fen)", parse_cny(args["amount_due"]), info.amount_due)
    if "ratio_between" in args:
        r = RatioInfo.from_chain(info.id, ctx.call(desk["repo"].ratio, info.id))
        lo, hi = args["ratio_between"]
        ctx.check_range(f"{name} collateral ratio (bps)", lo, hi, r.ratio_bps)


@step("book", {
    "book": NAME,
    "matches_model": {"type": "boolean", "description": "every agreement's health equals the off-chain reference model's"},
    "health": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
               "propertyNames": {"enum": HEALTH_NAMES}, "description": "how many agreements are at each health"},
    "not_healthy_at_least": {"type": "integer", "minimum": 0},
}, required=["book"], kind="expect", doc="a book of agreements against the reference model and by health")
def book(ctx: Any, args: dict[str, Any]) -> None:
    desk = _desk(ctx)
    names = desk["books"].get(args["book"])
    if names is None:
        raise ValueError(f"unknown book {args['book']!r}")
    ids = [_id(ctx, n) for n in names]
    repo = desk["repo"]
    views = ctx.call_many([(repo.ratio, (i,)) for i in ids])
    healths = [HEALTH_NAMES[int(v.current)] for v in views]
    if "health" in args:
        got = {h: healths.count(h) for h in args["health"]}
        ctx.check(f"book {args['book']} by health", dict(args["health"]), got)
    if "not_healthy_at_least" in args:
        n = sum(h != "Healthy" for h in healths)
        ctx.check_range(f"book {args['book']} agreements not healthy", args["not_healthy_at_least"], None, n)
    if args.get("matches_model"):
        now = ctx.now()
        mismatches = []
        for pos, v in zip(Repo(repo).positions(ids), views):
            if int(v.unavailable):
                continue
            # The chain's stored health after its last check vs the model replaying one check now.
            _ratio, health, _since, _deadline = evaluate(pos, int(v.price), now)
            if int(health) != int(v.implied):
                mismatches.append(f"#{pos.id}: model {health.label}, chain {HEALTH_NAMES[int(v.implied)]}")
        ctx.check(f"book {args['book']} matches the reference model", [], mismatches)
