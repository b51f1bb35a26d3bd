"""The notary's part of the regulator's view: documents, required signers, signatures, closures,
versions and batches, indexed from ``DocumentRegistry`` events; the document page and its evidence
report; the documents on a DID's page.

A record is what the registry keys: (anchorer, digest, algorithm). Several accounts may anchor one
digest (issue 8): each record keeps its own signers, signatures, status and versions here too, a
document page shows each record in its own section (naming its anchorer; trails of the second record
on are exported as ``signers_2``, ``trail_2``...), a search by digest finds every record, and the
evidence report judges the record of the anchorer named in its link.

Batch members are not on chain (only the Merkle root is): their membership and Merkle path come
from the proofs files that ``ape run notary batch`` and the demo write (``carbonchain.notary.batch/1``),
found under ``$CARBONCHAIN_PROOFS`` (folders separated by ``:``; default: ``demo-output`` and
``reports`` in the project) and shown only when the proof leads to a root anchored on chain (by the
anchorer the file names, for ``carbonchain.notary.batch/2`` files).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, insert, parse_address, parse_digest,
    rows, update,
)
from ..core.hashing import Algorithm
from ..core.merkle import hash_pair, leaf_hash
from ..core.merkle import verify as merkle_verify
from .sdk import BATCH_FORMATS, REASONS, STATUS, Record, Signature, TxInfo, Verdict

# Records are keyed as the registry keys them: (anchorer, digest, algorithm). Two accounts may anchor
# the same digest; each record has its own signers, signatures, status and version chain (issue 8),
# so every table of a record's events carries the record's anchorer and every update names it.
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS notary_documents (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        anchorer TEXT NOT NULL, digest TEXT NOT NULL, algorithm TEXT NOT NULL, metadata TEXT, required INTEGER,
        signed INTEGER DEFAULT 0, status TEXT, closed_by TEXT, closed_time INTEGER, reason INTEGER,
        next_digest TEXT, next_algorithm TEXT, previous_digest TEXT, previous_algorithm TEXT,
        UNIQUE (tx, log_index), UNIQUE (anchorer, digest, algorithm))""",
    """CREATE TABLE IF NOT EXISTS notary_required_signers (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        anchorer TEXT, digest TEXT, algorithm TEXT, signer TEXT, UNIQUE (tx, log_index, signer))""",
    """CREATE TABLE IF NOT EXISTS notary_signatures (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        anchorer TEXT, digest TEXT, algorithm TEXT, signer TEXT, relayer TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_closures (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        anchorer TEXT, digest TEXT, algorithm TEXT, action TEXT, by TEXT, reason INTEGER, next_digest TEXT,
        next_algorithm TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_fully_signed (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER, anchorer TEXT, digest TEXT, algorithm TEXT,
        UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_batches (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        root TEXT, algorithm TEXT, anchorer TEXT, leaf_count INTEGER, metadata TEXT, UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS notary_documents_digest ON notary_documents (digest)",
    "CREATE INDEX IF NOT EXISTS notary_documents_anchorer ON notary_documents (anchorer)",
    "CREATE INDEX IF NOT EXISTS notary_required_signer ON notary_required_signers (signer)",
    "CREATE INDEX IF NOT EXISTS notary_required_record ON notary_required_signers (digest, anchorer, algorithm)",
    "CREATE INDEX IF NOT EXISTS notary_signatures_record ON notary_signatures (digest, anchorer, algorithm)",
    "CREATE INDEX IF NOT EXISTS notary_closures_record ON notary_closures (digest, anchorer, algorithm)",
    "CREATE INDEX IF NOT EXISTS notary_batches_root ON notary_batches (root)",
]

CONTRACT = "DocumentRegistry"


def _alg(v: Any) -> str:
    return Algorithm(int(v)).label


def _sources(deployment: Any) -> list[Source]:
    address = deployment.contracts.get(CONTRACT)
    return [Source(CONTRACT, address, "notary")] if address else []


def _record(anchorer: str, digest: str, algorithm: str) -> dict[str, str]:
    """The key of one record, as the registry's ``recordId``: (anchorer, digest, algorithm)."""
    return {"anchorer": anchorer, "digest": digest, "algorithm": algorithm}


