"""The fund's part of the regulator's view: products, and per subscription each step of the evidence
trail (credential checked at opening, double recording, the three-party contract, payment, cooling-off,
withdrawal and refund, return visit). Page: ``/subscription/<id>``; subscriptions and products appear
on the investor's, manager's and custodian's DID pages."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, contract_sources, id_hits, insert,
    parse_address, parse_id, rows, text32, update,
)
from ..core.hashing import Algorithm
from ..core.units import format_fen

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS fund_products (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        code TEXT, manager TEXT, custodian TEXT, risk_level INTEGER, minimum_fen INTEGER, cooling_off INTEGER,
        template_digest TEXT, template_algorithm TEXT, open INTEGER, UNIQUE (tx, log_index), UNIQUE (code))""",
    """CREATE TABLE IF NOT EXISTS fund_subscriptions (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, product TEXT, investor TEXT, credential TEXT, credential_issuer TEXT, suitability INTEGER,
        questionnaire TEXT, algorithm TEXT, stage TEXT, UNIQUE (tx, log_index), UNIQUE (id))""",
    """CREATE TABLE IF NOT EXISTS fund_steps (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, product TEXT, step TEXT, by TEXT, digest TEXT, algorithm TEXT, amount_fen INTEGER, ref TEXT,
        until INTEGER, UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS fund_steps_id ON fund_steps (id)",
    "CREATE INDEX IF NOT EXISTS fund_subscriptions_investor ON fund_subscriptions (investor)",
]

CONTRACTS = ("FundProductRegistry", "FundSubscriptions")


def _alg(v: Any) -> str:
    try:
        return Algorithm(int(v)).label
    except ValueError:
        return str(v)


def _sources(deployment: Any) -> list[Source]:
    return contract_sources(deployment, CONTRACTS)


def _product(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    code = text32(a["code"])
    insert(db, "fund_products", ev, code=code, manager=a["manager"].lower(), custodian=a["custodian"].lower(),
           risk_level=a["riskLevel"], minimum_fen=a["minimumFen"], cooling_off=a["coolingOff"],
           template_digest=a["templateDigest"], template_algorithm=_alg(a["templateAlgorithm"]), open=a["open"])
    insert(db, "fund_steps", ev, id=0, product=code, step="product registered" + (" (open)" if a["open"] else ""),
           by=a["manager"], digest=a["templateDigest"], algorithm=_alg(a["templateAlgorithm"]))


def _open_changed(db: sqlite3.Connection, ev: Event) -> None:
    code = text32(ev.args["code"])
    update(db, "fund_products", {"code": code}, open=ev.args["open"])
    insert(db, "fund_steps", ev, id=0, product=code, step="opened" if ev.args["open"] else "closed", by=ev.args["by"])


def _opened(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    alg = _alg(a["algorithm"])
    product = text32(a["product"])
    insert(db, "fund_subscriptions", ev, id=a["id"], product=product, investor=a["investor"].lower(),
           credential=a["credential"], credential_issuer=a["credentialIssuer"].lower(), suitability=a["suitability"],
           questionnaire=a["questionnaire"], algorithm=alg, stage="Opened")
    insert(db, "fund_steps", ev, id=a["id"], product=product, step=f"opened (suitability C{a['suitability']}; "
           "credential checked live)", by=a["investor"], digest=a["questionnaire"], algorithm=alg)


def _step(step: str, stage: str, *, by: str | None = None, digest: str | None = None, ref: str | None = None):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        sub = rows(db, "SELECT product, algorithm FROM fund_subscriptions WHERE id = ?", a["id"])
        alg = _alg(a["algorithm"]) if "algorithm" in a else (sub[0]["algorithm"] if sub else None)
        insert(db, "fund_steps", ev, id=a["id"], product=sub[0]["product"] if sub else None, step=step,
               by=a.get(by) if by else None, digest=a.get(digest) if digest else None, algorithm=alg if digest else None,
               amount_fen=a.get("amountFen"), ref=a.get(ref) if ref else None, until=a.get("coolingOffEndsAt"))
        update(db, "fund_subscriptions", {"id": a["id"]}, stage=stage)

    return mapper


MAPPERS = {
    ("FundProductRegistry", "ProductRegistered"): _product,
    ("FundProductRegistry", "ProductOpenChanged"): _open_changed,
    ("FundSubscriptions", "SubscriptionOpened"): _opened,
    ("FundSubscriptions", "SaleRecorded"): _step("sale double-recorded", "Recorded", digest="recording"),
    ("FundSubscriptions", "ContractAttached"): _step("fund contract attached (signed by the three parties)",
                                                     "Contracted", digest="digest"),
    ("FundSubscriptions", "PaymentConfirmed"): _step("payment confirmed; cooling-off starts", "Paid", by="custodian",
                                                     ref="paymentRef"),
    ("FundSubscriptions", "SubscriptionWithdrawn"): _step("withdrawn in the cooling-off", "Withdrawn", by="investor"),
    ("FundSubscriptions", "RefundConfirmed"): _step("refund confirmed", "Refunded", by="custodian", ref="refundRef"),
    ("FundSubscriptions", "ReturnVisitConfirmed"): _step("return visit confirmed: final", "Final", by="by",
                                                         digest="returnVisit"),
}

TX = Column("tx", "transaction")
BLOCK = Column("block")
STEP_COLUMNS = [Column("time", time=True), Column("step"), Column("by", link="did"), Column("digest", link="document"),
                Column("algorithm"), Column("amount"), Column("ref", "reference"),
                Column("until", "cooling-off ends", time=True), TX, BLOCK]


def _steps(db: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    out = rows(db, sql, *args)
    for r in out:
        r["amount"] = f"{format_fen(r['amount_fen'])} CNY" if r.get("amount_fen") else ""
    return out


def _subscription_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    found = rows(db, "SELECT * FROM fund_subscriptions WHERE id = ?", int(key))
    if not found:
        return []
    s = found[0]
    product = rows(db, "SELECT * FROM fund_products WHERE code = ?", s["product"])
    p = product[0] if product else {}
    steps = _steps(db, "SELECT * FROM fund_steps WHERE id = ? ORDER BY block, log_index", int(key))
    return [Section(f"Fund subscription {key}", facts=[
        ("stage", s["stage"]), ("product", f"{s['product']} (R{p.get('risk_level', '?')}, minimum "
                                          f"{format_fen(p['minimum_fen']) if p else '?'} CNY)"),
        ("investor", ("did", s["investor"])), ("suitability", f"C{s['suitability']}"),
        ("credential", ("credential", s["credential"])), ("credential issuer", ("did", s["credential_issuer"])),
        ("manager", ("did", p.get("manager"))), ("custodian", ("did", p.get("custodian"))),
        ("opened", ("time", s["time"])),
    ], trails=[Trail("steps", "Each step of the evidence trail", STEP_COLUMNS, steps)])]


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    subs = rows(db, """SELECT s.time, s.id AS subscription, s.product, s.stage, s.credential, s.tx, s.block
        FROM fund_subscriptions s WHERE s.investor = ?1 OR s.credential_issuer = ?1
        OR s.product IN (SELECT code FROM fund_products WHERE manager = ?1 OR custodian = ?1) ORDER BY s.block""", address)
    products = rows(db, """SELECT time, code, CASE WHEN manager = ?1 THEN 'manager' ELSE 'custodian' END AS role,
        risk_level, open, tx, block FROM fund_products WHERE manager = ?1 OR custodian = ?1 ORDER BY block""", address)
    if not subs and not products:
        return []
    return [Section("Fund sales", trails=[
        Trail("subscriptions", "Subscriptions (as investor, credential issuer, manager or custodian)",
              [Column("time", "opened", time=True), Column("subscription", link="subscription"), Column("product"),
               Column("stage"), Column("credential", link="credential"), TX, BLOCK], subs),
        Trail("products", "Products", [Column("time", "registered", time=True), Column("code"), Column("role"),
              Column("risk_level", "risk (R)"), Column("open"), TX, BLOCK], products),
    ])]


def _overview(db: sqlite3.Connection) -> list[Section]:
    data = rows(db, """SELECT time, id AS subscription, product, investor, stage, tx FROM fund_subscriptions
        ORDER BY block DESC, log_index DESC LIMIT 25""")
    return [Section("Latest fund subscriptions", trails=[Trail("latest_subscriptions",
        "Subscriptions (newest first, 25 at most)", [Column("time", "opened", time=True),
        Column("subscription", link="subscription"), Column("product"), Column("investor", link="did"),
        Column("stage"), TX], data)])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    return id_hits(db, text, "subscription", "SELECT id, product, stage FROM fund_subscriptions WHERE id = ?",
                   lambda r: f"fund subscription {r['id']} ({r['product']}, {r['stage']})")


AUDIT = AuditDomain(
    name="fund",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("subscription", "Fund subscription", parse_id)],
    sections={"subscription": _subscription_sections, "did": _did_sections},
    search=_search,
    overview=_overview,
    unmapped=ROLE_EVENTS,
)
