"""The repo's part of the regulator's view: per agreement the collateral ratio over time against its
three lines (warning, margin call, close-out), the state timeline and the notices (health changes,
price unavailable). Page: ``/agreement/<id>``; agreements appear on their parties' DID pages."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, id_hits, insert, line_chart,
    parse_address, parse_id, rows, text32, update, utc,
)
from .model import Health, Status, unavailable_text
from .terms import format_bps, format_cny

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS repo_agreements (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, financier TEXT, counterparty TEXT, feed TEXT, market TEXT, quantity INTEGER, principal INTEGER,
        rate_bps INTEGER, start INTEGER, maturity INTEGER, warning_bps INTEGER, margin_call_bps INTEGER,
        close_out_bps INTEGER, cure_period INTEGER, haircut_bps INTEGER, contract_digest TEXT,
        contract_algorithm INTEGER, credential TEXT, status TEXT, health TEXT,
        UNIQUE (tx, log_index), UNIQUE (id))""",
    """CREATE TABLE IF NOT EXISTS repo_events (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, action TEXT, by TEXT, other TEXT, detail TEXT, ratio_bps INTEGER, price INTEGER,
        round_id INTEGER, health TEXT, previous_health TEXT, since INTEGER, deadline INTEGER, ref TEXT,
        UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS repo_events_id ON repo_events (id)",
    "CREATE INDEX IF NOT EXISTS repo_agreements_financier ON repo_agreements (financier)",
    "CREATE INDEX IF NOT EXISTS repo_agreements_counterparty ON repo_agreements (counterparty)",
]

CONTRACT = "RepoManager"


def _sources(deployment: Any) -> list[Source]:
    address = deployment.contracts.get(CONTRACT)
    return [Source(CONTRACT, address, "repo")] if address else []


def _proposed(db: sqlite3.Connection, ev: Event) -> None:
    a, t = ev.args, ev.args["terms"]
    insert(db, "repo_agreements", ev, id=a["id"], financier=a["financier"].lower(), counterparty=a["counterparty"].lower(),
           feed=a["feed"], market=text32(t["market"]), quantity=t["quantity"], principal=t["principal"],
           rate_bps=t["rateBps"], start=t["start"], maturity=t["maturity"], warning_bps=t["warningBps"],
           margin_call_bps=t["marginCallBps"], close_out_bps=t["closeOutBps"], cure_period=t["curePeriod"],
           haircut_bps=t["haircutBps"], contract_digest=t["contractDigest"], contract_algorithm=t["contractAlgorithm"],
           credential=t["credential"], status=Status.PROPOSED.label, health=Health.HEALTHY.label)
    insert(db, "repo_events", ev, id=a["id"], action="proposed", by=a["financier"],
           detail=f"{t['quantity']:,} t of {text32(t['market'])} for {format_cny(t['principal'])} CNY at "
                  f"{format_bps(t['rateBps'])} a year, {utc(t['start'])[:10]} to {utc(t['maturity'])[:10]}")


def _step(action: str, status: Status | None, by: str, detail: Any = None, other: str | None = None):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        insert(db, "repo_events", ev, id=a["id"], action=action, by=a.get(by), other=a.get(other) if other else None,
               detail=detail(a) if detail else None, ref=a.get("ref"), price=a.get("price"), round_id=a.get("roundId"))
        if status is not None:
            update(db, "repo_agreements", {"id": a["id"]}, status=status.label)

    return mapper


def _health(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    h, prev = Health(int(a["health"])).label, Health(int(a["previous"])).label
    insert(db, "repo_events", ev, id=a["id"], action="health changed", detail=f"{prev} -> {h}",
           ratio_bps=a["ratioBps"], price=a["price"], round_id=a["roundId"], health=h, previous_health=prev,
           since=a["since"], deadline=a["deadline"] or None)
    update(db, "repo_agreements", {"id": a["id"]}, health=h)


MAPPERS = {
    (CONTRACT, "RepoProposed"): _proposed,
    (CONTRACT, "ApprovalProposed"): _step("approval proposed", None, "maker",
                                          lambda a: f"risk grade {a['riskGrade']}, scoring report {a['scoringReport']}"),
    (CONTRACT, "RepoApproved"): _step("approved", Status.APPROVED, "checker",
                                      lambda a: f"maker {a['maker']}; max principal {format_cny(a['maxPrincipal'])} CNY",
                                      other="maker"),
    (CONTRACT, "RepoCancelled"): _step("cancelled", Status.CANCELLED, "by",
                                       lambda a: f"was {Status(int(a['previous'])).label}"),
    (CONTRACT, "RepoActivated"): _step("activated (collateral confirmed)", Status.ACTIVE, "custodian"),
    (CONTRACT, "CollateralToppedUp"): _step("collateral topped up", None, "custodian",
                                            lambda a: f"+{a['tonnes']:,} t, now {a['quantity']:,} t"),
    (CONTRACT, "RepoRepaid"): _step("partly repaid", None, "financier",
                                    lambda a: f"{format_cny(a['amount'])} CNY; principal now {format_cny(a['principal'])} CNY"),
    (CONTRACT, "HealthChanged"): _health,
    (CONTRACT, "PriceUnavailable"): _step("price unavailable", None, "feed", lambda a: unavailable_text(int(a["reasons"]))),
    (CONTRACT, "RepoRepurchased"): _step("repurchased", Status.REPURCHASED, "custodian",
                                         lambda a: f"principal {format_cny(a['principal'])} CNY, interest "
                                                   f"{format_cny(a['interest'])} CNY"),
    (CONTRACT, "RepoDefaulted"): _step("defaulted", Status.DEFAULTED, "by",
                                       lambda a: f"amount due {format_cny(a['amountDue'])} CNY"),
    (CONTRACT, "CloseOutProposed"): _step("close-out proposed", None, "maker",
                                          lambda a: f"proceeds {format_cny(a['proceeds'])} CNY"),
    (CONTRACT, "RepoClosedOut"): _step("closed out", Status.CLOSED_OUT, "checker",
                                       lambda a: f"proceeds {format_cny(a['proceeds'])}, due {format_cny(a['amountDue'])}, "
                                                 f"shortfall {format_cny(a['shortfall'])}, surplus {format_cny(a['surplus'])} CNY",
                                       other="maker"),
}

TX = Column("tx", "transaction")
BLOCK = Column("block")


def _agreement_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    found = rows(db, "SELECT * FROM repo_agreements WHERE id = ?", int(key))
    if not found:
        return []
    a = found[0]
    events = rows(db, """SELECT time, action, by, other, detail, ratio_bps, price, round_id, health, since, deadline,
        ref, tx, block FROM repo_events WHERE id = ? ORDER BY block, log_index""", int(key))
    checks = [e for e in events if e["ratio_bps"] is not None]
    for e in checks:
        e["ratio"] = format_bps(e["ratio_bps"])
    lines = [(a["warning_bps"], f"warning {format_bps(a['warning_bps'])}"),
             (a["margin_call_bps"], f"margin call {format_bps(a['margin_call_bps'])}"),
             (a["close_out_bps"], f"close-out {format_bps(a['close_out_bps'])}")]
    chart = line_chart(f"agreement-{key}", [(e["time"], e["ratio_bps"], f"{e['ratio']} ({e['health']}, {utc(e['time'])})")
                                            for e in checks],
                       lines=lines, fmt=format_bps,
                       caption=f"Collateral ratio of agreement {key} at each health change, against its three lines.")
    notices = [e for e in events if e["action"] in ("health changed", "price unavailable")]
    return [Section(f"Repo agreement {key}", facts=[
        ("status", a["status"]), ("health", a["health"]),
        ("financier", ("did", a["financier"])), ("counterparty", ("did", a["counterparty"])),
        ("market", ("market", a["market"])), ("collateral", f"{a['quantity']:,} tCO2e"),
        ("principal", f"{format_cny(a['principal'])} CNY at {format_bps(a['rate_bps'])} a year (ACT/365)"),
        ("term", f"{utc(a['start'])} to {utc(a['maturity'])}"),
        ("lines", f"warning {format_bps(a['warning_bps'])}, margin call {format_bps(a['margin_call_bps'])} "
                  f"(cure {a['cure_period'] // 3600} h), close-out {format_bps(a['close_out_bps'])}; haircut "
                  f"{format_bps(a['haircut_bps'])}"),
        ("repo contract", ("document", a["contract_digest"])),
        ("counterparty credential", ("credential", a["credential"])),
        ("proposed", ("time", a["time"])),
    ], template="audit_chart.html.j2", context={"chart": chart}, trails=[
        Trail("timeline", "State timeline", [Column("time", time=True), Column("action"), Column("by", link="did"),
              Column("detail"), Column("ref"), TX, BLOCK], events),
        Trail("notices", "Notices: health changes and unavailable prices",
              [Column("time", time=True), Column("action"), Column("detail"), Column("ratio_bps", "ratio (bps)"),
               Column("round_id", "price round"), Column("deadline", "cure deadline", time=True), TX, BLOCK], notices,
              "no notice"),
    ])]


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    data = rows(db, """SELECT time, id AS agreement, CASE WHEN financier = ?1 THEN 'financier' ELSE 'counterparty' END
        AS role, market, quantity, principal, status, health, tx, block FROM repo_agreements
        WHERE financier = ?1 OR counterparty = ?1 ORDER BY block""", address)
    acted = rows(db, """SELECT e.time, e.id AS agreement, e.action, e.detail, e.tx, e.block FROM repo_events e
        WHERE lower(e.by) = ? OR lower(e.other) = ? ORDER BY e.block, e.log_index""", address, address)
    if not data and not acted:
        return []
    for d in data:
        d["principal"] = format_cny(d["principal"])
    return [Section("Repo agreements", trails=[
        Trail("agreements", "Agreements as a party", [Column("time", "proposed", time=True),
              Column("agreement", link="agreement"), Column("role"), Column("market", link="market"),
              Column("quantity", "tCO2e"), Column("principal", "principal (CNY)"), Column("status"), Column("health"),
              TX, BLOCK], data),
        Trail("agreement_actions", "Approvals, confirmations and decisions made", [Column("time", time=True),
              Column("agreement", link="agreement"), Column("action"), Column("detail"), TX, BLOCK], acted),
    ])]


def _overview(db: sqlite3.Connection) -> list[Section]:
    data = rows(db, """SELECT time, id AS agreement, counterparty, market, quantity, status, health, tx
        FROM repo_agreements ORDER BY block DESC, log_index DESC LIMIT 25""")
    return [Section("Latest repo agreements", trails=[Trail("latest_agreements", "Agreements (newest first, 25 at most)",
        [Column("time", "proposed", time=True), Column("agreement", link="agreement"), Column("counterparty", link="did"),
         Column("market", link="market"), Column("quantity", "tCO2e"), Column("status"), Column("health"), TX], data)])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    return id_hits(db, text, "agreement", "SELECT id, status FROM repo_agreements WHERE id = ?",
                   lambda r: f"repo agreement {r['id']} ({r['status']})")


AUDIT = AuditDomain(
    name="repo",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("agreement", "Repo agreement", parse_id)],
    sections={"agreement": _agreement_sections, "did": _did_sections},
    search=_search,
    overview=_overview,
    unmapped=ROLE_EVENTS,
)
