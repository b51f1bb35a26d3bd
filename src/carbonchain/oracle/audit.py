"""The oracle's part of the regulator's view: per market the price path (an SVG chart), every
round (published, held, confirmed, discarded), every quote and who sent it, closures, parameter
changes and staleness in trading days of the feed's calendar. Page: ``/market/<code>``;
an operator's quotes appear on its DID page."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, chain_time, cst, insert, line_chart,
    parse_address, rows, text32, utc,
)
from .markets import day_of, from_price, stale_at

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS oracle_markets (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        market TEXT, action TEXT, feed TEXT, currency TEXT, description TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS oracle_quotes (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        market TEXT, feed TEXT, round_id INTEGER, operator TEXT, price INTEGER, observed_at INTEGER, relayer TEXT,
        UNIQUE (tx, log_index, operator))""",
    """CREATE TABLE IF NOT EXISTS oracle_rounds (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        market TEXT, feed TEXT, round_id INTEGER, action TEXT, answer INTEGER, previous INTEGER, move_bps INTEGER,
        observed_at INTEGER, submissions INTEGER, by TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS oracle_settings (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        market TEXT, feed TEXT, setting TEXT, min_price INTEGER, max_price INTEGER, quorum INTEGER,
        max_move_bps INTEGER, heartbeat INTEGER, operator TEXT, operator_index INTEGER,
        closure_start INTEGER, closure_end INTEGER, UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS oracle_quotes_market ON oracle_quotes (market)",
    "CREATE INDEX IF NOT EXISTS oracle_quotes_operator ON oracle_quotes (operator)",
    "CREATE INDEX IF NOT EXISTS oracle_rounds_market ON oracle_rounds (market)",
    "CREATE INDEX IF NOT EXISTS oracle_settings_market ON oracle_settings (market)",
]

FEED = "CarbonPriceFeed"


def _sources(deployment: Any) -> list[Source]:
    out = [Source(FEED, address, code) for code, address in sorted(deployment.price_feeds.items())]
    if "MarketRegistry" in deployment.contracts:
        out.append(Source("MarketRegistry", deployment.contracts["MarketRegistry"], "MarketRegistry"))
    return out


def _market_event(action: str):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        currency = bytes.fromhex(a["currency"][2:]).decode("ascii", "replace") if "currency" in a else ""
        insert(db, "oracle_markets", ev, market=text32(a["code"]), action=action, feed=a.get("feed"),
               currency=currency, description=a.get("description"))

    return mapper


def _quote(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "oracle_quotes", ev, market=ev.label, feed=ev.address, round_id=a["roundId"], operator=a["operator"],
           price=a["price"], observed_at=a["observedAt"])


def _bundle(db: sqlite3.Connection, ev: Event) -> None:
    from .feeds import decode_trail

    a = ev.args
    for word in a["quotes"]:
        q = decode_trail(word)
        insert(db, "oracle_quotes", ev, market=ev.label, feed=ev.address, round_id=a["roundId"], operator=q.operator,
               price=q.price, observed_at=q.observed_at, relayer=a["relayer"])


def _round(action: str):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        insert(db, "oracle_rounds", ev, market=ev.label, feed=ev.address, round_id=a["roundId"], action=action,
               answer=a.get("answer", a.get("candidate")), previous=a.get("previous"), move_bps=a.get("moveBps"),
               observed_at=a.get("observedAt"), submissions=a.get("submissions"), by=a.get("by"))

    return mapper


def _setting(setting: str):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        insert(db, "oracle_settings", ev, market=ev.label, feed=ev.address, setting=setting,
               min_price=a.get("minPrice"), max_price=a.get("maxPrice"), quorum=a.get("quorum"),
               max_move_bps=a.get("limitBps"), heartbeat=a.get("grace"), operator=a.get("operator"),
               operator_index=None, closure_start=a.get("start"), closure_end=a.get("end"))

    return mapper


MAPPERS = {
    ("MarketRegistry", "MarketRegistered"): _market_event("registered"),
    ("MarketRegistry", "MarketUpdated"): _market_event("updated"),
    ("MarketRegistry", "MarketRemoved"): _market_event("removed"),
    (FEED, "QuoteSubmitted"): _quote,
    (FEED, "BundleSubmitted"): _bundle,
    (FEED, "RoundPublished"): _round("published"),
    (FEED, "RoundHeld"): _round("held"),
    (FEED, "RoundDiscarded"): _round("discarded"),
    (FEED, "HeldRoundConfirmed"): _round("confirmed"),
    (FEED, "BoundsChanged"): _setting("bounds"),
    (FEED, "ParamsChanged"): _setting("params"),
    (FEED, "OperatorAdded"): _setting("operator added"),
    (FEED, "OperatorRemoved"): _setting("operator removed"),
    (FEED, "ClosureScheduled"): _setting("closure"),
    (FEED, "ClosureCancelled"): _setting("closure cancelled"),
}

TX = Column("tx", "transaction")
BLOCK = Column("block")


def _price(v: Any) -> str:
    return "" if v is None else f"{from_price(int(v)):,.2f}"


def chart(market: str, points: list[dict[str, Any]], held: list[dict[str, Any]]) -> dict[str, Any]:
    """The price path (published answers by observation time) with the held rounds as squares."""
    return line_chart(
        market,
        [(p["observed_at"], p["answer"], f"round {p['round_id']}: {_price(p['answer'])} ({utc(p['observed_at'])})")
         for p in points],
        marks=[(h["observed_at"], h["answer"], f"round {h['round_id']} held ({h['final']}): {_price(h['answer'])}",
                "held discarded" if h["final"] == "discarded" else "held")
               for h in held if h["answer"] is not None and h["observed_at"]],
        fmt=_price,
        caption=f"Price path of {market}: published answers (CNY/tCO2e) by observation date (UTC); "
                "squares: held rounds (red: discarded).",
    )


def _latest_setting(settings: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((s for s in reversed(settings) if s["setting"] == name), None)


def _market_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    code = key.strip().upper()
    feed = rows(db, "SELECT address FROM contracts WHERE contract = ? AND upper(label) = ?", FEED, code)
    registry = rows(db, "SELECT time, action, feed, currency, description, tx, block FROM oracle_markets "
                        "WHERE upper(market) = ? ORDER BY block, log_index", code)
    if not feed and not registry:
        return []
    published = rows(db, """SELECT round_id, answer, observed_at, submissions, time, tx, block FROM oracle_rounds
        WHERE market = ? AND action IN ('published', 'confirmed') AND answer IS NOT NULL ORDER BY observed_at, round_id""",
                     code)
    # confirmed rounds publish too (RoundPublished follows); keep one point per round
    seen, points = set(), []
    for p in published:
        if p["round_id"] not in seen:
            seen.add(p["round_id"])
            points.append(p)
    events = rows(db, """SELECT time, round_id, action, answer, previous, move_bps, observed_at, submissions, by, tx, block
        FROM oracle_rounds WHERE market = ? ORDER BY block, log_index""", code)
    holds = []
    for h in (e for e in events if e["action"] == "held"):
        later = [e for e in events if e["round_id"] == h["round_id"] and e["action"] in ("confirmed", "discarded", "published")
                 and (e["block"], e["time"]) >= (h["block"], h["time"])]
        final = later[0]["action"] if later else "still held"
        if final == "published":
            final = "published by a later quorum"
        obs = next((q["observed_at"] for q in rows(db, "SELECT MIN(observed_at) AS observed_at FROM oracle_quotes "
                                                       "WHERE market = ? AND round_id = ?", code, h["round_id"])), None)
        holds.append({"round_id": h["round_id"], "held": h["time"], "answer": h["answer"], "candidate": _price(h["answer"]),
                      "previous": _price(h["previous"]), "move_bps": h["move_bps"], "final": final,
                      "by": later[0]["by"] if later else None, "observed_at": obs, "tx": h["tx"], "block": h["block"]})
    settings = rows(db, """SELECT time, setting, min_price, max_price, quorum, max_move_bps, heartbeat, operator,
        operator_index, closure_start, closure_end, tx, block FROM oracle_settings WHERE market = ?
        ORDER BY block, log_index""", code)
    params = _latest_setting(settings, "params")
    bounds = _latest_setting(settings, "bounds")
    windows: list[tuple[int, int]] = []
    for st in settings:  # the calendar as scheduled and cancelled
        if st["setting"] == "closure":
            windows.append((int(st["closure_start"]), int(st["closure_end"])))
        elif st["setting"] == "closure cancelled":
            windows = [w for w in windows if w[0] != int(st["closure_start"])]
    windows.sort()
    now = chain_time(db)  # the indexed chain's clock, not the wall's
    closure = next(({"closure_start": s0, "closure_end": e0} for s0, e0 in windows if e0 > now), None)
    last = points[-1] if points else None
    if last is None:
        staleness = "no price published yet"
    else:
        age = now - int(last["observed_at"])
        grace = params["heartbeat"] if params else 8 * 3600
        due = stale_at(windows, day_of(int(last["observed_at"])), grace)
        closed = any(s0 <= now < e0 for s0, e0 in windows)
        if closed:
            staleness = f"market closed until {utc(closure['closure_end'])}" if closure else "market closed"
            staleness += " (a closure extends freshness only for a feed fresh when it began)"
        if now > due:
            staleness = (f"STALE since {utc(due)}: last observation {age // 3600} h ago, the next trading "
                         "day's close is missing")
        elif not closed:
            staleness = f"fresh until {utc(due)}: last observation {age // 60} min ago"
    rounds = [{"round_id": e["round_id"], "action": e["action"], "answer": _price(e["answer"]),
               "observed_at": e["observed_at"], "submissions": e["submissions"], "by": e["by"], "time": e["time"],
               "tx": e["tx"], "block": e["block"]} for e in events]
    quotes = [{**q, "price": _price(q["price"])} for q in rows(db, """SELECT time, round_id, operator, price, observed_at,
        relayer, tx, block FROM oracle_quotes WHERE market = ? ORDER BY block, log_index""", code)]
    closures = [s for s in settings if s["setting"] == "closure"]
    described = next((r for r in reversed(registry) if r["action"] != "removed"), None)
    facts: list[tuple[str, Any]] = [
        ("market", code), ("feed", feed[0]["address"] if feed else (described or {}).get("feed", "")),
        ("description", (described or {}).get("description") or ""),
        ("latest answer", f"{_price(last['answer'])} CNY/tCO2e (round {last['round_id']})" if last else "none"),
        ("observed", ("time", last["observed_at"]) if last else ""),
        ("staleness", staleness),
        ("scheduled closure", f"{utc(closure['closure_start'])} to {utc(closure['closure_end'])} "
                              f"({cst(closure['closure_start'])} to {cst(closure['closure_end'])})"
         if closure and closure["closure_start"] else "none"),
        ("parameters", f"quorum {params['quorum']}, daily limit {params['max_move_bps']} bps, stale "
                       f"{params['heartbeat'] // 3600} h after the next trading day's close" if params else "unknown"),
        ("bounds", f"{_price(bounds['min_price'])} to {_price(bounds['max_price'])}" if bounds else "unknown"),
    ]
    return [Section(
        f"Market {code}", facts=facts, template="audit_chart.html.j2", context={"chart": chart(code, points, holds)},
        trails=[
            Trail("price_path", "Published prices", [Column("round_id", "round"), Column("observed_at", "observed", time=True),
                  Column("price"), Column("submissions"), Column("time", "published", time=True), TX, BLOCK],
                  [{**p, "price": _price(p["answer"])} for p in points]),
            Trail("held_rounds", "Held rounds and what became of them",
                  [Column("round_id", "round"), Column("held", time=True), Column("candidate"), Column("previous"),
                   Column("move_bps", "move (bps)"), Column("final", "outcome"), Column("by", link="did"), TX, BLOCK],
                  holds, "no round was held"),
            Trail("rounds", "Round events", [Column("time", time=True), Column("round_id", "round"), Column("action"),
                  Column("answer"), Column("observed_at", "observed", time=True), Column("submissions"),
                  Column("by", link="did"), TX, BLOCK], rounds),
            Trail("quotes", "Quotes", [Column("time", time=True), Column("round_id", "round"),
                  Column("operator", link="did"), Column("price"), Column("observed_at", "observed", time=True),
                  Column("relayer", link="did"), TX, BLOCK], quotes),
            Trail("closures", "Closures scheduled", [Column("time", "scheduled", time=True),
                  Column("closure_start", "from", time=True), Column("closure_end", "until", time=True), TX, BLOCK],
                  closures, "no closure scheduled"),
            Trail("settings", "Parameters and operators", [Column("time", time=True), Column("setting"),
                  Column("quorum"), Column("max_move_bps", "daily limit (bps)"), Column("heartbeat", "grace (s)"),
                  Column("operator", link="did"), TX, BLOCK],
                  [s for s in settings if s["setting"] != "closure"]),
            Trail("registry", "Market registry", [Column("time", time=True), Column("action"), Column("feed"),
                  Column("currency"), Column("description"), TX, BLOCK], registry),
        ],
    )]


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    quotes = rows(db, """SELECT time, market, round_id, price, observed_at, relayer, tx, block FROM oracle_quotes
        WHERE lower(operator) = ? ORDER BY block, log_index""", address)
    decisions = rows(db, """SELECT time, market, round_id, action, tx, block FROM oracle_rounds
        WHERE lower(by) = ? ORDER BY block, log_index""", address)
    if not quotes and not decisions:
        return []
    return [Section("Price oracle", trails=[
        Trail("quotes_sent", "Quotes sent as operator", [Column("time", time=True), Column("market", link="market"),
              Column("round_id", "round"), Column("price"), Column("observed_at", "observed", time=True),
              Column("relayer", link="did"), TX, BLOCK], [{**q, "price": _price(q["price"])} for q in quotes]),
        Trail("held_round_decisions", "Held rounds confirmed or discarded", [Column("time", time=True),
              Column("market", link="market"), Column("round_id", "round"), Column("action"), TX, BLOCK], decisions),
    ])]


def _parse_market(text: str) -> str | None:
    t = text.strip().upper()
    return t if t and len(t) <= 32 and t.replace("_", "").replace("-", "").isalnum() and not t.startswith("0X") else None


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    code = _parse_market(text)
    if code is None:
        return []
    known = rows(db, "SELECT label FROM contracts WHERE contract = ? AND upper(label) = ?", FEED, code)
    known += rows(db, "SELECT DISTINCT market AS label FROM oracle_markets WHERE upper(market) = ?", code)
    return [Hit("market", code, f"market {code}")] if known else []


def _overview(db: sqlite3.Connection) -> list[Section]:
    data = rows(db, """SELECT c.label AS market, r.answer, r.observed_at, r.round_id,
        (SELECT COUNT(*) FROM oracle_rounds h WHERE h.market = c.label AND h.action = 'held') AS held
        FROM contracts c LEFT JOIN oracle_rounds r ON r.rowid = (SELECT rowid FROM oracle_rounds x
          WHERE x.market = c.label AND x.action = 'published' ORDER BY x.block DESC, x.log_index DESC LIMIT 1)
        WHERE c.contract = ? ORDER BY c.label""", FEED)
    for d in data:
        d["price"] = _price(d["answer"])
    return [Section("Markets", trails=[Trail("markets", "Price feeds", [Column("market", link="market"),
        Column("price", "latest price"), Column("round_id", "round"), Column("observed_at", "observed", time=True),
        Column("held", "rounds held")], data, "no feed deployed")])]


AUDIT = AuditDomain(
    name="oracle",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("market", "Market", _parse_market)],
    sections={"market": _market_sections, "did": _did_sections},
    search=_search,
    overview=_overview,
    # role administration, and feed housekeeping that stays in the raw log (superseded quotes are
    # visible as quotes; pruning removes only windows already past)
    unmapped=(*ROLE_EVENTS, "PendingQuotesSuperseded", "ClosuresPruned"),
)
