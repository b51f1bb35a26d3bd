"""The notary's part of the regulator's view: documents, required signers, signatures, closures,
versions and batches, indexed from ``DocumentRegistry`` events; the document page and its evidence
report; the documents on a DID's page.

Batch members are not on chain (only the Merkle root is): their membership and Merkle path come
from the proofs files that ``ape run notary batch`` and the demo write (``carbonchain.notary.batch/1``),
found under ``$CARBONCHAIN_PROOFS`` (folders separated by ``:``; default: ``demo-output`` and
``reports`` in the project) and shown only when the proof leads to a root anchored on chain.
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
from .sdk import BATCH_FORMAT, REASONS, STATUS, Record, Signature, TxInfo, Verdict

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS notary_documents (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT NOT NULL, algorithm TEXT NOT NULL, anchorer TEXT, metadata TEXT, required INTEGER,
        signed INTEGER DEFAULT 0, status TEXT, closed_by TEXT, closed_time INTEGER, reason INTEGER,
        next_digest TEXT, next_algorithm TEXT, previous_digest TEXT, previous_algorithm TEXT,
        UNIQUE (tx, log_index), UNIQUE (digest, algorithm))""",
    """CREATE TABLE IF NOT EXISTS notary_required_signers (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, algorithm TEXT, signer TEXT, UNIQUE (tx, log_index, signer))""",
    """CREATE TABLE IF NOT EXISTS notary_signatures (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, algorithm TEXT, signer TEXT, relayer TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_closures (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, algorithm TEXT, action TEXT, by TEXT, reason INTEGER, next_digest TEXT, next_algorithm TEXT,
        UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_fully_signed (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER, digest TEXT, algorithm TEXT, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS notary_batches (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        root TEXT, algorithm TEXT, anchorer TEXT, leaf_count INTEGER, metadata TEXT, UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS notary_documents_anchorer ON notary_documents (anchorer)",
    "CREATE INDEX IF NOT EXISTS notary_required_signer ON notary_required_signers (signer)",
    "CREATE INDEX IF NOT EXISTS notary_required_digest ON notary_required_signers (digest)",
    "CREATE INDEX IF NOT EXISTS notary_signatures_digest ON notary_signatures (digest)",
    "CREATE INDEX IF NOT EXISTS notary_batches_root ON notary_batches (root)",
]

CONTRACT = "DocumentRegistry"


def _alg(v: Any) -> str:
    return Algorithm(int(v)).label


def _sources(deployment: Any) -> list[Source]:
    address = deployment.contracts.get(CONTRACT)
    return [Source(CONTRACT, address, "notary")] if address else []


def _anchored(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    alg = _alg(a["algorithm"])
    insert(db, "notary_documents", ev, digest=a["digest"], algorithm=alg, anchorer=a["anchorer"],
           metadata=a["metadata"], required=len(a["signers"]), status="Registered")
    for s in a["signers"]:
        insert(db, "notary_required_signers", ev, digest=a["digest"], algorithm=alg, signer=s)


def _signed(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    alg = _alg(a["algorithm"])
    insert(db, "notary_signatures", ev, digest=a["digest"], algorithm=alg, signer=a["signer"], relayer=a["relayer"])
    db.execute("UPDATE notary_documents SET signed = signed + 1 WHERE digest = ? AND algorithm = ?", (a["digest"], alg))


def _fully_signed(db: sqlite3.Connection, ev: Event) -> None:
    alg = _alg(ev.args["algorithm"])
    insert(db, "notary_fully_signed", ev, digest=ev.args["digest"], algorithm=alg)
    update(db, "notary_documents", {"digest": ev.args["digest"], "algorithm": alg}, status="FullySigned")


def _revoked(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    alg = _alg(a["algorithm"])
    insert(db, "notary_closures", ev, digest=a["digest"], algorithm=alg, action="revoked", by=a["by"], reason=a["reason"])
    update(db, "notary_documents", {"digest": a["digest"], "algorithm": alg}, status="Revoked", closed_by=a["by"],
           closed_time=ev.time, reason=a["reason"])


def _superseded(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    alg, nxt = _alg(a["algorithm"]), _alg(a["nextAlgorithm"])
    insert(db, "notary_closures", ev, digest=a["digest"], algorithm=alg, action="superseded", by=a["by"],
           reason=a["reason"], next_digest=a["nextDigest"], next_algorithm=nxt)
    update(db, "notary_documents", {"digest": a["digest"], "algorithm": alg}, status="Superseded", closed_by=a["by"],
           closed_time=ev.time, reason=a["reason"], next_digest=a["nextDigest"], next_algorithm=nxt)
    # The new version is anchored in the same transaction, just before this event.
    update(db, "notary_documents", {"digest": a["nextDigest"], "algorithm": nxt},
           previous_digest=a["digest"], previous_algorithm=alg)


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
                if isinstance(data, dict) and data.get("format") == BATCH_FORMAT:
                    for e in data.get("documents", []):
                        members.append({**e, "digest": e["digest"].lower(), "root": data["root"].lower(),
                                        "algorithm": data["algorithm"], "registry": data.get("registry", ""),
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
        batch = rows(db, "SELECT * FROM notary_batches WHERE root = ? AND algorithm = ?", m["root"], m["algorithm"])
        if not batch:
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
        out.append({**m, "batch": batch[0], "path": path, "leaf": "0x" + leaf_hash(d).hex()})
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


def _versions(db: sqlite3.Connection, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The version chain through ``doc`` (oldest first)."""
    chain = [doc]
    seen = {(doc["digest"], doc["algorithm"])}
    cur = doc
    while cur["previous_digest"] and (cur["previous_digest"], cur["previous_algorithm"]) not in seen:
        found = rows(db, "SELECT * FROM notary_documents WHERE digest = ? AND algorithm = ?",
                     cur["previous_digest"], cur["previous_algorithm"])
        if not found:
            break
        cur = found[0]
        seen.add((cur["digest"], cur["algorithm"]))
        chain.insert(0, cur)
    cur = doc
    while cur["next_digest"] and (cur["next_digest"], cur["next_algorithm"]) not in seen:
        found = rows(db, "SELECT * FROM notary_documents WHERE digest = ? AND algorithm = ?",
                     cur["next_digest"], cur["next_algorithm"])
        if not found:
            break
        cur = found[0]
        seen.add((cur["digest"], cur["algorithm"]))
        chain.append(cur)
    return [{"version": i + 1, "document": d["digest"], "algorithm": d["algorithm"], "status": d["status"],
             "anchored": d["time"], "current": "this" if d is doc else "", "tx": d["tx"]} for i, d in enumerate(chain)]


