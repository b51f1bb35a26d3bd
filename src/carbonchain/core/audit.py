"""What a domain gives the regulator's view (``carbonchain.dashboard``): its tables, one mapper per
event, search and the sections of the pages.

The dashboard indexes every event of the deployed contracts into one SQLite file and serves pages;
it knows no domain. Each domain describes its part in ``<domain>/audit.py`` as an :class:`AuditDomain`
and the composition layer (``carbonchain.audit.AUDITS``) lists them, as it lists the deployers.

- ``schema``: ``CREATE TABLE IF NOT EXISTS`` statements. Every row carries the ``tx``, ``log_index``,
  ``block`` and ``time`` of the event it came from (see :func:`insert`), and every table has a
  ``UNIQUE`` key that includes ``(tx, log_index)``, so an event applied twice is stored once.
- ``sources(deployment)``: the contracts of the deployment this domain reads (name of the compiled
  contract type, address, label).
- ``mappers``: ``{(contract type, event name): fn(db, event)}``; a mapper turns one decoded event into
  rows of the domain's tables (with :func:`insert` / :func:`update`).
- ``kinds``: the pages the domain owns (``/did/<key>``, ``/document/<key>``...), with how a search
  text becomes the page's key.
- ``sections``: ``{kind: fn(db, key) -> [Section]}``: what the domain shows on a page of any kind
  (the notary adds "documents anchored and signed" to a DID's page).
- ``search``: ``fn(db, text) -> [Hit]``: the pages a search text (DID, digest, id, market) leads to.
- ``documents``: whole HTML documents beside a page (the notary's evidence report).
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

CST = _dt.timezone(_dt.timedelta(hours=8), "CST")

#: The columns every domain row carries first.
PROVENANCE = ("tx", "log_index", "block", "time")


@dataclass(frozen=True)
class Source:
    """A contract the indexer reads: compiled type ``contract`` at ``address``, shown as ``label``."""

    contract: str
    address: str
    label: str = ""


@dataclass(frozen=True)
class Event:
    """One decoded log. ``args`` holds Python values: ints, bools, ``0x``-hex strings for bytes,
    checksummed address strings, lists, and dicts for structs."""

    contract: str  # compiled contract type, e.g. "CarbonPriceFeed"
    label: str  # e.g. "CEA" for a feed
    address: str
    name: str
    args: Mapping[str, Any]
    tx: str
    log_index: int
    block: int
    time: int


Mapper = Callable[[sqlite3.Connection, Event], None]


@dataclass(frozen=True)
class Column:
    """A trail column. ``link`` names a page kind: the cell links to ``/<link>/<value>``.
    ``time`` columns hold unix seconds and are shown (and exported) in UTC and CST."""

    key: str
    title: str = ""
    link: str | None = None
    time: bool = False

    @property
    def heading(self) -> str:
        return self.title or self.key.replace("_", " ")


@dataclass
class Trail:
    """A table of a page, exportable as CSV and JSON under ``name``."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    empty: str = "none"


@dataclass
class Section:
    """A part of a page contributed by one domain: optional summary ``facts``, an optional partial
    ``template`` rendered with ``context`` (a chart), and trails."""

    title: str
    trails: list[Trail] = field(default_factory=list)
    facts: list[tuple[str, Any]] = field(default_factory=list)
    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    """A kind of page, e.g. ``did``: ``parse(text)`` gives the page key for a search text or None."""

    name: str
    title: str
    parse: Callable[[str], str | None]


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    label: str


