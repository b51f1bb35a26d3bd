"""The repo keeper: reads every open agreement in a handful of RPC calls, computes the ratios off
chain with the reference model, calls ``check`` only for agreements whose health would change, and
publishes a notice for every new Warning, MarginCall and CloseOutEligible.

Reads go through :class:`RpcReader` (raw JSON-RPC, counted): one ``eth_getLogs`` for the open set,
``positions`` in chunks of ``chunk`` ids, two calls per feed, one for the block time.
Restart safety comes from the chain, not from memory: candidates are recomputed from chain state
on every scan (a mined ``check`` changes that state), nothing is sent while the keeper has a
pending transaction, and notices are deterministic documents whose anchoring is checked first.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

from ..core.errors import describe
from .model import Health, Position, Status, evaluate, needs_check
from .notices import notice_for, publish_notice
from .sdk import AgreementInfo, Repo

POSITION_TYPE = ("(uint256,uint8,uint8,uint64,uint64,address,uint256,uint256,uint256,uint16,uint16,uint64,uint64,"
                 "uint16,uint16,uint16,uint32,uint256)[]")
RATIO_TYPE = "(uint256,int256,uint80,uint256,uint8,uint256,uint8,uint8,uint64)"
SEL_POSITIONS = function_signature_to_4byte_selector("positions(uint256[])")
SEL_RATIO = function_signature_to_4byte_selector("ratio(uint256)")
SEL_USABLE = function_signature_to_4byte_selector("usablePrice()")
SEL_CLOSURE = function_signature_to_4byte_selector("closure()")
TOPIC_ACTIVATED = "0x" + keccak(text="RepoActivated(uint256,address,bytes32)").hex()
TOPIC_REPURCHASED = "0x" + keccak(text="RepoRepurchased(uint256,address,uint256,uint256,bytes32)").hex()
TOPIC_CLOSED_OUT = "0x" + keccak(
    text="RepoClosedOut(uint256,address,address,uint256,uint256,uint256,uint256,bytes32)").hex()


class RpcReader:
    """Raw JSON-RPC reads through the connected provider, counted."""

    def __init__(self, provider: Any | None = None) -> None:
        if provider is None:
            from ape import chain

            provider = chain.provider
        self.provider = provider
        self.calls = 0

    def request(self, method: str, params: list[Any]) -> Any:
        """One raw JSON-RPC request."""
        self.calls += 1
        return self.provider.make_request(method, params)

    def call(self, to: str, data: bytes) -> bytes:
        if getattr(self.provider, "name", "") == "test":  # eth-tester wants a funded sender: web3 fills one in
            self.calls += 1
            return bytes(self.provider.web3.eth.call({"to": to, "data": data}))
        out = self.request("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"])
        return bytes.fromhex(out[2:]) if isinstance(out, str) else bytes(out)

    def logs(self, address: str, topics: list[Any], from_block: int) -> list[dict[str, Any]]:
        query = {"address": address, "fromBlock": hex(from_block), "toBlock": "latest", "topics": topics}
        if getattr(self.provider, "name", "") != "test":
            return list(self.request("eth_getLogs", [query]))
        # The in-process EVM (eth-tester) takes neither raw filter keys nor OR-lists of topics:
        # one formatted request per topic there.
        out: list[dict[str, Any]] = []
        for topic0 in topics[0] if topics and isinstance(topics[0], list) else [topics[0] if topics else None]:
            self.calls += 1
            q = {"address": address, "fromBlock": from_block, "toBlock": "latest"}
            if topic0:
                q["topics"] = [topic0]
            out += self.provider.web3.eth.get_logs(q)
        return sorted(out, key=lambda log: (_int(log["blockNumber"]), _int(log["logIndex"])))

    def head(self) -> tuple[int, int]:
        b = self.request("eth_getBlockByNumber", ["latest", False])
        return int(b["number"], 16) if isinstance(b["number"], str) else int(b["number"]), (
            int(b["timestamp"], 16) if isinstance(b["timestamp"], str) else int(b["timestamp"]))


@dataclass(frozen=True)
class FeedQuote:
    feed: str
    usable: bool
    price: int
    round_id: int
    observed_at: int
    closure: tuple[int, int]


@dataclass(frozen=True)
class Row:
    position: Position
    quote: FeedQuote | None
    ratio_bps: int | None
    implied: Health
    deadline: int
    candidate: bool

    @property
    def id(self) -> int:
        return self.position.id


@dataclass
class Scan:
    rows: list[Row] = field(default_factory=list)
    rpc_calls: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    block: int = 0
    now: int = 0

    @property
    def candidates(self) -> list[int]:
        return [r.id for r in self.rows if r.candidate]


def _int(v: Any) -> int:
    return int(v, 16) if isinstance(v, str) else int(v)


def _position(t: tuple) -> Position:
    return Position(
        id=t[0], status=Status(t[1]), health=Health(t[2]), since=t[3], deadline=t[4], feed=to_checksum_address(t[5]), quantity=t[6],
        principal=t[7], interest_num=t[8], accrual_day=t[9], rate_bps=t[10], start=t[11], maturity=t[12],
        warning_bps=t[13], margin_call_bps=t[14], close_out_bps=t[15], cure_period=t[16],
    )


def open_ids(reader: RpcReader, repo: str, from_block: int = 0) -> list[int]:
    """Activated and not yet repurchased or closed out (defaulted ones stay: they await close-out)."""
    logs = reader.logs(repo, [[TOPIC_ACTIVATED, TOPIC_REPURCHASED, TOPIC_CLOSED_OUT]], from_block)
    active: set[int] = set()
    for log in logs:
        topic0 = log["topics"][0]
        topic0 = topic0 if isinstance(topic0, str) else "0x" + bytes(topic0).hex()
        rid = _int(log["topics"][1] if isinstance(log["topics"][1], str) else "0x" + bytes(log["topics"][1]).hex())
        if topic0.lower() == TOPIC_ACTIVATED:
            active.add(rid)
        else:
            active.discard(rid)
    return sorted(active)


def read_positions(reader: RpcReader, repo: str, ids: Sequence[int], *, chunk: int = 1000,
                   progress: Callable[[int], None] | None = None, errors: list[str] | None = None) -> list[Position]:
    out: list[Position] = []
    for i in range(0, len(ids), chunk):
        part = list(ids[i:i + chunk])
        try:
            raw = reader.call(repo, SEL_POSITIONS + encode(["uint256[]"], [part]))
            out += [_position(t) for t in decode([POSITION_TYPE], raw)[0]]
        except Exception as err:  # noqa: BLE001 - one line, the scan goes on
            if errors is None:
                raise
            errors.append(f"positions {part[0]}..{part[-1]}: {describe(err)}")
        if progress:
            progress(len(part))
    return out


def read_feed(reader: RpcReader, feed: str) -> FeedQuote:
    usable, price, round_id, observed = decode(["bool", "int256", "uint80", "uint64"], reader.call(feed, SEL_USABLE))
    start, end = decode(["uint64", "uint64"], reader.call(feed, SEL_CLOSURE))
    return FeedQuote(feed, bool(usable) and price > 0, int(price), int(round_id), int(observed), (int(start), int(end)))


def scan(reader: RpcReader, repo: str, *, from_block: int = 0, chunk: int = 1000, lead: int = 1,
         progress: Callable[[int, int], None] | None = None) -> Scan:
    """Reads and evaluates every open agreement; ``lead`` seconds ahead of the head (the next block)."""
    t0 = time.perf_counter()
    before = reader.calls
    s = Scan()
    try:
        s.block, s.now = reader.head()
        ids = open_ids(reader, repo, from_block)
    except Exception as err:  # noqa: BLE001
        s.errors.append(f"open agreements: {describe(err)}")
        s.rpc_calls, s.seconds = reader.calls - before, time.perf_counter() - t0
        return s
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(ids))

    positions = read_positions(reader, repo, ids, chunk=chunk, progress=tick, errors=s.errors)
    quotes: dict[str, FeedQuote | None] = {}
    for feed in sorted({p.feed for p in positions}):
        try:
            quotes[feed] = read_feed(reader, feed)
        except Exception as err:  # noqa: BLE001
            s.errors.append(f"feed {feed}: {describe(err)}")
            quotes[feed] = None
    at = s.now + lead
    for p in positions:
        q = quotes.get(p.feed)
        if q is None or not q.usable or p.status != Status.ACTIVE:
            s.rows.append(Row(p, q, None, p.health, p.deadline, False))
            continue
        ratio, h, _, deadline = evaluate(p, q.price, at, q.closure)
        s.rows.append(Row(p, q, ratio, h, deadline, needs_check(p, q.price, at, q.closure)))
    s.rpc_calls, s.seconds = reader.calls - before, time.perf_counter() - t0
    return s


def plain_loop(reader: RpcReader, repo: str, ids: Sequence[int]) -> tuple[int, float]:
    """The baseline: one ``ratio(id)`` call per agreement. Returns (rpc calls, seconds)."""
    t0 = time.perf_counter()
    before = reader.calls
    for rid in ids:
        decode([RATIO_TYPE], reader.call(repo, SEL_RATIO + encode(["uint256"], [rid])))
    return reader.calls - before, time.perf_counter() - t0


@dataclass
class RunResult:
    scan: Scan
    checked: list[int] = field(default_factory=list)
    changes: int = 0
    notices: list[Path] = field(default_factory=list)
    anchored: int = 0
    errors: list[str] = field(default_factory=list)


class Keeper:
    """Scans, checks, notifies. ``state_file`` keeps the block from which HealthChanged events are
    still to be turned into notices (only an optimisation: notices are idempotent by digest)."""

    def __init__(self, repo: Repo, documents: Any, sender: Any, *, from_block: int = 0, chunk: int = 1000,
                 batch: int = 200, notices_dir: Path = Path("reports/notices"), state_file: Path | None = None,
                 log: Callable[[str], None] = lambda _m: None) -> None:
        self.repo, self.documents, self.sender = repo, documents, sender
        self.from_block, self.chunk, self.batch = from_block, chunk, batch
        self.notices_dir, self.state_file, self.log = Path(notices_dir), state_file, log
        self.reader = RpcReader()

    # -------------------------------------------------------------- state
    def _notice_cursor(self) -> int:
        if self.state_file and self.state_file.exists():
            return int(json.loads(self.state_file.read_text()).get("notices_from_block", self.from_block))
        return self.from_block

    def _save_cursor(self, block: int) -> None:
        if self.state_file:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            self.state_file.write_text(json.dumps({"repo": self.repo.address, "notices_from_block": block}))

    def _pending(self) -> bool:
        """Whether a transaction of ours is still pending (sent before a restart): then send nothing."""
        addr = self.sender.address
        latest = _int(self.reader.request("eth_getTransactionCount", [addr, "latest"]))
        pending = _int(self.reader.request("eth_getTransactionCount", [addr, "pending"]))
        return pending > latest

    # -------------------------------------------------------------- run
    def run_once(self, *, progress: Callable[[int, int], None] | None = None, send: bool = True) -> RunResult:
        s = scan(self.reader, self.repo.address, from_block=self.from_block, chunk=self.chunk, progress=progress)
        res = RunResult(scan=s, errors=list(s.errors))
        for e in s.errors:
            self.log(f"error: {e}")
        if send and s.candidates:
            try:
                if self._pending():
                    self.log("a transaction of this keeper is still pending: no check sent this round")
                else:
                    self._send_checks(s.candidates, res)
            except Exception as err:  # noqa: BLE001
                res.errors.append(f"check: {describe(err)}")
                self.log(f"error: check: {describe(err)}")
        if send:
            self._publish_notices(res)
        return res

    def _send_checks(self, ids: list[int], res: RunResult) -> None:
        for i in range(0, len(ids), self.batch):
            part = ids[i:i + self.batch]
            try:
                receipt = self.repo.check(part, sender=self.sender)
            except Exception as err:  # noqa: BLE001 - one line, the next batch goes on
                res.errors.append(f"check {part[0]}..{part[-1]}: {describe(err)}")
                self.log(f"error: check {part[0]}..{part[-1]}: {describe(err)}")
                continue
            changes = self.repo.health_changes(receipt)
            res.checked += part
            res.changes += len(changes)
            self.log(f"check {len(part)} agreement(s): {len(changes)} changed health")

    def _publish_notices(self, res: RunResult) -> None:
        from ape import chain

        start = self._notice_cursor()
        head = chain.blocks.head.number
        if head < start:
            return
        c = self.repo.contract
        try:
            logs = list(c.HealthChanged.range(start, head + 1))
        except Exception as err:  # noqa: BLE001
            res.errors.append(f"notices: {describe(err)}")
            return
        cache: dict[int, AgreementInfo] = {}
        for log in logs:
            if Health(int(log.health)) == Health.HEALTHY:
                continue
            rid = int(log.id)
            try:
                a = cache.get(rid) or AgreementInfo.from_chain(c.getAgreement(rid))
                cache[rid] = a
                n = notice_for(a, log, out_dir=self.notices_dir, repo=c.address, documents=self.documents.address,
                               chain_id=chain.chain_id, block=int(log.block_number), tx=str(log.transaction_hash))
                if publish_notice(n, self.documents, sender=self.sender):
                    res.anchored += 1
                    self.log(f"notice {n.path} anchored (0x{n.digest.hex()})")
                res.notices.append(n.path)
            except Exception as err:  # noqa: BLE001
                res.errors.append(f"notice #{rid}: {describe(err)}")
                self.log(f"error: notice #{rid}: {describe(err)}")
                return  # keep the cursor: retried next round
        self._save_cursor(head + 1)