TX = Column("tx", "transaction")
BLOCK = Column("block")


def _document_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    digest = parse_digest(key)
    if digest is None:
        return []
    sections = []
    for doc in rows(db, "SELECT * FROM notary_documents WHERE digest = ? ORDER BY block", digest):
        alg = doc["algorithm"]
        verdict, why = verdict_of(doc)
        required = rows(db, "SELECT signer FROM notary_required_signers WHERE digest = ? AND algorithm = ?", digest, alg)
        signed = {r["signer"]: r for r in rows(
            db, "SELECT signer, relayer, time, tx, block FROM notary_signatures WHERE digest = ? AND algorithm = ?",
            digest, alg)}
        signers = [{"signer": r["signer"], "signed": signed[r["signer"]]["time"] if r["signer"] in signed else None,
                    "relayer": signed[r["signer"]]["relayer"] if r["signer"] in signed else "",
                    "tx": signed[r["signer"]]["tx"] if r["signer"] in signed else "",
                    "block": signed[r["signer"]]["block"] if r["signer"] in signed else None} for r in required]
        trail = rows(db, """
            SELECT time, 'anchored' AS action, anchorer AS by, '' AS detail, tx, block FROM notary_documents
              WHERE digest = ?1 AND algorithm = ?2
            UNION ALL SELECT time, 'signed', signer, CASE WHEN relayer != signer THEN 'relayed by ' || relayer
              ELSE '' END, tx, block FROM notary_signatures WHERE digest = ?1 AND algorithm = ?2
            UNION ALL SELECT time, 'fully signed', '', '', tx, block FROM notary_fully_signed
              WHERE digest = ?1 AND algorithm = ?2
            UNION ALL SELECT time, action, by, 'reason ' || reason || COALESCE(' -> ' || next_digest, ''), tx, block
              FROM notary_closures WHERE digest = ?1 AND algorithm = ?2
            ORDER BY block, time""", digest, alg)
        for r in trail:
            if r["action"] in ("revoked", "superseded"):
                code = int(r["detail"].split()[1])
                r["detail"] = REASONS.get(code, f"reason {code}") + r["detail"][len(f"reason {code}"):]
        sections.append(Section(
            title=f"Document ({alg})",
            facts=[("verdict", f"{verdict}: {why}"), ("digest", f"{alg} {digest}"),
                   ("anchored by", ("did", doc["anchorer"])), ("anchored", ("time", doc["time"])),
                   ("anchoring transaction", f"{doc['tx']} (block {doc['block']})"),
                   ("status", doc["status"]), ("signatures", f"{doc['signed']} of {doc['required']}"),
                   ("metadata digest", doc["metadata"]),
                   ("evidence report", ("href", f"/document/{digest}/evidence?algorithm={alg}", "evidence report"))],
            trails=[
                Trail("signers", "Required signers and when each signed",
                      [Column("signer", link="did"), Column("signed", "signed at", time=True),
                       Column("relayer", link="did"), TX, BLOCK], signers, "no signatures required"),
                Trail("versions", "Versions", [Column("version"), Column("document", link="document"),
                      Column("algorithm"), Column("status"), Column("anchored", time=True), Column("current"), TX],
                      _versions(db, doc)),
                Trail("trail", "Every event of this document",
                      [Column("time", time=True), Column("action"), Column("by", link="did"), Column("detail"),
                       TX, BLOCK], trail),
            ],
        ))
    for b in rows(db, "SELECT * FROM notary_batches WHERE root = ? ORDER BY block", digest):
        sections.append(Section(
            title=f"Batch root ({b['algorithm']})",
            facts=[("leaves", b["leaf_count"]), ("anchored by", ("did", b["anchorer"])), ("anchored", ("time", b["time"])),
                   ("transaction", f"{b['tx']} (block {b['block']})"), ("metadata digest", b["metadata"])],
        ))
    for m in _membership(db, digest):
        b = m["batch"]
        sections.append(Section(
            title="Batch membership",
            facts=[("verdict", f"VALID: document {int(m.get('index', 0)) + 1} of a batch of {b['leaf_count']} "
                               f"anchored under root {m['root']}"),
                   ("file", m.get("file", "")), ("batch root", ("document", m["root"])),
                   ("algorithm", m["algorithm"]), ("leaf", m["leaf"]), ("tree index", m.get("tree_index", "")),
                   ("root anchored", ("time", b["time"])), ("anchored by", ("did", b["anchorer"])),
                   ("transaction", f"{b['tx']} (block {b['block']})"), ("proofs file", m["proofs_file"])],
            trails=[Trail("merkle_path", "Merkle path (leaf to root; pairs hashed sorted)",
                          [Column("step"), Column("node"), Column("sibling"), Column("parent")], m["path"])],
        ))
    return sections


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    anchored = rows(db, """SELECT time, digest AS document, algorithm, status, required, signed, tx, block
        FROM notary_documents WHERE lower(anchorer) = ? ORDER BY block""", address)
    to_sign = rows(db, """SELECT r.digest AS document, r.algorithm, d.status, s.time AS signed, s.tx, s.block
        FROM notary_required_signers r JOIN notary_documents d ON d.digest = r.digest AND d.algorithm = r.algorithm
        LEFT JOIN notary_signatures s ON s.digest = r.digest AND s.algorithm = r.algorithm AND s.signer = r.signer
        WHERE lower(r.signer) = ? ORDER BY r.block""", address)
    batches = rows(db, "SELECT time, root AS document, algorithm, leaf_count, tx, block FROM notary_batches "
                       "WHERE lower(anchorer) = ? ORDER BY block", address)
    if not (anchored or to_sign or batches):
        return []
    doc = Column("document", link="document")
    return [Section("Documents (notary)", trails=[
        Trail("documents_signed", "Documents this party must sign", [doc, Column("algorithm"), Column("status"),
              Column("signed", "signed at", time=True), TX, BLOCK], to_sign),
        Trail("documents_anchored", "Documents anchored", [Column("time", time=True), doc, Column("algorithm"),
              Column("status"), Column("required"), Column("signed"), TX, BLOCK], anchored),
        Trail("batches_anchored", "Batches anchored", [Column("time", time=True), doc, Column("algorithm"),
              Column("leaf_count", "leaves"), TX, BLOCK], batches),
    ])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    digest = parse_digest(text)
    if digest is None:
        return []
    hits = [Hit("document", digest, f"document ({r['algorithm']}, {r['status']})")
            for r in rows(db, "SELECT algorithm, status FROM notary_documents WHERE digest = ?", digest)]
    hits += [Hit("document", digest, f"batch root ({r['algorithm']}, {r['leaf_count']} documents)")
             for r in rows(db, "SELECT algorithm, leaf_count FROM notary_batches WHERE root = ?", digest)]
    if not hits and _membership(db, digest):
        hits.append(Hit("document", digest, "document in a batch"))
    return hits


# ---------------------------------------------------------------------------------------------
# The evidence report, from the index (the same template as `ape run notary verify`)
# ---------------------------------------------------------------------------------------------


def evidence_html(db: sqlite3.Connection, key: str, algorithm: str | None = None) -> str | None:
    from ..core.hashing import to_bytes32
    from ..core.reports import now_utc, render_template
    from .evidence import timeline

    digest = parse_digest(key)
    if digest is None:
        return None
    docs = rows(db, "SELECT * FROM notary_documents WHERE digest = ? ORDER BY block", digest)
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

        def record(x: dict[str, Any]) -> Record:
            return Record(
                digest=to_bytes32(x["digest"]), algorithm=Algorithm.parse(x["algorithm"]), status=x["status"],
                anchorer=x["anchorer"], anchored_at=x["time"], required_signers=x["required"],
                signed_count=x["signed"], closed_by=x["closed_by"], closed_at=x["closed_time"] or 0,
                reason=x["reason"] or 0,
                previous=(to_bytes32(x["previous_digest"]), Algorithm.parse(x["previous_algorithm"]))
                if x["previous_digest"] else None,
                next=(to_bytes32(x["next_digest"]), Algorithm.parse(x["next_algorithm"])) if x["next_digest"] else None,
            )

        sigs = rows(db, "SELECT signer, time, tx, block FROM notary_signatures WHERE digest = ? AND algorithm = ?",
                    digest, d["algorithm"])
        signed_at = {s["signer"]: s["time"] for s in sigs}
        required = rows(db, "SELECT signer FROM notary_required_signers WHERE digest = ? AND algorithm = ?",
                        digest, d["algorithm"])
        closure = rows(db, "SELECT tx, block, time FROM notary_closures WHERE digest = ? AND algorithm = ?",
                       digest, d["algorithm"])
        versions = []
        for r in _versions(db, d):
            found = rows(db, "SELECT * FROM notary_documents WHERE digest = ? AND algorithm = ?", r["document"],
                         r["algorithm"])
            versions += [record(found[0])] if found else []
        verdict, why = verdict_of(d)
        v = Verdict(
            verdict=verdict, headline=f"{verdict}: the document {digest} is {why}.", file=digest,
            digests={alg: to_bytes32(digest)}, chain_id=chain_id, registry=registry, record=record(d),
            signatures=[Signature(r["signer"], signed_at.get(r["signer"], 0)) for r in required],
            anchor_tx=TxInfo(d["tx"], d["block"], d["time"]),
            signature_txs={s["signer"]: TxInfo(s["tx"], s["block"], s["time"]) for s in sigs},
            closure_tx=TxInfo(**closure[0]) if closure else None, versions=versions,
            metadata_digest=to_bytes32(d["metadata"]) if d["metadata"] else None,
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
