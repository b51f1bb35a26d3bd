"""The indexer: every event of the deployed contracts into one SQLite file, incrementally.

- It reads logs from the deployments file's block (or where it stopped) to the chain head, in
  chunks of blocks. Each chunk is one SQLite transaction: its raw events, the domains' rows and the
  new "last indexed block" are written together or not at all, so a run killed at any point resumes
  from the last whole chunk and nothing is counted twice (every table is unique on
  ``(tx, log_index)``, and rows are inserted with ``INSERT OR IGNORE``).
- A file made for another chain (genesis hash), another deployment (contracts, addresses, block),
  another schema, or whose last indexed block is no longer on the chain (reorg, node restarted with
  another history) is indexed afresh: every table is dropped and rebuilt.
- Events of deployed contracts that no domain maps are still kept, decoded, in ``events``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import time as _time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..core.audit import AuditDomain, Event, Source, domain_events
from ..core.errors import CarbonChainError
from ..core.hashing import keccak256

SCHEMA_VERSION = "2"  # 2: notary records keyed by (anchorer, digest, algorithm), as the registry keys them

BASE_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE IF NOT EXISTS contracts (
        address TEXT PRIMARY KEY, contract TEXT NOT NULL, label TEXT, domain TEXT)""",
    """CREATE TABLE IF NOT EXISTS events (
        tx TEXT NOT NULL, log_index INTEGER NOT NULL, block INTEGER NOT NULL, time INTEGER NOT NULL,
        address TEXT NOT NULL, contract TEXT, label TEXT, event TEXT NOT NULL, args TEXT,
        UNIQUE (tx, log_index))""",
    "CREATE INDEX IF NOT EXISTS events_block ON events (block)",
    "CREATE INDEX IF NOT EXISTS events_address ON events (address)",
]


@dataclass
class IndexResult:
    from_block: int
    to_block: int
    events: int
    fresh: bool
    reason: str = ""  # why it started afresh
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------
# ABI decoding (plain eth_abi: Ape's per-event queries are too slow for a full chain)
# ---------------------------------------------------------------------------------------------


def _type_string(inp: Any) -> str:
    t = inp.type if isinstance(inp.type, str) else str(inp.type)
    if t.startswith("tuple"):
        inner = ",".join(_type_string(c) for c in inp.components)
        return f"({inner}){t[5:]}"
    return t


@functools.lru_cache(maxsize=65536)
def _checksum(address: str) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(address)


