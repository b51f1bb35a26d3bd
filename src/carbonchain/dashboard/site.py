"""What the pages show, independent of the web framework: search, pages assembled from every
domain's sections, exports (CSV, JSON) and the home page. Reads the index file only (read-only)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from markupsafe import Markup

from ..core.audit import AuditDomain, Column, Hit, Kind, Section, Trail, cst, utc
from ..core.hashing import Algorithm, digest_bytes
from ..core.reports import render_template


class NotFound(Exception):
    pass


@dataclass
class Page:
    kind: Kind
    key: str
    sections: list[Section]

    @property
    def title(self) -> str:
        return f"{self.kind.title} {self.key}"

    def trail(self, name: str) -> Trail:
        for s in self.sections:
            for t in s.trails:
                if t.name == name:
                    return t
        raise NotFound(f"no trail {name!r} on this page")


def _cell(col: Column, value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {"text": ""}
    if col.time:
        try:
            ts = int(value)
        except (TypeError, ValueError):
            return {"text": str(value)}
        return {"utc": utc(ts), "cst": cst(ts)}
    if isinstance(value, bool):
        return {"text": "yes" if value else "no"}
    if col.link:
        return {"text": str(value), "href": f"/{col.link}/{value}"}
    return {"text": str(value)}


def _fact(value: Any) -> dict[str, Any]:
    """Facts are plain values or tagged tuples: ("time", ts), ("href", url, text), (kind, key)."""
    if isinstance(value, tuple):
        if value[0] == "time":
            return {"utc": utc(value[1]), "cst": cst(value[1])} if value[1] else {"text": ""}
        if value[0] == "href":
            return {"text": value[2], "href": value[1]}
        return {"text": str(value[1]), "href": f"/{value[0]}/{value[1]}"} if value[1] else {"text": ""}
    return {"text": "" if value is None else str(value)}


def display(section: Section) -> dict[str, Any]:
    """A section as the page template shows it (every cell formatted, links resolved)."""
    return {
        "title": section.title,
        "facts": [(k, _fact(v)) for k, v in section.facts],
        "html": Markup(render_template(section.template, **section.context)) if section.template else None,
        "trails": [{
            "name": t.name, "title": t.title, "empty": t.empty, "count": len(t.rows),
            "columns": [c.heading for c in t.columns],
            "rows": [[_cell(c, r.get(c.key)) for c in t.columns] for r in t.rows],
        } for t in section.trails],
    }


def export_rows(trail: Trail) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows for CSV/JSON: every time column also in UTC and CST text."""
    names: list[str] = []
    for c in trail.columns:
        names.append(c.key)
        if c.time:
            names += [f"{c.key}_utc", f"{c.key}_cst"]
    out = []
    for r in trail.rows:
        row: dict[str, Any] = {}
        for c in trail.columns:
            v = r.get(c.key)
            row[c.key] = v
            if c.time:
                row[f"{c.key}_utc"] = utc(v) if v else ""
                row[f"{c.key}_cst"] = cst(v) if v else ""
        out.append(row)
    return names, out


def trail_csv(trail: Trail) -> str:
    names, data = export_rows(trail)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
    w.writeheader()
    for r in data:
        w.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue()


def trail_json(trail: Trail, page: Page) -> dict[str, Any]:
    _names, data = export_rows(trail)
    return {"kind": page.kind.name, "key": page.key, "trail": trail.name, "title": trail.title, "rows": data}


def page_json(page: Page) -> dict[str, Any]:
    return {
        "kind": page.kind.name, "key": page.key,
        "sections": [{
            "title": s.title,
            "facts": {k: (v[1] if isinstance(v, tuple) else v) for k, v in s.facts},
            "trails": {t.name: export_rows(t)[1] for t in s.trails},
        } for s in page.sections],
    }


class Site:
    """The pages of one index file for ``domains``."""

    def __init__(self, db_path: str | Path, domains: Sequence[AuditDomain]) -> None:
        self.path = Path(db_path)
        self.domains = list(domains)
        self.kinds: dict[str, Kind] = {}
        for d in self.domains:
            for k in d.kinds:
                self.kinds.setdefault(k.name, k)

    def connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise NotFound(f"no index at {self.path}: run `ape run dashboard index` first")
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)

    def meta(self) -> dict[str, str]:
        try:
            db = self.connect()
        except NotFound:
            return {}
        try:
            m = dict(db.execute("SELECT key, value FROM meta").fetchall())
            m["events"] = str(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            row = db.execute("SELECT MAX(time) FROM events").fetchone()
            m["last_event_time"] = str(row[0] or "")
            return m
        except sqlite3.Error:
            return {}
        finally:
            db.close()

    def search(self, text: str) -> list[Hit]:
        text = text.strip()
        if not text:
            return []
        db = self.connect()
        try:
            hits: list[Hit] = []
            for d in self.domains:
                hits += [h for h in d.search(db, text) if h not in hits]
            return hits
        finally:
            db.close()

    def page(self, kind: str, key: str) -> Page:
        k = self.kinds.get(kind)
        if k is None:
            raise NotFound(f"no page kind {kind!r}")
        parsed = k.parse(key)
        if parsed is None:
            raise NotFound(f"{key!r} is not a {k.title}")
        db = self.connect()
        try:
            sections: list[Section] = []
            for d in self.domains:
                fn = d.sections.get(kind)
                if fn is not None:
                    sections += fn(db, parsed)
            return Page(k, parsed, sections)
        finally:
            db.close()

    def document(self, kind: str, key: str, name: str, **query: Any) -> str:
        db = self.connect()
        try:
            for d in self.domains:
                fn = d.documents.get((kind, name))
                if fn is not None:
                    html = fn(db, key, **query)
                    if html is not None:
                        return html
            raise NotFound(f"no {name} for {kind} {key}")
        finally:
            db.close()

    def overview(self) -> list[Section]:
        try:
            db = self.connect()
        except NotFound:
            return []
        try:
            out: list[Section] = []
            for d in self.domains:
                out += d.overview(db)
            return out
        finally:
            db.close()

    def hash_file(self, data: bytes) -> dict[str, Any]:
        """The digests of an uploaded file (SHA-256, Keccak-256, SM3) and the pages they lead to."""
        digests = {a.label: "0x" + digest_bytes(data, a).hex() for a in Algorithm}
        hits: list[Hit] = []
        for d in digests.values():
            hits += [h for h in self.search(d) if h not in hits]
        return {"size": len(data), "digests": digests,
                "hits": [{"kind": h.kind, "key": h.key, "label": h.label, "url": f"/{h.kind}/{h.key}"} for h in hits]}


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, default=str)