@dataclass
class AuditDomain:
    name: str
    schema: Sequence[str]
    sources: Callable[[Any], list[Source]]
    mappers: Mapping[tuple[str, str], Mapper]
    kinds: Sequence[Kind] = ()
    sections: Mapping[str, Callable[[sqlite3.Connection, str], list[Section]]] = field(default_factory=dict)
    search: Callable[[sqlite3.Connection, str], list[Hit]] = lambda _db, _q: []
    #: sections of the home page (markets, latest documents...)
    overview: Callable[[sqlite3.Connection], list[Section]] = lambda _db: []
    #: whole HTML documents served beside a page: ``{(kind, name): fn(db, key, **query) -> html or None}``
    #: at ``/<kind>/<key>/<name>`` (the notary's evidence report)
    documents: Mapping[tuple[str, str], Callable[..., str | None]] = field(default_factory=dict)
    #: events of its contracts the domain deliberately leaves to the raw event log (role admin...)
    unmapped: Iterable[str] = ()


# -- helpers for the domains' mappers and views --------------------------------------------------


def insert(db: sqlite3.Connection, table: str, ev: Event, **cols: Any) -> None:
    """Adds one row with the event's provenance; a row already there (same unique key) is kept."""
    row = {"tx": ev.tx, "log_index": ev.log_index, "block": ev.block, "time": ev.time, **cols}
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", [sql_value(v) for v in row.values()])


def update(db: sqlite3.Connection, table: str, where: Mapping[str, Any], **cols: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in cols)
    cond = " AND ".join(f"{k} = ?" for k in where)
    db.execute(f"UPDATE {table} SET {sets} WHERE {cond}", [sql_value(v) for v in (*cols.values(), *where.values())])


def sql_value(v: Any) -> Any:
    """SQLite keeps integers up to 2**63 - 1; larger ones (uint256) are stored as decimal text."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and not -(2**63) <= v < 2**63:
        return str(v)
    return v


def chain_time(db: sqlite3.Connection) -> int:
    """The chain's time at the indexed head block (what a view calls "now": a local chain whose clock
    was moved ahead, or a node whose clock drifts, is judged by its own time). Falls back to the
    latest event's block time, then to the wall clock for an index that has seen no block yet."""
    try:
        got = db.execute("SELECT value FROM meta WHERE key = 'last_block_time'").fetchone()
        if got and got[0]:
            return int(got[0])
        got = db.execute("SELECT MAX(time) FROM events").fetchone()
        if got and got[0] is not None:
            return int(got[0])
    except sqlite3.OperationalError:
        pass
    return int(_dt.datetime.now(tz=_dt.timezone.utc).timestamp())


def rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def text32(value: str) -> str:
    """A ``bytes32`` holding short ASCII text (market code, credential type) as that text."""
    raw = bytes.fromhex(value[2:] if value.startswith("0x") else value).rstrip(b"\x00")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        return value


def parse_address(text: str) -> str | None:
    """A lowercase ``0x`` address from an address or a ``did:ethr`` DID (any network), else None."""
    t = text.strip()
    if t.lower().startswith("did:ethr:"):
        t = t.split("?")[0].split("#")[0].split(":")[-1]
    if len(t) == 42 and t[:2].lower() == "0x":
        try:
            int(t[2:], 16)
        except ValueError:
            return None
        return t.lower()
    return None


def parse_digest(text: str) -> str | None:
    """A lowercase ``0x`` 32-byte hex digest, else None."""
    t = text.strip().lower()
    if not t.startswith("0x"):
        t = "0x" + t
    if len(t) == 66:
        try:
            int(t[2:], 16)
        except ValueError:
            return None
        return t
    return None