def _anchored(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    key = _record(a["anchorer"], a["digest"], _alg(a["algorithm"]))
    # A new version: `supersede` emits DocumentSuperseded for the old record just before it anchors
    # the new one (the same anchorer, in the same transaction).
    prev = rows(db, """SELECT digest, algorithm FROM notary_closures WHERE tx = ? AND action = 'superseded'
        AND anchorer = ? AND next_digest = ? AND next_algorithm = ?""", ev.tx, *key.values())
    insert(db, "notary_documents", ev, **key, metadata=a["metadata"], required=len(a["signers"]), status="Registered",
           previous_digest=prev[0]["digest"] if prev else None, previous_algorithm=prev[0]["algorithm"] if prev else None)
    for s in a["signers"]:
        insert(db, "notary_required_signers", ev, **key, signer=s)


def _signed(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    key = _record(a["anchorer"], a["digest"], _alg(a["algorithm"]))
    insert(db, "notary_signatures", ev, **key, signer=a["signer"], relayer=a["relayer"])
    db.execute("UPDATE notary_documents SET signed = signed + 1 WHERE anchorer = ? AND digest = ? AND algorithm = ?",
               tuple(key.values()))


def _fully_signed(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    key = _record(a["anchorer"], a["digest"], _alg(a["algorithm"]))
    insert(db, "notary_fully_signed", ev, **key)
    update(db, "notary_documents", key, status="FullySigned")


def _revoked(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    key = _record(a["anchorer"], a["digest"], _alg(a["algorithm"]))
    insert(db, "notary_closures", ev, **key, action="revoked", by=a["by"], reason=a["reason"])
    update(db, "notary_documents", key, status="Revoked", closed_by=a["by"], closed_time=ev.time, reason=a["reason"])


def _superseded(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    nxt = _alg(a["nextAlgorithm"])
    key = _record(a["by"], a["digest"], _alg(a["algorithm"]))  # only the anchorer supersedes its record
    insert(db, "notary_closures", ev, **key, action="superseded", by=a["by"], reason=a["reason"],
           next_digest=a["nextDigest"], next_algorithm=nxt)
    update(db, "notary_documents", key, status="Superseded", closed_by=a["by"], closed_time=ev.time,
           reason=a["reason"], next_digest=a["nextDigest"], next_algorithm=nxt)
    # The new version (the same anchorer's) is anchored right after this event; should it already be
    # indexed, link it here too.
    update(db, "notary_documents", _record(a["by"], a["nextDigest"], nxt),
           previous_digest=a["digest"], previous_algorithm=key["algorithm"])


def _batch(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "notary_batches", ev, root=a["root"], algorithm=_alg(a["algorithm"]), anchorer=a["anchorer"],
           leaf_count=a["leafCount"], metadata=a["metadata"])


MAPPERS = {
    (CONTRACT, "DocumentAnchored"): _anchored,
    (CONTRACT, "DocumentSigned"): _signed,
    (CONTRACT, "DocumentFullySigned"): _fully_signed,
    (CONTRACT, "DocumentRevoked"): _revoked,
    (CONTRACT, "DocumentSuperseded"): _superseded,
    (CONTRACT, "BatchAnchored"): _batch,
}

# ---------------------------------------------------------------------------------------------
# Batch members from proofs files
# ---------------------------------------------------------------------------------------------

_proof_cache: dict[str, tuple[float, list[dict[str, Any]]]] = {}


def proof_dirs() -> list[Path]:
    from ..core.deployments import project_root

    env = os.environ.get("CARBONCHAIN_PROOFS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    root = project_root()
    return [root / "demo-output", root / "reports"]


def _proof_files() -> list[Path]:
    out = []
    for d in proof_dirs():
        if d.is_dir():
            out += sorted(d.rglob("*.json"))
    return out


def batch_members(digest: str) -> list[dict[str, Any]]:
    """Entries of every proofs file naming ``digest`` (cached per file until it changes)."""
    found = []
    for p in _proof_files():
        try:
            mtime = p.stat().st_mtime
            cached = _proof_cache.get(str(p))
            if cached is None or cached[0] != mtime:
                if p.stat().st_size > 64 << 20:
                    continue
                data = json.loads(p.read_text())
                members = []
                if isinstance(data, dict) and data.get("format") in BATCH_FORMATS:
                    for e in data.get("documents", []):
                        members.append({**e, "digest": e["digest"].lower(), "root": data["root"].lower(),
                                        "algorithm": data["algorithm"], "registry": data.get("registry", ""),
                                        "anchorer": data.get("anchorer") or "",
                                        "chain_id": data.get("chain_id"), "proofs_file": str(p)})
                _proof_cache[str(p)] = (mtime, members)
            found += [m for m in _proof_cache[str(p)][1] if m["digest"] == digest]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _membership(db: sqlite3.Connection, digest: str) -> list[dict[str, Any]]:
    """Batch memberships of ``digest`` whose Merkle proof leads to a root anchored on chain."""
    out = []
    for m in batch_members(digest):
        # Batches are the anchorer's (keyed by anchorer and root): a proofs file naming its anchorer
        # (batch/2) leads to that account's root only; an older one to every account's.
        batches = [b for b in rows(db, "SELECT * FROM notary_batches WHERE root = ? AND algorithm = ? "
                                       "ORDER BY block, log_index", m["root"], m["algorithm"])
                   if not m["anchorer"] or b["anchorer"].lower() == m["anchorer"].lower()]
        if not batches:
            continue
        proof = [bytes.fromhex(x[2:]) for x in m["proof"]]
        d = bytes.fromhex(digest[2:])
        if not merkle_verify(bytes.fromhex(m["root"][2:]), d, proof):
            continue
        node, path = leaf_hash(d), []
        for sib in proof:
            parent = hash_pair(node, sib)
            path.append({"step": len(path) + 1, "node": "0x" + node.hex(), "sibling": "0x" + sib.hex(),
                         "parent": "0x" + parent.hex()})
            node = parent
        out += [{**m, "batch": b, "path": path, "leaf": "0x" + leaf_hash(d).hex()} for b in batches]
    return out


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


def verdict_of(doc: dict[str, Any]) -> tuple[str, str]:
    status, req, signed = doc["status"], doc["required"] or 0, doc["signed"] or 0
    reason = REASONS.get(doc["reason"] or 0, f"reason {doc['reason']}")
    if status == "Revoked":
        return "REVOKED", f"revoked ({reason})"
    if status == "Superseded":
        return "SUPERSEDED", f"replaced by a newer version ({reason})"
    if req == 0:
        return "VALID", "anchored (no signatures were required)"
    if signed >= req:
        return "VALID", f"anchored and signed by all {req} parties"
    return "INCOMPLETE", f"anchored, {signed} of {req} required parties have signed"


_RECORD = "anchorer = ? AND digest = ? AND algorithm = ?"


def _records(db: sqlite3.Connection, digest: str) -> list[dict[str, Any]]:
    """Every record of a digest, whoever anchored it, in anchoring order."""
    return rows(db, "SELECT * FROM notary_documents WHERE digest = ? ORDER BY block, log_index", digest)


def _find(db: sqlite3.Connection, anchorer: str, digest: str, algorithm: str) -> dict[str, Any] | None:
    found = rows(db, f"SELECT * FROM notary_documents WHERE {_RECORD}", anchorer, digest, algorithm)
    return found[0] if found else None


def _versions(db: sqlite3.Connection, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The version chain through ``doc`` (oldest first): versions belong to the record's anchorer."""
    who = doc["anchorer"]
    chain = [doc]
    seen = {(doc["digest"], doc["algorithm"])}
    cur: dict[str, Any] | None = doc
    while cur and cur["previous_digest"] and (cur["previous_digest"], cur["previous_algorithm"]) not in seen:
        cur = _find(db, who, cur["previous_digest"], cur["previous_algorithm"])
        if cur:
            seen.add((cur["digest"], cur["algorithm"]))
            chain.insert(0, cur)
    cur = doc
    while cur and cur["next_digest"] and (cur["next_digest"], cur["next_algorithm"]) not in seen:
        cur = _find(db, who, cur["next_digest"], cur["next_algorithm"])
        if cur:
            seen.add((cur["digest"], cur["algorithm"]))
            chain.append(cur)
    return [{"version": i + 1, "document": d["digest"], "algorithm": d["algorithm"], "anchorer": d["anchorer"],
             "status": d["status"], "anchored": d["time"], "current": "this" if d is doc else "", "tx": d["tx"]}
            for i, d in enumerate(chain)]


def _evidence_url(doc: dict[str, Any]) -> str:
    return f"/document/{doc['digest']}/evidence?algorithm={doc['algorithm']}&anchorer={doc['anchorer']}"


def _unique_trail_names(sections: list[Section]) -> list[Section]:
    """A page shows one section per record (or batch membership), each with the same trails: the
    first keeps the plain names (``signers``, ``trail``...), later ones get ``_2``, ``_3``... so each
    exports on its own (``/document/<digest>/signers_2.csv``) and page ids stay unique."""
    seen: dict[str, int] = {}
    for s in sections:
        for t in s.trails:
            seen[t.name] = seen.get(t.name, 0) + 1
            if seen[t.name] > 1:
                t.name = f"{t.name}_{seen[t.name]}"
    return sections


TX = Column("tx", "transaction")
BLOCK = Column("block")


def _document_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    digest = parse_digest(key)
    if digest is None:
        return []
    sections = []
    docs = _records(db, digest)
    for n, doc in enumerate(docs, 1):
        alg, who = doc["algorithm"], doc["anchorer"]
        verdict, why = verdict_of(doc)
        required = rows(db, f"SELECT signer FROM notary_required_signers WHERE {_RECORD} ORDER BY log_index, rowid",
                        who, digest, alg)
        signed = {r["signer"]: r for r in rows(
            db, f"SELECT signer, relayer, time, tx, block FROM notary_signatures WHERE {_RECORD}", who, digest, alg)}
        signers = [{"signer": r["signer"], "signed": signed[r["signer"]]["time"] if r["signer"] in signed else None,
                    "relayer": signed[r["signer"]]["relayer"] if r["signer"] in signed else "",
                    "tx": signed[r["signer"]]["tx"] if r["signer"] in signed else "",
                    "block": signed[r["signer"]]["block"] if r["signer"] in signed else None} for r in required]
        trail = rows(db, """
            SELECT time, 'anchored' AS action, anchorer AS by, '' AS detail, tx, block, log_index FROM notary_documents
              WHERE anchorer = ?1 AND digest = ?2 AND algorithm = ?3
            UNION ALL SELECT time, 'signed', signer, CASE WHEN relayer != signer THEN 'relayed by ' || relayer
              ELSE '' END, tx, block, log_index FROM notary_signatures WHERE anchorer = ?1 AND digest = ?2 AND algorithm = ?3
            UNION ALL SELECT time, 'fully signed', '', '', tx, block, log_index FROM notary_fully_signed
              WHERE anchorer = ?1 AND digest = ?2 AND algorithm = ?3
            UNION ALL SELECT time, action, by, 'reason ' || reason || COALESCE(' -> ' || next_digest, ''), tx, block,
              log_index FROM notary_closures WHERE anchorer = ?1 AND digest = ?2 AND algorithm = ?3
            ORDER BY block, log_index""", who, digest, alg)
        for r in trail:
            r.pop("log_index")
            if r["action"] in ("revoked", "superseded"):
                code = int(r["detail"].split()[1])
                r["detail"] = REASONS.get(code, f"reason {code}") + r["detail"][len(f"reason {code}"):]
        of = f", record {n} of {len(docs)}" if len(docs) > 1 else ""
        sections.append(Section(
            title=f"Document ({alg}) anchored by {who}{of}",
            facts=[("verdict", f"{verdict}: {why}"), ("digest", f"{alg} {digest}"),
                   ("anchored by", ("did", who)), ("anchored", ("time", doc["time"])),
                   ("anchoring transaction", f"{doc['tx']} (block {doc['block']})"),
                   ("status", doc["status"]), ("signatures", f"{doc['signed']} of {doc['required']}"),
                   *([("closed by", ("did", doc["closed_by"]))] if doc["closed_by"] else []),
                   ("records of this digest", f"{len(docs)} (each anchorer's record is judged on its own)"
                    if len(docs) > 1 else "1"),
                   ("metadata digest", doc["metadata"]),
                   ("evidence report", ("href", _evidence_url(doc), "evidence report"))],
            trails=[
                Trail("signers", f"Required signers of {who}'s record and when each signed",
                      [Column("signer", link="did"), Column("signed", "signed at", time=True),
                       Column("relayer", link="did"), TX, BLOCK], signers, "no signatures required"),
                Trail("versions", f"Versions ({who}'s records)", [Column("version"),
                      Column("document", link="document"), Column("algorithm"), Column("status"),
                      Column("anchored", time=True), Column("current"), TX], _versions(db, doc)),
                Trail("trail", f"Every event of {who}'s record",
                      [Column("time", time=True), Column("action"), Column("by", link="did"), Column("detail"),
                       TX, BLOCK], trail),
            ],
        ))
    for b in rows(db, "SELECT * FROM notary_batches WHERE root = ? ORDER BY block, log_index", digest):
        sections.append(Section(
            title=f"Batch root ({b['algorithm']}) anchored by {b['anchorer']}",
            facts=[("leaves", b["leaf_count"]), ("anchored by", ("did", b["anchorer"])), ("anchored", ("time", b["time"])),
                   ("transaction", f"{b['tx']} (block {b['block']})"), ("metadata digest", b["metadata"])],
        ))
    for m in _membership(db, digest):
        b = m["batch"]
        sections.append(Section(
            title=f"Batch membership (root anchored by {b['anchorer']})",
            facts=[("verdict", f"VALID: document {int(m.get('index', 0)) + 1} of a batch of {b['leaf_count']} "
                               f"anchored under root {m['root']}"),
                   ("file", m.get("file", "")), ("batch root", ("document", m["root"])),
                   ("algorithm", m["algorithm"]), ("leaf", m["leaf"]), ("tree index", m.get("tree_index", "")),
                   ("root anchored", ("time", b["time"])), ("anchored by", ("did", b["anchorer"])),
                   ("transaction", f"{b['tx']} (block {b['block']})"), ("proofs file", m["proofs_file"])],
            trails=[Trail("merkle_path", "Merkle path (leaf to root; pairs hashed sorted)",
                          [Column("step"), Column("node"), Column("sibling"), Column("parent")], m["path"])],
        ))
    return _unique_trail_names(sections)


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    anchored = rows(db, """SELECT time, digest AS document, algorithm, status, required, signed, tx, block
        FROM notary_documents WHERE lower(anchorer) = ? ORDER BY block, log_index""", address)
    to_sign = rows(db, """SELECT r.digest AS document, r.algorithm, r.anchorer, d.status, s.time AS signed,
            s.relayer, s.tx, s.block
        FROM notary_required_signers r
        JOIN notary_documents d ON d.anchorer = r.anchorer AND d.digest = r.digest AND d.algorithm = r.algorithm
        LEFT JOIN notary_signatures s ON s.anchorer = r.anchorer AND s.digest = r.digest AND s.algorithm = r.algorithm
            AND s.signer = r.signer
        WHERE lower(r.signer) = ? ORDER BY r.block, r.log_index""", address)
    batches = rows(db, "SELECT time, root AS document, algorithm, leaf_count, tx, block FROM notary_batches "
                       "WHERE lower(anchorer) = ? ORDER BY block, log_index", address)
    if not (anchored or to_sign or batches):
        return []
    doc = Column("document", link="document")
    return [Section("Documents (notary)", trails=[
        Trail("documents_signed", "Records this party must sign (one row per record: the anchorer's)",
              [doc, Column("algorithm"), Column("anchorer", link="did"), Column("status"),
               Column("signed", "signed at", time=True), Column("relayer", link="did"), TX, BLOCK], to_sign),
        Trail("documents_anchored", "Records anchored", [Column("time", time=True), doc, Column("algorithm"),
              Column("status"), Column("required"), Column("signed"), TX, BLOCK], anchored),
        Trail("batches_anchored", "Batches anchored", [Column("time", time=True), doc, Column("algorithm"),
              Column("leaf_count", "leaves"), TX, BLOCK], batches),
    ])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    digest = parse_digest(text)
    if digest is None:
        return []
    hits = [Hit("document", digest, f"document ({r['algorithm']}, {r['status']}) anchored by {r['anchorer']}")
            for r in _records(db, digest)]
    hits += [Hit("document", digest, f"batch root ({r['algorithm']}, {r['leaf_count']} documents) "
                                     f"anchored by {r['anchorer']}")
             for r in rows(db, "SELECT algorithm, leaf_count, anchorer FROM notary_batches WHERE root = ? "
                               "ORDER BY block, log_index", digest)]
    if not hits and _membership(db, digest):
        hits.append(Hit("document", digest, "document in a batch"))
    return hits


# ---------------------------------------------------------------------------------------------
# The evidence report, from the index (the same template as `ape run notary verify`)
# ---------------------------------------------------------------------------------------------


def _record_of(x: dict[str, Any]) -> Record:
    from ..core.hashing import to_bytes32

    return Record(
        digest=to_bytes32(x["digest"]), algorithm=Algorithm.parse(x["algorithm"]), status=x["status"],
        anchorer=x["anchorer"], anchored_at=x["time"], required_signers=x["required"],
        signed_count=x["signed"], closed_by=x["closed_by"], closed_at=x["closed_time"] or 0,
        reason=x["reason"] or 0,
        previous=(to_bytes32(x["previous_digest"]), Algorithm.parse(x["previous_algorithm"]))
        if x["previous_digest"] else None,
        next=(to_bytes32(x["next_digest"]), Algorithm.parse(x["next_algorithm"])) if x["next_digest"] else None,
    )


def evidence_html(db: sqlite3.Connection, key: str, algorithm: str | None = None, anchorer: str | None = None,
                  ) -> str | None:
    """The evidence report of one record: ``anchorer``'s (the document page links each record's
    report with its anchorer and algorithm); without ``anchorer``, the digest's first record, the
    report listing every record and saying which one it judges. None for an unknown record."""
    from ..core.hashing import to_bytes32
    from ..core.reports import now_utc, render_template
    from .evidence import timeline

    digest = parse_digest(key)
    if digest is None:
        return None
    every = _records(db, digest)
    docs = every
    if anchorer:
        who = parse_address(anchorer)
        docs = [d for d in docs if d["anchorer"].lower() == who]
        if not docs:  # never another account's record in its place
            return None
    if algorithm:
        docs = [d for d in docs if d["algorithm"] == algorithm] or docs
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    registry = (rows(db, "SELECT address FROM contracts WHERE contract = ?", CONTRACT) or [{"address": ""}])[0]["address"]
    chain_id = int(meta.get("chain_id", 0))
    if not docs:
        members = _membership(db, digest)
        if not members:
            return None
        m = members[0]
        b = m["batch"]
        v = Verdict(
            verdict="VALID", headline=f"VALID: document {int(m.get('index', 0)) + 1} of a batch of {b['leaf_count']} "
                                      f"anchored under root {m['root']}.",
            file=m.get("file", digest), digests={Algorithm.parse(m["algorithm"]): to_bytes32(digest)},
            chain_id=chain_id, registry=registry, anchor_tx=TxInfo(b["tx"], b["block"], b["time"]),
            batch={"root": m["root"], "algorithm": m["algorithm"], "leaf_count": b["leaf_count"],
                   "anchorer": b["anchorer"], "anchored_at": b["time"], "digest": digest, "leaf": m["leaf"],
                   "tree_index": m.get("tree_index"), "proof": m["proof"], "path": m["path"]},
        )
    else:
        d = docs[0]
        alg = Algorithm.parse(d["algorithm"])
        rec = (d["anchorer"], digest, d["algorithm"])
        sigs = rows(db, f"SELECT signer, time, tx, block FROM notary_signatures WHERE {_RECORD}", *rec)
        signed_at = {s["signer"]: s["time"] for s in sigs}
        required = rows(db, f"SELECT signer FROM notary_required_signers WHERE {_RECORD} ORDER BY log_index, rowid",
                        *rec)
        closure = rows(db, f"SELECT tx, block, time FROM notary_closures WHERE {_RECORD}", *rec)
        versions = []
        for r in _versions(db, d):
            found = _find(db, d["anchorer"], r["document"], r["algorithm"])
            versions += [_record_of(found)] if found else []
        verdict, why = verdict_of(d)
        v = Verdict(
            verdict=verdict, headline=f"{verdict}: the document {digest} is {why}.", file=digest,
            digests={alg: to_bytes32(digest)}, chain_id=chain_id, registry=registry, record=_record_of(d),
            signatures=[Signature(r["signer"], signed_at.get(r["signer"], 0)) for r in required],
            anchor_tx=TxInfo(d["tx"], d["block"], d["time"]),
            signature_txs={s["signer"]: TxInfo(s["tx"], s["block"], s["time"]) for s in sigs},
            closure_tx=TxInfo(closure[0]["tx"], closure[0]["block"], closure[0]["time"]) if closure else None, versions=versions,
            metadata_digest=to_bytes32(d["metadata"]) if d["metadata"] else None,
            candidates=[_record_of(x) for x in every] if len(every) > 1 else [],
            expected=(f"the record anchored by {d['anchorer']} (named in the request)" if anchorer
                      else f"the first record anchored (by {d['anchorer']}); name the anchorer to judge another"),
        )
    return render_template(
        "evidence.html.j2", v=v, name=v.file, digests=[(a.label, "0x" + x.hex()) for a, x in v.digests.items()],
        reasons=REASONS, points=timeline(v), has_metadata=bool(v.metadata_digest and any(v.metadata_digest)),
        network="from the regulator's index", generated=now_utc(),
    )


def _overview(db: sqlite3.Connection) -> list[Section]:
    docs = rows(db, """SELECT time, digest AS document, algorithm, status, required, signed, anchorer, tx, block
        FROM notary_documents ORDER BY block DESC, log_index DESC LIMIT 25""")
    batches = rows(db, """SELECT time, root AS document, algorithm, leaf_count, anchorer, tx, block
        FROM notary_batches ORDER BY block DESC, log_index DESC LIMIT 10""")
    doc = Column("document", link="document")
    return [Section("Latest documents", trails=[
        Trail("latest_documents", "Documents (newest first, 25 at most)", [Column("time", time=True), doc,
              Column("algorithm"), Column("status"), Column("required"), Column("signed"),
              Column("anchorer", link="did"), TX], docs),
        Trail("latest_batches", "Batches (newest first, 10 at most)", [Column("time", time=True), doc,
              Column("algorithm"), Column("leaf_count", "leaves"), Column("anchorer", link="did"), TX], batches),
    ])]


AUDIT = AuditDomain(
    name="notary",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("document", "Document", parse_digest)],
    sections={"document": _document_sections, "did": _did_sections},
    search=_search,
    documents={("document", "evidence"): evidence_html},
    overview=_overview,
    unmapped=ROLE_EVENTS,
)

__all__ = ["AUDIT", "STATUS", "evidence_html", "verdict_of"]
