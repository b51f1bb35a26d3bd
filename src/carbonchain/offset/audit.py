"""Offset's part of the regulator's view: retirements (serial ranges per standard, project and
vintage, with their cancellation certificates), reversals, and per neutrality programme the verified
emissions against the tonnes retired for it over time. Page: ``/programme/<id>``; programmes and
retirements appear on the enterprise's, verifier's and desk's DID pages."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, contract_sources, id_hits, insert,
    line_chart, parse_address, parse_id, rows, text32, update, utc,
)

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS offset_lots (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        lot TEXT, standard TEXT, project TEXT, vintage INTEGER, UNIQUE (tx, log_index), UNIQUE (lot))""",
    """CREATE TABLE IF NOT EXISTS offset_retirements (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, lot TEXT, beneficiary TEXT, first_serial INTEGER, last_serial INTEGER, tonnes INTEGER,
        programme INTEGER, reason TEXT, cancellation TEXT, trade TEXT, by TEXT, reversed_time INTEGER,
        reversal_reason TEXT, UNIQUE (tx, log_index), UNIQUE (id))""",
    """CREATE TABLE IF NOT EXISTS offset_programmes (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, enterprise TEXT, scope TEXT, subject TEXT, period_start INTEGER, period_end INTEGER,
        target_bps INTEGER, status TEXT, emissions INTEGER, retired INTEGER DEFAULT 0, certificate TEXT,
        UNIQUE (tx, log_index), UNIQUE (id))""",
    """CREATE TABLE IF NOT EXISTS offset_programme_events (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        id INTEGER, action TEXT, by TEXT, retirement INTEGER, tonnes INTEGER, digest TEXT, detail TEXT,
        UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS offset_programme_events_id ON offset_programme_events (id)",
    "CREATE INDEX IF NOT EXISTS offset_retirements_beneficiary ON offset_retirements (beneficiary)",
]

SCOPES = {0: "organisation", 1: "product", 2: "event"}


def _sources(deployment: Any) -> list[Source]:
    return contract_sources(deployment, ("RetirementRegistry", "NeutralityProgramme"))


def _lot(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "offset_lots", ev, lot=a["lot"], standard=text32(a["standard"]), project=text32(a["projectId"]),
           vintage=a["vintage"])


def _retired(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "offset_retirements", ev, id=a["id"], lot=a["lot"], beneficiary=a["beneficiary"].lower(),
           first_serial=a["firstSerial"], last_serial=a["lastSerial"], tonnes=a["lastSerial"] - a["firstSerial"] + 1,
           programme=a["programme"], reason=text32(a["reason"]), cancellation=a["cancellationDigest"],
           trade=a["tradeDigest"], by=a["by"])


def _reversed(db: sqlite3.Connection, ev: Event) -> None:
    update(db, "offset_retirements", {"id": ev.args["retirement"]}, reversed_time=ev.time,
           reversal_reason=text32(ev.args["reason"]))


def _demand(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "offset_programmes", ev, id=a["id"], enterprise=a["enterprise"].lower(),
           scope=SCOPES.get(int(a["scope"]), str(a["scope"])), subject=text32(a["subject"]),
           period_start=a["periodStart"], period_end=a["periodEnd"], target_bps=a["targetBps"], status="Raised")
    insert(db, "offset_programme_events", ev, id=a["id"], action="demand raised", by=a["enterprise"],
           detail=f"{SCOPES.get(int(a['scope']))} {text32(a['subject'])}, target {a['targetBps'] / 100:.2f}%")


def _event(action: str, status: str | None = None, *, by: str | None = None, digest: str | None = None):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        tonnes = a.get("quantity", a.get("emissionsTonnes"))
        insert(db, "offset_programme_events", ev, id=a["id"], action=action, by=a.get(by) if by else None,
               retirement=a.get("retirement"), tonnes=tonnes, digest=a.get(digest) if digest else None)
        changes: dict[str, Any] = {"status": status} if status else {}
        if action == "emissions verified":
            changes["emissions"] = a["emissionsTonnes"]
        if action == "certified":
            changes["certificate"] = a["digest"]
        if changes:
            update(db, "offset_programmes", {"id": a["id"]}, **changes)
        if action in ("retirement attributed", "retirement released"):
            sign = 1 if action == "retirement attributed" else -1
            db.execute("UPDATE offset_programmes SET retired = retired + ? WHERE id = ?", (sign * a["quantity"], a["id"]))

    return mapper


MAPPERS = {
    ("RetirementRegistry", "LotRegistered"): _lot,
    ("RetirementRegistry", "RangeRetired"): _retired,
    ("RetirementRegistry", "RetirementReversed"): _reversed,
    ("NeutralityProgramme", "DemandRaised"): _demand,
    ("NeutralityProgramme", "PlanPublished"): _event("plan published", "Planned", digest="planDigest"),
    ("NeutralityProgramme", "EmissionsVerified"): _event("emissions verified", "Verified", by="verifier",
                                                         digest="reportDigest"),
    ("NeutralityProgramme", "RetirementAttributed"): _event("retirement attributed", by="by"),
    ("NeutralityProgramme", "RetirementReleased"): _event("retirement released", by="by"),
    ("NeutralityProgramme", "ProgrammeCertified"): _event("certified", "Certified", by="certifier", digest="digest"),
}

TX = Column("tx", "transaction")
BLOCK = Column("block")
RETIREMENT_COLUMNS = [Column("time", "retired", time=True), Column("id", "retirement"), Column("standard"),
                      Column("project"), Column("vintage"), Column("first_serial", "first serial"),
                      Column("last_serial", "last serial"), Column("tonnes"), Column("beneficiary", link="did"),
                      Column("cancellation", "cancellation certificate", link="document"),
                      Column("reversed_time", "reversed", time=True), Column("reversal_reason", "reversal reason"),
                      TX, BLOCK]


def _retirements(db: sqlite3.Connection, where: str, *args: Any) -> list[dict[str, Any]]:
    return rows(db, f"""SELECT r.*, l.standard, l.project, l.vintage FROM offset_retirements r
        LEFT JOIN offset_lots l ON l.lot = r.lot WHERE {where} ORDER BY r.block, r.log_index""", *args)


def _programme_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    found = rows(db, "SELECT * FROM offset_programmes WHERE id = ?", int(key))
    if not found:
        return []
    p = found[0]
    events = rows(db, "SELECT * FROM offset_programme_events WHERE id = ? ORDER BY block, log_index", int(key))
    attributed = {e["retirement"] for e in events if e["action"] == "retirement attributed"}
    released = {e["retirement"] for e in events if e["action"] == "retirement released"}
    ids = sorted(attributed)
    retired_rows = _retirements(db, f"r.id IN ({','.join('?' * len(ids))})", *ids) if ids else []
    for r in retired_rows:
        r["attribution"] = "released" if r["id"] in released else "attributed"
    points, total = [], 0
    for e in events:
        if e["action"] in ("retirement attributed", "retirement released"):
            total += e["tonnes"] if e["action"] == "retirement attributed" else -e["tonnes"]
            points.append((e["time"], total, f"{total:,} t retired for the programme ({utc(e['time'])})"))
    required = None
    if p["emissions"] is not None:
        required = -(-p["emissions"] * p["target_bps"] // 10_000)
    lines = [(p["emissions"], f"verified emissions {p['emissions']:,} t")] if p["emissions"] is not None else []
    if required is not None and required != p["emissions"]:
        lines.append((required, f"required {required:,} t"))
    chart = line_chart(f"programme-{key}", points, lines=lines, fmt=lambda v: f"{v:,} t",
                       caption=f"Tonnes retired for programme {key} against its verified emissions.")
    return [Section(f"Neutrality programme {key}", facts=[
        ("status", p["status"]), ("enterprise", ("did", p["enterprise"])), ("scope", f"{p['scope']}: {p['subject']}"),
        ("period", f"{utc(p['period_start'])[:10]} to {utc(p['period_end'])[:10]} (end exclusive)"),
        ("target", f"{p['target_bps'] / 100:.2f}% of verified emissions"),
        ("verified emissions", f"{p['emissions']:,} tCO2e" if p["emissions"] is not None else "not yet verified"),
        ("retired for it", f"{p['retired']:,} tCO2e" + (f" of {required:,} required" if required is not None else "")),
        ("certificate", ("document", p["certificate"]) if p["certificate"] else "not certified"),
    ], template="audit_chart.html.j2", context={"chart": chart}, trails=[
        Trail("timeline", "Programme timeline", [Column("time", time=True), Column("action"), Column("by", link="did"),
              Column("retirement"), Column("tonnes"), Column("digest", link="document"), Column("detail"), TX, BLOCK],
              events),
        Trail("retirements", "Retirements attributed", [*RETIREMENT_COLUMNS[:-2], Column("attribution"), TX, BLOCK],
              retired_rows, "no retirement attributed"),
    ])]


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    programmes = rows(db, """SELECT time, id AS programme, scope, subject, status, emissions, retired, tx, block
        FROM offset_programmes WHERE enterprise = ? ORDER BY block""", address)
    acted = rows(db, """SELECT time, id AS programme, action, tonnes, digest, tx, block FROM offset_programme_events
        WHERE lower(by) = ? ORDER BY block, log_index""", address)
    retired = _retirements(db, "r.beneficiary = ?1 OR lower(r.by) = ?1", address)
    if not (programmes or acted or retired):
        return []
    prog = Column("programme", link="programme")
    return [Section("Offsets and neutrality", trails=[
        Trail("programmes", "Neutrality programmes of this enterprise", [Column("time", "raised", time=True), prog,
              Column("scope"), Column("subject"), Column("status"), Column("emissions"), Column("retired"), TX, BLOCK],
              programmes),
        Trail("programme_actions", "Verifications, attributions and certifications made",
              [Column("time", time=True), prog, Column("action"), Column("tonnes"), Column("digest", link="document"),
               TX, BLOCK], acted),
        Trail("retirements", "Retirements for or by this DID", RETIREMENT_COLUMNS, retired),
    ])]


def _overview(db: sqlite3.Connection) -> list[Section]:
    data = rows(db, """SELECT time, id AS programme, enterprise, subject, status, emissions, retired, tx
        FROM offset_programmes ORDER BY block DESC, log_index DESC LIMIT 25""")
    return [Section("Latest neutrality programmes", trails=[Trail("latest_programmes",
        "Programmes (newest first, 25 at most)", [Column("time", "raised", time=True),
        Column("programme", link="programme"), Column("enterprise", link="did"), Column("subject"), Column("status"),
        Column("emissions", "verified t"), Column("retired", "retired t"), TX], data)])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    return id_hits(db, text, "programme", "SELECT id, subject, status FROM offset_programmes WHERE id = ?",
                   lambda r: f"neutrality programme {r['id']} ({r['subject']}, {r['status']})")


AUDIT = AuditDomain(
    name="offset",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("programme", "Neutrality programme", parse_id)],
    sections={"programme": _programme_sections, "did": _did_sections},
    search=_search,
    overview=_overview,
    unmapped=ROLE_EVENTS,
)