def utc(ts: int | None) -> str:
    if not ts:
        return ""
    return _dt.datetime.fromtimestamp(int(ts), tz=_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def cst(ts: int | None) -> str:
    if not ts:
        return ""
    return _dt.datetime.fromtimestamp(int(ts), tz=CST).strftime("%Y-%m-%d %H:%M:%S CST")


def domain_events(domains: Iterable[AuditDomain]) -> dict[tuple[str, str], Mapper]:
    """Every mapper of every domain; two domains mapping the same event is a wiring error."""
    out: dict[tuple[str, str], Mapper] = {}
    for d in domains:
        for key, fn in d.mappers.items():
            if key in out:
                raise ValueError(f"{key} is mapped twice (second time by {d.name})")
            out[key] = fn
    return out


# -- inline SVG charts (rendered by core/templates/audit_chart.html.j2) ---------------------------


def line_chart(
    chart_id: str,
    points: Sequence[tuple[int, int, str]],
    *,
    marks: Sequence[tuple[int, int, str, str]] = (),
    lines: Sequence[tuple[int, str]] = (),
    fmt: Callable[[int], str] = str,
    caption: str = "",
    width: int = 760,
    height: int = 260,
) -> dict[str, Any]:
    """Coordinates of a time series for ``audit_chart.html.j2``: ``points`` (unix time, value, tooltip)
    joined by a line, ``marks`` (time, value, tooltip, css class) drawn as squares, horizontal
    ``lines`` (value, label) such as thresholds. Empty dict when there is nothing to draw."""
    values = [p[1] for p in points] + [m[1] for m in marks] + [v for v, _l in lines]
    times = [p[0] for p in points] + [m[0] for m in marks]
    if not values or not times:
        return {}
    left, right, top, bottom = 70, 20, 20, 40
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - max(abs(lo) // 20, 1), hi + max(abs(hi) // 20, 1)
    t0, t1 = min(times), max(times)
    span = max(t1 - t0, 1)

    def x(t: int) -> float:
        return round(left + (t - t0) / span * (width - left - right), 1)

    def y(v: int) -> float:
        return round(top + (hi - v) / (hi - lo) * (height - top - bottom), 1)

    return {
        "id": chart_id, "caption": caption, "width": width, "height": height, "left": left,
        "bottom": height - bottom, "right": width - right, "top": top,
        "path": " ".join(f"{x(t)},{y(v)}" for t, v, _l in points),
        "dots": [{"x": x(t), "y": y(v), "label": label} for t, v, label in points],
        "marks": [{"x": x(t), "y": y(v), "label": label, "cls": cls} for t, v, label, cls in marks],
        "lines": [{"y": y(v), "label": label} for v, label in lines],
        "yticks": [{"y": y(v), "label": fmt(v)} for v in (lo + (hi - lo) * i // 4 for i in range(5))],
        "xticks": [{"x": x(t), "label": utc(t)[:10], "anchor": "start" if t == t0 else "end" if t == t1 else "middle"}
                   for t in sorted({t0, t0 + span // 2, t1})],
    }


# -- what most domains declare alike --------------------------------------------------------------

#: OpenZeppelin AccessControl / AccessControlDefaultAdminRules events: role administration stays in
#: the raw event log (``events``), no domain maps it.
ROLE_EVENTS = ("RoleGranted", "RoleRevoked", "RoleAdminChanged", "DefaultAdminTransferScheduled",
               "DefaultAdminTransferCanceled", "DefaultAdminDelayChangeScheduled", "DefaultAdminDelayChangeCanceled",
               "EIP712DomainChanged")


def contract_sources(deployment: Any, names: Sequence[str]) -> list[Source]:
    """The deployments file's contracts of these names (those deployed), labelled by name."""
    return [Source(n, deployment.contracts[n], n) for n in names if n in deployment.contracts]


def parse_id(text: str) -> str | None:
    """A numeric id (``12`` or ``#12``) as its canonical text, else None."""
    t = text.strip().lstrip("#")
    return str(int(t)) if t.isdigit() and len(t) < 20 else None


def id_hits(db: sqlite3.Connection, text: str, kind: str, sql: str, label: Callable[[dict[str, Any]], str]) -> list[Hit]:
    """Search by numeric id: a hit of ``kind`` per row ``sql`` (one ``?`` for the id) finds."""
    key = parse_id(text)
    if key is None:
        return []
    return [Hit(kind, key, label(r)) for r in rows(db, sql, int(key))]