def _normalize(value: Any, inp: Any) -> Any:
    t = inp.type if isinstance(inp.type, str) else str(inp.type)
    if t.endswith("]"):
        elem = inp.model_copy(update={"type": t[: t.rindex("[")]})
        return [_normalize(v, elem) for v in value]
    if t == "tuple":
        return {c.name: _normalize(v, c) for c, v in zip(inp.components, value)}
    if t == "address":
        return _checksum(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value


class EventDecoder:
    def __init__(self, abi: Any) -> None:
        self.name = abi.name
        self.topic = "0x" + keccak256(abi.selector.encode()).hex()
        self.indexed = [i for i in abi.inputs if i.indexed]
        self.data = [i for i in abi.inputs if not i.indexed]
        self.order = [i.name for i in abi.inputs]
        self.data_types = [_type_string(i) for i in self.data]
        self.indexed_types = [_type_string(i) for i in self.indexed]

    def decode(self, topics: Sequence[bytes], data: bytes) -> dict[str, Any]:
        from eth_abi import decode

        args: dict[str, Any] = {}
        for inp, t, topic in zip(self.indexed, self.indexed_types, topics[1:]):
            args[inp.name] = _topic_value(t, bytes(topic), inp)
        for inp, value in zip(self.data, decode(self.data_types, bytes(data))):
            args[inp.name] = _normalize(value, inp)
        return {k: args[k] for k in self.order}


def _topic_value(t: str, topic: bytes, inp: Any) -> Any:
    """An indexed value from its topic word (dynamic types are their hash), without eth_abi for the
    common static types (the indexer's hot path)."""
    if t in ("string", "bytes") or t.endswith("]") or t.startswith("("):
        return "0x" + topic.hex()
    if t == "address":
        return _checksum("0x" + topic[12:].hex())
    if t == "bytes32":
        return "0x" + topic.hex()
    if t.startswith("uint"):
        return int.from_bytes(topic, "big")
    if t.startswith("int"):
        return int.from_bytes(topic, "big", signed=True)
    if t == "bool":
        return topic[-1] != 0
    from eth_abi import decode

    return _normalize(decode([t], topic)[0], inp)


def ape_contract_type(name: str) -> Any:
    from ape import project

    return getattr(project, name).contract_type


# ---------------------------------------------------------------------------------------------
# The indexer
# ---------------------------------------------------------------------------------------------


def _jsonable(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if -(2**53) < v < 2**53 else str(v)
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _raw_int(v: Any) -> int:
    return int(v, 16) if isinstance(v, str) else int(v)


def _raw_bytes(v: Any) -> bytes:
    return bytes.fromhex(v[2:] if v.startswith("0x") else v) if isinstance(v, str) else bytes(v)


def _hex(b: Any) -> str:
    if isinstance(b, str):
        return b.lower() if b.startswith("0x") else "0x" + b.lower()
    return "0x" + bytes(b).hex()


class Indexer:
    """Indexes ``deployment`` (a :class:`carbonchain.core.deployments.Deployment`) into ``db_path``
    for ``domains``; ``web3`` is the connected provider's (Ape's by default)."""

    def __init__(
        self,
        db_path: str | Path,
        deployment: Any,
        domains: Sequence[AuditDomain],
        *,
        web3: Any = None,
        chunk_blocks: int = 2_000,
        contract_type: Callable[[str], Any] = ape_contract_type,
    ) -> None:
        self.path = Path(db_path)
        self.deployment = deployment
        self.domains = list(domains)
        self.chunk_blocks = chunk_blocks
        if web3 is None:
            from ape import chain

            web3 = chain.provider.web3
        self.w3 = web3
        self.mappers = domain_events(self.domains)
        self.sources = self._sources()
        self.decoders: dict[str, dict[str, EventDecoder]] = {}  # contract type -> topic0 -> decoder
        for contract in {s.contract for s, _d in self.sources.values()}:
            ct = contract_type(contract)
            self.decoders[contract] = {dec.topic: dec for dec in (EventDecoder(e) for e in ct.events)}

    # -- configuration -------------------------------------------------------------------------

    def _sources(self) -> dict[str, tuple[Source, str]]:
        """address (lowercase) -> (source, domain); deployed contracts no domain claims are read
        too (their events stay in the raw log)."""
        out: dict[str, tuple[Source, str]] = {}
        for d in self.domains:
            for s in d.sources(self.deployment):
                out[s.address.lower()] = (s, d.name)
        for name, address in self.deployment.contracts.items():
            out.setdefault(address.lower(), (Source(name, address, name), ""))
        return out

    def fingerprint(self) -> str:
        spec = {
            "chain_id": self.deployment.chain_id,
            "block": self.deployment.block,
            "sources": sorted((a, s.contract, s.label) for a, (s, _d) in self.sources.items()),
            "domains": [d.name for d in self.domains],
        }
        return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()

    # -- database ------------------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _create(self, db: sqlite3.Connection) -> None:
        for stmt in BASE_SCHEMA:
            db.execute(stmt)
        for d in self.domains:
            for stmt in d.schema:
                db.execute(stmt)

    @staticmethod
    def _meta(db: sqlite3.Connection) -> dict[str, str]:
        try:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError:
            return {}

    def _block_hash(self, number: int) -> str:
        return _hex(self.w3.eth.get_block(number)["hash"])

    def _stale_reason(self, meta: dict[str, str], genesis: str) -> str:
        if not meta:
            return "new index"
        if meta.get("schema") != SCHEMA_VERSION:
            return "index schema changed"
        if meta.get("genesis") != genesis:
            return "another chain (genesis hash differs)"
        if meta.get("fingerprint") != self.fingerprint():
            return "deployments changed"
        last = int(meta.get("last_block", -1))
        if last >= 0 and meta.get("last_block_hash"):
            try:
                if self._block_hash(last) != meta.get("last_block_hash"):
                    return f"block {last} is no longer on the chain"
            except Exception:
                return f"block {last} is no longer on the chain"
        return ""

    def _reset(self, db: sqlite3.Connection, genesis: str) -> None:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()]
        db.execute("BEGIN")
        for t in tables:
            db.execute(f'DROP TABLE IF EXISTS "{t}"')
        for t in [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='view'").fetchall()]:
            db.execute(f'DROP VIEW IF EXISTS "{t}"')
        self._create(db)
        meta = {
            "schema": SCHEMA_VERSION, "genesis": genesis, "fingerprint": self.fingerprint(),
            "chain_id": str(self.deployment.chain_id), "start_block": str(self.deployment.block),
            "last_block": str(self.deployment.block - 1), "last_block_hash": "", "last_block_time": "",
        }
        db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        db.executemany(
            "INSERT INTO contracts (address, contract, label, domain) VALUES (?, ?, ?, ?)",
            [(a, s.contract, s.label, d) for a, (s, d) in self.sources.items()],
        )
        db.execute("COMMIT")

    # -- the run -------------------------------------------------------------------------------

    def run(
        self,
        *,
        to_block: int | None = None,
        progress: Callable[[int, int, int], None] | None = None,
    ) -> IndexResult:
        """Indexes up to ``to_block`` (default: the head). ``progress(done_blocks, total_blocks,
        events)`` is called after each chunk."""
        started = _time.perf_counter()
        genesis = self._block_hash(0)
        db = self.connect()
        try:
            reason = self._stale_reason(self._meta(db), genesis)
            if reason:
                self._reset(db, genesis)
            else:
                self._create(db)  # a domain added since keeps its tables; nothing is dropped
            meta = self._meta(db)
            start = int(meta["last_block"]) + 1
            head = self.w3.eth.block_number if to_block is None else to_block
            total = max(head - start + 1, 0)
            count = 0
            block = start
            while block <= head:
                end = min(block + self.chunk_blocks - 1, head)
                count += self._chunk(db, block, end)
                if progress:
                    progress(end - start + 1, total, count)
                block = end + 1
            return IndexResult(start, head, count, bool(reason), reason, _time.perf_counter() - started)
        finally:
            db.close()

    def _logs(self, start: int, end: int) -> list[dict[str, Any]]:
        """Raw ``eth_getLogs`` (web3's per-field result formatters cost more than the decoding)."""
        addresses = [_checksum(a) for a in self.sources]
        try:
            resp = self.w3.provider.make_request(
                "eth_getLogs", [{"fromBlock": hex(start), "toBlock": hex(end), "address": addresses}])
        except TypeError:  # the in-process EVM takes only web3-formatted requests
            resp = {"result": self.w3.eth.get_logs({"fromBlock": start, "toBlock": end, "address": addresses})}
        if "error" in resp:
            raise CarbonChainError(f"eth_getLogs {start}..{end}: {resp['error']}")
        return [{
            "address": str(lg["address"]), "topics": [_raw_bytes(t) for t in lg["topics"]], "data": _raw_bytes(lg["data"]),
            "blockNumber": _raw_int(lg["blockNumber"]), "transactionHash": _hex(_raw_bytes(lg["transactionHash"])),
            "logIndex": _raw_int(lg["logIndex"]),
            # newer nodes (anvil 1.x) put the block time in the log: no block to fetch then
            "blockTimestamp": _raw_int(lg["blockTimestamp"]) if lg.get("blockTimestamp") is not None else None,
        } for lg in resp["result"]]

    def _timestamps(self, blocks: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(blocks))
        out: dict[int, int] = {}
        provider = self.w3.provider
        for lo in range(0, len(wanted), 500):
            part = wanted[lo: lo + 500]
            calls = [("eth_getBlockByNumber", [hex(n), False]) for n in part]
            try:
                answers = provider.make_batch_request(calls)
                if isinstance(answers, dict) or len(answers) != len(part):
                    raise ValueError("no batch")
                results = [a["result"] for a in answers]
            except Exception:  # a provider without JSON-RPC batches, or (the in-process EVM) raw requests
                results = [self.w3.eth.get_block(n) for n in part]
            for n, blk in zip(part, results):
                out[n] = _raw_int(blk["timestamp"])
        return out

    def _chunk(self, db: sqlite3.Connection, start: int, end: int) -> int:
        logs = self._logs(start, end)
        times = {lg["blockNumber"]: lg["blockTimestamp"] for lg in logs if lg.get("blockTimestamp") is not None}
        times.update(self._timestamps(lg["blockNumber"] for lg in logs if lg["blockNumber"] not in times))
        end_block = self.w3.eth.get_block(end)
        end_hash, end_time = _hex(end_block["hash"]), _raw_int(end_block["timestamp"])
        db.execute("BEGIN")
        try:
            for lg in logs:
                self._apply(db, lg, times[int(lg["blockNumber"])])
            db.execute("UPDATE meta SET value = ? WHERE key = 'last_block'", (str(end),))
            db.execute("UPDATE meta SET value = ? WHERE key = 'last_block_hash'", (end_hash,))
            # the chain's own clock at the indexed head: views judge staleness by it, not the wall clock
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_block_time', ?)", (str(end_time),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return len(logs)

    def _apply(self, db: sqlite3.Connection, lg: Any, timestamp: int) -> None:
        address = str(lg["address"]).lower()
        source, _domain = self.sources[address]
        topics = [bytes(t) for t in lg["topics"]]
        tx = _hex(lg["transactionHash"])
        log_index = int(lg["logIndex"])
        block = int(lg["blockNumber"])
        dec = self.decoders[source.contract].get("0x" + topics[0].hex()) if topics else None
        if dec is None:
            name, args = "unknown", {"topics": [_hex(t) for t in topics], "data": _hex(lg["data"])}
        else:
            name, args = dec.name, dec.decode(topics, bytes(lg["data"]))
        cur = db.execute(
            "INSERT OR IGNORE INTO events (tx, log_index, block, time, address, contract, label, event, args)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (tx, log_index, block, timestamp, address, source.contract, source.label, name,
             json.dumps(_jsonable(args))),
        )
        if cur.rowcount == 0:
            return  # already indexed: its rows are there
        mapper = self.mappers.get((source.contract, name))
        if mapper is None:
            return
        ev = Event(source.contract, source.label, source.address, name, args, tx, log_index, block, timestamp)
        try:
            mapper(db, ev)
        except Exception as err:
            raise CarbonChainError(
                f"cannot index {source.contract}.{name} in tx {tx} (log {log_index}): {err}"
            ) from err


def status(db_path: str | Path) -> dict[str, Any]:
    """What an index file holds: its meta and counts (for the page's footer and the CLI)."""
    p = Path(db_path)
    if not p.is_file():
        return {}
    db = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        meta["events"] = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        return meta
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()
