"""Identity's part of the regulator's view: DID document changes (ERC-1056), accreditations and
their history, credentials issued and held, every verification and by whom, suspensions and
revocations with their reasons. Pages: ``/did/<DID or address>`` and ``/credential/<digest>``.
No personal data is on chain, so none is here: DIDs, digests, types and statuses."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..core.audit import (
    ROLE_EVENTS, AuditDomain, Column, Event, Hit, Kind, Section, Source, Trail, contract_sources, insert,
    parse_address, parse_digest, rows, text32, update,
)
from .resolver import did_for

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS identity_did_changes (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        identity TEXT, change TEXT, name TEXT, value TEXT, valid_to TEXT, previous_change INTEGER,
        UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS identity_accreditations (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        issuer TEXT, credential_type TEXT, action TEXT, by TEXT, valid_from INTEGER, valid_until INTEGER,
        can_accredit INTEGER, depth INTEGER, reason INTEGER, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS identity_credentials (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, issuer TEXT, subject TEXT, credential_type TEXT, expires_at INTEGER,
        status TEXT, status_time INTEGER, reason INTEGER, UNIQUE (tx, log_index), UNIQUE (digest))""",
    """CREATE TABLE IF NOT EXISTS identity_credential_events (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, action TEXT, by TEXT, reason INTEGER, UNIQUE (tx, log_index))""",
    """CREATE TABLE IF NOT EXISTS identity_verifications (
        tx TEXT, log_index INTEGER, block INTEGER, time INTEGER,
        digest TEXT, verifier TEXT, subject TEXT, valid INTEGER, UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS identity_did_changes_identity ON identity_did_changes (identity)",
    "CREATE INDEX IF NOT EXISTS identity_accreditations_issuer ON identity_accreditations (issuer)",
    "CREATE INDEX IF NOT EXISTS identity_credentials_subject ON identity_credentials (subject)",
    "CREATE INDEX IF NOT EXISTS identity_credentials_issuer ON identity_credentials (issuer)",
    "CREATE INDEX IF NOT EXISTS identity_credential_events_digest ON identity_credential_events (digest)",
    "CREATE INDEX IF NOT EXISTS identity_verifications_digest ON identity_verifications (digest)",
    "CREATE INDEX IF NOT EXISTS identity_verifications_verifier ON identity_verifications (verifier)",
]

CONTRACTS = ("DIDRegistry", "TrustedIssuerRegistry", "CredentialRegistry")


def _sources(deployment: Any) -> list[Source]:
    return contract_sources(deployment, CONTRACTS)


def _lower(a: str) -> str:
    return a.lower()


def _owner(db: sqlite3.Connection, ev: Event) -> None:
    insert(db, "identity_did_changes", ev, identity=_lower(ev.args["identity"]), change="owner",
           value=ev.args["owner"], previous_change=ev.args["previousChange"])


def _delegate(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "identity_did_changes", ev, identity=_lower(a["identity"]), change="delegate",
           name=text32(a["delegateType"]), value=a["delegate"], valid_to=str(a["validTo"]),
           previous_change=a["previousChange"])


def _attribute(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "identity_did_changes", ev, identity=_lower(a["identity"]), change="attribute",
           name=text32(a["name"]), value=a["value"], valid_to=str(a["validTo"]), previous_change=a["previousChange"])


def _accreditation(action: str):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        insert(db, "identity_accreditations", ev, issuer=_lower(a["issuer"]), credential_type=text32(a["credentialType"]),
               action=action, by=a["by"], valid_from=a.get("validFrom"), valid_until=a.get("validUntil"),
               can_accredit=a.get("canAccredit"), depth=a.get("depth"), reason=a.get("reason"))

    return mapper


def _issued(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "identity_credentials", ev, digest=a["digest"], issuer=_lower(a["issuer"]), subject=_lower(a["subject"]),
           credential_type=text32(a["credentialType"]), expires_at=a["expiresAt"], status="Active", status_time=ev.time)
    insert(db, "identity_credential_events", ev, digest=a["digest"], action="issued", by=a["issuer"])


def _credential_status(action: str, status: str):
    def mapper(db: sqlite3.Connection, ev: Event) -> None:
        a = ev.args
        insert(db, "identity_credential_events", ev, digest=a["digest"], action=action, by=a["by"], reason=a.get("reason"))
        update(db, "identity_credentials", {"digest": a["digest"]}, status=status, status_time=ev.time,
               reason=a.get("reason"))

    return mapper


def _verified(db: sqlite3.Connection, ev: Event) -> None:
    a = ev.args
    insert(db, "identity_verifications", ev, digest=a["digest"], verifier=_lower(a["verifier"]),
           subject=_lower(a["subject"]), valid=bool(a["valid"]))


MAPPERS = {
    ("DIDRegistry", "DIDOwnerChanged"): _owner,
    ("DIDRegistry", "DIDDelegateChanged"): _delegate,
    ("DIDRegistry", "DIDAttributeChanged"): _attribute,
    ("TrustedIssuerRegistry", "IssuerAccredited"): _accreditation("accredited"),
    ("TrustedIssuerRegistry", "AccreditationSuspended"): _accreditation("suspended"),
    ("TrustedIssuerRegistry", "AccreditationReinstated"): _accreditation("reinstated"),
    ("TrustedIssuerRegistry", "AccreditationWithdrawn"): _accreditation("withdrawn"),
    ("CredentialRegistry", "CredentialIssued"): _issued,
    ("CredentialRegistry", "CredentialSuspended"): _credential_status("suspended", "Suspended"),
    ("CredentialRegistry", "CredentialReinstated"): _credential_status("reinstated", "Active"),
    ("CredentialRegistry", "CredentialRevoked"): _credential_status("revoked", "Revoked"),
    ("CredentialRegistry", "CredentialVerified"): _verified,
}

TX = Column("tx", "transaction")
BLOCK = Column("block")
CRED = Column("credential", link="credential")
ACCREDITATION_STATE = {"accredited": "Active", "reinstated": "Active", "suspended": "Suspended", "withdrawn": "Withdrawn"}


def _chain_id(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'chain_id'").fetchone()
    return int(row[0]) if row else 0


def _credentials_trail(db: sqlite3.Connection, where: str, address: str, name: str, title: str, who: str) -> Trail:
    data = rows(db, f"""SELECT c.time AS issued, c.digest AS credential, c.credential_type AS type,
        c.{who} AS {who}, c.expires_at AS expires, c.status, c.status_time AS since, c.reason,
        (SELECT COUNT(*) FROM identity_verifications v WHERE v.digest = c.digest) AS verifications, c.tx, c.block
        FROM identity_credentials c WHERE {where} = ? ORDER BY c.block, c.log_index""", address)
    return Trail(name, title, [Column("issued", time=True), CRED, Column("type"), Column(who, link="did"),
                               Column("expires", time=True), Column("status"), Column("since", time=True),
                               Column("reason"), Column("verifications"), TX, BLOCK], data)


def _did_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    address = parse_address(key)
    if address is None:
        return []
    accreditations = rows(db, """SELECT time, credential_type AS type, action, by, valid_from, valid_until,
        can_accredit, depth, reason, tx, block FROM identity_accreditations WHERE issuer = ?
        ORDER BY block, log_index""", address)
    current: dict[str, dict[str, Any]] = {}
    for a in accreditations:
        cur = current.setdefault(a["type"], {"type": a["type"]})
        cur.update(state=ACCREDITATION_STATE[a["action"]], since=a["time"], by=a["by"])
        if a["action"] == "accredited":
            cur.update(valid_from=a["valid_from"], valid_until=a["valid_until"], can_accredit=bool(a["can_accredit"]))
        if a["reason"] is not None:
            cur["reason"] = a["reason"]
    granted = rows(db, """SELECT time, issuer, credential_type AS type, action, valid_until, reason, tx, block
        FROM identity_accreditations WHERE lower(by) = ? ORDER BY block, log_index""", address)
    held = _credentials_trail(db, "c.subject", address, "credentials_held", "Credentials held", "issuer")
    issued = _credentials_trail(db, "c.issuer", address, "credentials_issued", "Credentials issued", "subject")
    status_changes = rows(db, """SELECT e.time, e.digest AS credential, c.credential_type AS type, e.action, e.by,
        e.reason, c.subject, c.issuer, e.tx, e.block FROM identity_credential_events e
        JOIN identity_credentials c ON c.digest = e.digest
        WHERE e.action != 'issued' AND (c.subject = ?1 OR c.issuer = ?1 OR lower(e.by) = ?1)
        ORDER BY e.block, e.log_index""", address)
    verifications = rows(db, """SELECT v.time, v.digest AS credential, c.credential_type AS type, v.verifier,
        v.subject, c.issuer, CASE v.valid WHEN 1 THEN 'valid' ELSE 'not valid' END AS verdict, v.tx, v.block
        FROM identity_verifications v LEFT JOIN identity_credentials c ON c.digest = v.digest
        WHERE v.subject = ?1 OR v.verifier = ?1 OR c.issuer = ?1 ORDER BY v.block, v.log_index""", address)
    changes = rows(db, """SELECT time, change, name, value, valid_to, previous_change, tx, block
        FROM identity_did_changes WHERE identity = ? ORDER BY block, log_index""", address)
    if not any((accreditations, granted, held.rows, issued.rows, status_changes, verifications, changes)):
        return []
    owner = next((c["value"] for c in reversed(changes) if c["change"] == "owner"), None)
    revoked = sum(1 for r in held.rows if r["status"] == "Revoked")
    facts: list[tuple[str, Any]] = [("DID", did_for(address, _chain_id(db)) if _chain_id(db) else address),
                                    ("controller", ("did", owner) if owner else "itself (never changed)"),
                                    ("credentials held", f"{len(held.rows)} ({revoked} revoked)"),
                                    ("credentials issued", len(issued.rows)),
                                    ("verifications", len(verifications))]
    return [Section("Identity and credentials", facts=facts, trails=[
        Trail("accreditations", "Accreditations (current state per credential type)",
              [Column("type"), Column("state"), Column("since", time=True), Column("by", link="did"),
               Column("valid_from", "valid from", time=True), Column("valid_until", "valid until", time=True),
               Column("can_accredit", "may accredit"), Column("reason")], list(current.values()), "not an issuer"),
        Trail("accreditation_history", "Accreditation history",
              [Column("time", time=True), Column("type"), Column("action"), Column("by", link="did"),
               Column("valid_until", "valid until", time=True), Column("depth"), Column("reason"), TX, BLOCK],
              accreditations, "no accreditation"),
        Trail("accreditations_granted", "Accreditations granted, suspended or withdrawn by this DID",
              [Column("time", time=True), Column("issuer", link="did"), Column("type"), Column("action"),
               Column("valid_until", "valid until", time=True), Column("reason"), TX, BLOCK], granted),
        held, issued,
        Trail("verifications", "Verifications (of credentials it holds or issued, or made by it)",
              [Column("time", time=True), CRED, Column("type"), Column("verifier", link="did"),
               Column("subject", link="did"), Column("issuer", link="did"), Column("verdict"), TX, BLOCK],
              verifications),
        Trail("suspensions_revocations", "Suspensions, reinstatements and revocations",
              [Column("time", time=True), CRED, Column("type"), Column("action"), Column("by", link="did"),
               Column("reason"), Column("subject", link="did"), TX, BLOCK], status_changes),
        Trail("did_changes", "DID document changes (ERC-1056)",
              [Column("time", time=True), Column("change"), Column("name"), Column("value"),
               Column("valid_to", "valid to"), Column("previous_change", "previous change (block)"), TX, BLOCK],
              changes),
    ])]


def _credential_sections(db: sqlite3.Connection, key: str) -> list[Section]:
    digest = parse_digest(key)
    found = rows(db, "SELECT * FROM identity_credentials WHERE digest = ?", digest) if digest else []
    if not found:
        return []
    c = found[0]
    events = rows(db, """SELECT time, action, by, reason, tx, block FROM identity_credential_events
        WHERE digest = ? ORDER BY block, log_index""", digest)
    verifications = rows(db, """SELECT time, verifier, CASE valid WHEN 1 THEN 'valid' ELSE 'not valid' END AS verdict,
        tx, block FROM identity_verifications WHERE digest = ? ORDER BY block, log_index""", digest)
    return [Section("Credential", facts=[
        ("digest", digest), ("type", c["credential_type"]), ("issuer", ("did", c["issuer"])),
        ("subject", ("did", c["subject"])), ("issued", ("time", c["time"])), ("expires", ("time", c["expires_at"])),
        ("status", c["status"] + (f" (reason {c['reason']})" if c["reason"] else "")),
        ("issuing transaction", f"{c['tx']} (block {c['block']})")], trails=[
        Trail("status", "Status history", [Column("time", time=True), Column("action"), Column("by", link="did"),
              Column("reason"), TX, BLOCK], events),
        Trail("verifications", "Verified by", [Column("time", time=True), Column("verifier", link="did"),
              Column("verdict"), TX, BLOCK], verifications),
    ])]


def _search(db: sqlite3.Connection, text: str) -> list[Hit]:
    address = parse_address(text)
    if address is not None:
        return [Hit("did", address, f"DID {did_for(address, _chain_id(db)) if _chain_id(db) else address}")]
    digest = parse_digest(text)
    if digest is None:
        return []
    return [Hit("credential", digest, f"credential ({r['credential_type']}, {r['status']})")
            for r in rows(db, "SELECT credential_type, status FROM identity_credentials WHERE digest = ?", digest)]


def _overview(db: sqlite3.Connection) -> list[Section]:
    creds = rows(db, """SELECT time, digest AS credential, credential_type AS type, issuer, subject, status, tx
        FROM identity_credentials ORDER BY block DESC, log_index DESC LIMIT 25""")
    issuers = rows(db, """SELECT time, issuer, credential_type AS type, action, by, tx FROM identity_accreditations
        ORDER BY block DESC, log_index DESC LIMIT 25""")
    return [Section("Latest credentials and accreditations", trails=[
        Trail("latest_credentials", "Credentials (newest first, 25 at most)", [Column("time", time=True), CRED,
              Column("type"), Column("issuer", link="did"), Column("subject", link="did"), Column("status"), TX], creds),
        Trail("latest_accreditations", "Accreditation changes (newest first, 25 at most)", [Column("time", time=True),
              Column("issuer", link="did"), Column("type"), Column("action"), Column("by", link="did"), TX], issuers),
    ])]


AUDIT = AuditDomain(
    name="identity",
    schema=SCHEMA,
    sources=_sources,
    mappers=MAPPERS,
    kinds=[Kind("did", "DID", parse_address), Kind("credential", "Credential", parse_digest)],
    sections={"did": _did_sections, "credential": _credential_sections},
    search=_search,
    overview=_overview,
    unmapped=ROLE_EVENTS,
)
