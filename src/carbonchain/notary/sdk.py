"""The contract-hash notary: a Python SDK over ``DocumentRegistry``.

Used by ``ape run notary``, the demo, the tests and ``ape console``::

    n = Notary.deployed()                       # or Notary(contract)
    rec = n.anchor_files(["contract.pdf"], sender=manager, signers=[manager, custodian, investor])
    n.sign(rec[0].digest, Algorithm.SHA256, anchorer=manager, sender=custodian)
    sig = n.offline_signature(rec[0].digest, Algorithm.SHA256, investor, anchorer=manager)  # EIP-712, no gas
    n.relay(sig, sender=manager)
    verdict = n.verify_file("contract.pdf", anchorer=manager)

A record belongs to the account that anchored it (the registry keys records by anchorer, digest
and algorithm), so every read and signature names the anchorer; :meth:`Notary.records` lists every
record of a digest, whoever anchored it.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from eth_account.messages import encode_typed_data

from ..core.eip712 import typed_message
from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_file, digest_file_all, keccak256, to_bytes32
from ..core.jsonio import hex32, jsonable, load_json, to_hex, write_json  # noqa: F401 - re-exported
from ..core.merkle import StandardMerkleTree, leaf_hash
from ..core.merkle import verify as merkle_verify

STATUS = {0: "None", 1: "Registered", 2: "FullySigned", 3: "Revoked", 4: "Superseded"}

#: Reason codes for revocation and supersession (the contract stores the code; 0 is refused).
REASONS = {
    1: "amendment",
    2: "error in the document",
    3: "withdrawn by the parties",
    4: "court or regulator order",
    5: "expired",
    6: "duplicate",
}

SIGNATURE_FORMAT = "carbonchain.notary.signature/2"  # /2: names the record's anchorer and the signer
BATCH_FORMAT = "carbonchain.notary.batch/2"  # /2: names the batch's anchorer
BATCH_FORMATS = (BATCH_FORMAT, "carbonchain.notary.batch/1")  # /1: the anchorer is found from the chain
STATUS_RANK = {"FullySigned": 0, "Registered": 1, "Superseded": 2, "Revoked": 3}


def parse_reason(value: str | int) -> int:
    """A reason code from its number or its name (``amendment``, ``expired``...)."""
    if isinstance(value, int) or str(value).isdigit():
        code = int(value)
        if not 1 <= code <= 0xFFFF:
            raise ValueError(f"reason code must be 1..65535, got {code}")
        return code
    for code, name in REASONS.items():
        if name.split()[0] == str(value).lower() or name == str(value).lower():
            return code
    raise ValueError(f"unknown reason {value!r}: use a number or one of {', '.join(REASONS.values())}")


# ---------------------------------------------------------------------------------------------
# Metadata: a canonical JSON document per file; only its Keccak-256 goes on chain
# ---------------------------------------------------------------------------------------------


def file_metadata(path: str | Path, *, uri: str | None = None) -> dict[str, Any]:
    """What the anchoring party keeps beside the file; its digest is the on-chain ``metadata``."""
    p = Path(path)
    meta: dict[str, Any] = {
        "name": p.name,
        "size": p.stat().st_size,
        "media_type": mimetypes.guess_type(p.name)[0] or "application/octet-stream",
    }
    if uri:
        meta["uri"] = uri
    return meta


def metadata_digest(meta: dict[str, Any]) -> bytes:
    canonical = json.dumps(meta, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return keccak256(canonical.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Views as plain data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    signer: str
    signed_at: int  # 0 = not signed yet

    @property
    def signed(self) -> bool:
        return self.signed_at != 0


@dataclass(frozen=True)
class Record:
    digest: bytes
    algorithm: Algorithm
    status: str
    anchorer: str
    anchored_at: int
    required_signers: int
    signed_count: int
    closed_by: str | None
    closed_at: int
    reason: int
    previous: tuple[bytes, Algorithm] | None
    next: tuple[bytes, Algorithm] | None

    @property
    def live(self) -> bool:
        return self.status in ("Registered", "FullySigned")

    @property
    def fully_signed(self) -> bool:
        return self.required_signers > 0 and self.signed_count == self.required_signers

    @classmethod
    def from_view(cls, v: Any) -> "Record":
        zero = "0x" + "00" * 20

        def link(d: Any, a: Any) -> tuple[bytes, Algorithm] | None:
            raw = bytes(d)
            return None if raw == b"\x00" * 32 else (raw, Algorithm(int(a)))

        return cls(
            digest=bytes(v.digest),
            algorithm=Algorithm(int(v.algorithm)),
            status=STATUS[int(v.status)],
            anchorer=str(v.anchorer),
            anchored_at=int(v.anchoredAt),
            required_signers=int(v.requiredSigners),
            signed_count=int(v.signedCount),
            closed_by=None if str(v.closedBy).lower() == zero else str(v.closedBy),
            closed_at=int(v.closedAt),
            reason=int(v.reason),
            previous=link(v.previousDigest, v.previousAlgorithm),
            next=link(v.nextDigest, v.nextAlgorithm),
        )


@dataclass(frozen=True)
class TxInfo:
    tx: str
    block: int
    timestamp: int


@dataclass
class AnchorResult:
    file: str | None
    digest: bytes
    algorithm: Algorithm
    metadata: dict[str, Any] | None
    tx: str
    block: int
    gas_used: int


@dataclass
class BatchResult:
    root: bytes
    algorithm: Algorithm
    tree: StandardMerkleTree
    names: list[str]
    tx: str
    block: int
    gas_used: int
    anchorer: str = ""

    def proofs_document(self, chain_id: int, registry: str) -> dict[str, Any]:
        return {
            "format": BATCH_FORMAT,
            "chain_id": chain_id,
            "registry": registry,
            "anchorer": self.anchorer,
            "root": hex32(self.root),
            "algorithm": self.algorithm.label,
            "tx": self.tx,
            "block": self.block,
            "documents": [
                {
                    "index": i,
                    "file": name,
                    "digest": hex32(value),
                    "tree_index": self.tree.tree_indices[i],
                    "proof": [hex32(p) for p in self.tree.proof(i)],
                }
                for i, (name, value) in enumerate(zip(self.names, self.tree.values))
            ],
            "tree": self.tree.dump(),
        }


@dataclass
class Verdict:
    """The answer to "is this file the anchored evidence, and in what state?"."""

    verdict: str  # VALID, INCOMPLETE, SUPERSEDED, REVOKED, NOT_ANCHORED, NOT_IN_BATCH, MISMATCH
    headline: str
    file: str
    digests: dict[Algorithm, bytes]
    chain_id: int
    registry: str
    record: Record | None = None
    signatures: list[Signature] = field(default_factory=list)
    anchor_tx: TxInfo | None = None
    signature_txs: dict[str, TxInfo] = field(default_factory=dict)
    closure_tx: TxInfo | None = None
    versions: list[Record] = field(default_factory=list)
    batch: dict[str, Any] | None = None
    metadata_digest: bytes | None = None  # from the anchoring event
    metadata_matches: bool | None = None  # whether the file's own metadata hashes to it
    candidates: list[Record] = field(default_factory=list)  # every record of the file, whoever anchored it
    expected: str = ""  # how the judged record was chosen (--anchorer / --signer / default)

    @property
    def ok(self) -> bool:
        return self.verdict == "VALID"


# ---------------------------------------------------------------------------------------------
# The SDK
# ---------------------------------------------------------------------------------------------


class Notary:
    """Client of one deployed ``DocumentRegistry``."""

    def __init__(self, contract: Any, *, from_block: int = 0) -> None:
        self.contract = contract
        self.from_block = from_block

    @classmethod
    def deployed(cls) -> "Notary":
        """The registry in this chain's deployments file (checked to still be on chain)."""
        from ..core.deployments import contract, current

        return cls(contract("DocumentRegistry"), from_block=current().block)

    # -- chain helpers -----------------------------------------------------------------------

    @property
    def address(self) -> str:
        return str(self.contract.address)

    @property
    def chain_id(self) -> int:
        from ape import chain

        return chain.chain_id

    def _tx_info(self, log: Any) -> TxInfo:
        from ape import chain

        block = int(log.block_number)
        return TxInfo(tx=to_hex(log.transaction_hash), block=block, timestamp=int(chain.blocks[block].timestamp))

    def _logs(self, event: str, **topics: Any) -> list[Any]:
        from ape import chain

        head = chain.blocks.head.number
        return list(getattr(self.contract, event).range(self.from_block, head + 1, search_topics=topics))

    # -- reads -------------------------------------------------------------------------------

    def anchorer_of(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any = None) -> str | None:
        """``anchorer``'s address if given; else the anchorer of the digest's only record (None when there
        is none). Several records (another account anchored the same file) must be told apart: naming
        the anchorer is then required, so a squatter's record is never picked silently."""
        if anchorer is not None:
            return _address(anchorer)
        recs = self.records(digest, algorithm)
        if len(recs) > 1:
            raise CarbonChainError(
                f"{len(recs)} records of {hex32(to_bytes32(digest))} ({Algorithm.parse(algorithm).label}), anchored by "
                f"{', '.join(r.anchorer for r in recs)}: name the anchorer"
            )
        return recs[0].anchorer if recs else None

    def is_anchored(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any = None) -> bool:
        """Whether ``anchorer`` anchored the digest (without ``anchorer``: whether anyone did)."""
        if anchorer is None:
            return bool(self.records(digest, algorithm))
        return bool(self.contract.isAnchored(_address(anchorer), to_bytes32(digest), int(Algorithm.parse(algorithm))))

    def record(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any = None) -> Record | None:
        """``anchorer``'s record of the digest (default: its only record, see :meth:`anchorer_of`), or None."""
        who = self.anchorer_of(digest, algorithm, anchorer)
        if who is None:
            return None
        d, a = to_bytes32(digest), int(Algorithm.parse(algorithm))
        if not self.contract.isAnchored(who, d, a):
            return None
        return Record.from_view(self.contract.getRecord(who, d, a))

    def records(self, digest: bytes | str, algorithm: Algorithm | str | int | None = None) -> list[Record]:
        """Every record of ``digest`` (for one algorithm, or all), whoever anchored it, oldest first:
        found through the DocumentAnchored events, read from the contract."""
        d = to_bytes32(digest)
        topics: dict[str, Any] = {"digest": d}
        if algorithm is not None:
            topics["algorithm"] = int(Algorithm.parse(algorithm))
        seen: set[tuple[str, int]] = set()
        out: list[Record] = []
        for lg in self._logs("DocumentAnchored", **topics):
            key = (str(lg.anchorer), int(lg.algorithm))
            if key in seen:
                continue
            seen.add(key)
            rec = self.record(d, key[1], key[0])
            if rec is not None:
                out.append(rec)
        return out

    def signatures(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any = None) -> list[Signature]:
        who = self.anchorer_of(digest, algorithm, anchorer)
        if who is None:
            raise CarbonChainError(f"no record of {hex32(to_bytes32(digest))} ({Algorithm.parse(algorithm).label})")
        views = self.contract.getSignatures(who, to_bytes32(digest), int(Algorithm.parse(algorithm)))
        return [Signature(signer=str(v.signer), signed_at=int(v.signedAt)) for v in views]

    def version_chain(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any = None) -> list[Record]:
        """Every version of the document, oldest first (versions belong to one anchorer)."""
        rec = self.record(digest, algorithm, anchorer)
        if rec is None:
            return []
        older: list[Record] = []
        cur = rec
        while cur.previous is not None:
            cur = self.record(*cur.previous, rec.anchorer)
            older.append(cur)
        newer: list[Record] = []
        cur = rec
        while cur.next is not None:
            cur = self.record(*cur.next, rec.anchorer)
            newer.append(cur)
        return list(reversed(older)) + [rec] + newer

    def signing_hash(self, digest: bytes | str, algorithm: Algorithm | str | int, anchorer: Any, signer: Any) -> bytes:
        return bytes(self.contract.signingHash(
            _address(anchorer), to_bytes32(digest), int(Algorithm.parse(algorithm)), _address(signer)
        ))

    # -- writes ------------------------------------------------------------------------------

    def _addresses(self, signers: Iterable[Any]) -> list[str]:
        return [str(getattr(s, "address", s)) for s in signers]

    def anchor(
        self,
        digest: bytes | str,
        algorithm: Algorithm | str | int,
        *,
        sender: Any,
        metadata: bytes = b"\x00" * 32,
        signers: Sequence[Any] = (),
    ) -> Any:
        """Anchors one digest; returns the receipt."""
        return self.contract.anchor(
            to_bytes32(digest), int(Algorithm.parse(algorithm)), to_bytes32(metadata), self._addresses(signers),
            sender=sender,
        )

    def anchor_files(
        self,
        paths: Sequence[str | Path],
        *,
        sender: Any,
        algorithm: Algorithm | str | int = Algorithm.SHA256,
        signers: Sequence[Any] = (),
        uri: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[AnchorResult]:
        """Anchors each file (with its metadata digest) in one atomic transaction.

        Everything is checked before anything is sent: a file that is missing, listed twice or
        already anchored stops the whole call, and the transaction anchors all files or none.
        """
        alg = Algorithm.parse(algorithm)
        if not paths:
            raise CarbonChainError("no files to anchor")
        signer_addrs = self._addresses(signers)
        prepared = []
        seen: dict[bytes, str] = {}
        for path in paths:
            p = Path(path)
            if not p.is_file():
                raise CarbonChainError(f"not a file: {p}")
            digest = digest_file(p, alg, progress=progress)
            if digest in seen:
                raise CarbonChainError(f"{p} has the same content as {seen[digest]}: anchor it once")
            seen[digest] = str(p)
            if self.is_anchored(digest, alg, sender):
                raise CarbonChainError(
                    f"{p} is already anchored by {_address(sender)} ({alg.label} {hex32(digest)}): nothing was sent"
                )
            meta = file_metadata(p, uri=uri)
            prepared.append((p, digest, meta))
        if len(prepared) == 1:
            p, digest, meta = prepared[0]
            receipt = self.contract.anchor(digest, int(alg), metadata_digest(meta), signer_addrs, sender=sender)
        else:
            calls = [
                self.contract.anchor.encode_input(digest, int(alg), metadata_digest(meta), signer_addrs)
                for _, digest, meta in prepared
            ]
            receipt = self.contract.multicall(calls, sender=sender)
        return [
            AnchorResult(
                file=str(p), digest=digest, algorithm=alg, metadata=meta,
                tx=to_hex(receipt.txn_hash), block=int(receipt.block_number), gas_used=int(receipt.gas_used),
            )
            for p, digest, meta in prepared
        ]

    def sign(self, digest: bytes | str, algorithm: Algorithm | str | int, *, sender: Any, anchorer: Any = None) -> Any:
        """``sender`` signs ``anchorer``'s record (default: the digest's only record) by sending the transaction."""
        who = self.anchorer_of(digest, algorithm, anchorer)
        if who is None:
            raise CarbonChainError(f"no record of {hex32(to_bytes32(digest))} ({Algorithm.parse(algorithm).label})")
        return self.contract.sign(who, to_bytes32(digest), int(Algorithm.parse(algorithm)), sender=sender)

    def typed_data(
        self, digest: bytes | str, algorithm: Algorithm | str | int, *, anchorer: Any, signer: Any
    ) -> dict[str, Any]:
        """The EIP-712 message ``signer`` approves for ``anchorer``'s record (registry and chain in the domain)."""
        return typed_data(
            to_bytes32(digest), Algorithm.parse(algorithm), self.chain_id, self.address,
            anchorer=_address(anchorer), signer=_address(signer),
        )

    def offline_signature(
        self, digest: bytes | str, algorithm: Algorithm | str | int, account: Any, *, anchorer: Any,
        key: Any = None,
    ) -> dict[str, Any]:
        """``account`` signs ``anchorer``'s record off chain; anyone can relay the result.

        For a smart-contract signer (EIP-1271), ``account`` is the contract and ``key`` the account
        whose signature the contract accepts: the typed data names the contract as signer."""
        alg = Algorithm.parse(algorithm)
        td = self.typed_data(digest, alg, anchorer=anchorer, signer=account)
        signing = key if key is not None else account
        sig = signing.sign_message(encode_typed_data(full_message=td))
        if sig is None:
            raise CarbonChainError(f"account {signing.address} declined to sign")
        return {
            "format": SIGNATURE_FORMAT,
            "chain_id": self.chain_id,
            "registry": self.address,
            "anchorer": _address(anchorer),
            "digest": hex32(to_bytes32(digest)),
            "algorithm": alg.label,
            "signer": _address(account),
            "signature": "0x" + bytes(sig.encode_rsv()).hex(),
            "typed_data": jsonable(td),
        }

    def relay(self, signature: dict[str, Any], *, sender: Any) -> Any:
        """Sends a signer's offline signature (as made by :meth:`offline_signature`)."""
        if signature.get("format") != SIGNATURE_FORMAT:
            raise CarbonChainError(f"not a CarbonChain notary signature file ({SIGNATURE_FORMAT})")
        if int(signature["chain_id"]) != self.chain_id or signature["registry"].lower() != self.address.lower():
            raise CarbonChainError(
                f"signature is for registry {signature['registry']} on chain {signature['chain_id']}, "
                f"not {self.address} on chain {self.chain_id}"
            )
        return self.contract.signFor(
            signature["anchorer"],
            to_bytes32(signature["digest"]),
            int(Algorithm.parse(signature["algorithm"])),
            signature["signer"],
            bytes.fromhex(signature["signature"][2:]),
            sender=sender,
        )

    def revoke(
        self, digest: bytes | str, algorithm: Algorithm | str | int, reason: int | str, *, sender: Any,
        anchorer: Any = None,
    ) -> Any:
        """Revokes ``anchorer``'s record (default: the sender's own; a registry admin may revoke any)."""
        return self.contract.revoke(
            _address(anchorer if anchorer is not None else sender), to_bytes32(digest),
            int(Algorithm.parse(algorithm)), parse_reason(reason), sender=sender,
        )

    def supersede(
        self,
        digest: bytes | str,
        algorithm: Algorithm | str | int,
        new_digest: bytes | str,
        new_algorithm: Algorithm | str | int,
        *,
        sender: Any,
        reason: int | str = 1,
        metadata: bytes = b"\x00" * 32,
        signers: Sequence[Any] = (),
    ) -> Any:
        return self.contract.supersede(
            to_bytes32(digest), int(Algorithm.parse(algorithm)),
            to_bytes32(new_digest), int(Algorithm.parse(new_algorithm)),
            to_bytes32(metadata), self._addresses(signers), parse_reason(reason),
            sender=sender,
        )

    def anchor_batch(
        self,
        items: Sequence[tuple[str, bytes]],
        *,
        sender: Any,
        algorithm: Algorithm | str | int = Algorithm.SHA256,
        metadata: bytes = b"\x00" * 32,
    ) -> BatchResult:
        """Anchors one Merkle root for ``items`` (name, digest); returns the tree with every proof."""
        alg = Algorithm.parse(algorithm)
        if not items:
            raise CarbonChainError("a batch needs at least one document")
        seen: dict[bytes, str] = {}
        for name, digest in items:
            if digest in seen:
                raise CarbonChainError(f"{name} has the same content as {seen[digest]}: a batch lists each once")
            seen[digest] = name
        tree = StandardMerkleTree.of([d for _, d in items])
        receipt = self.contract.anchorBatch(tree.root, int(alg), len(items), to_bytes32(metadata), sender=sender)
        return BatchResult(
            root=tree.root, algorithm=alg, tree=tree, names=[n for n, _ in items],
            tx=to_hex(receipt.txn_hash), block=int(receipt.block_number), gas_used=int(receipt.gas_used),
            anchorer=_address(sender),
        )

    def anchor_batch_files(
        self,
        paths: Sequence[str | Path],
        *,
        sender: Any,
        algorithm: Algorithm | str | int = Algorithm.SHA256,
        progress: Callable[[int], None] | None = None,
    ) -> BatchResult:
        alg = Algorithm.parse(algorithm)
        for p in paths:
            if not Path(p).is_file():
                raise CarbonChainError(f"not a file: {p}")
        items = [(Path(p).name, digest_file(p, alg, progress=progress)) for p in paths]
        return self.anchor_batch(items, sender=sender, algorithm=alg)

    def rebuild_batch_files(
        self,
        paths: Sequence[str | Path],
        *,
        algorithm: Algorithm | str | int = Algorithm.SHA256,
        progress: Callable[[int], None] | None = None,
        anchorer: Any = None,
    ) -> BatchResult:
        """The proofs of a batch already anchored, rebuilt from the same files (same order) and the
        chain's BatchAnchored event: nothing is sent. Batches belong to their anchorer: with several
        anchorers of the same root, name the one wanted (``anchorer``)."""
        alg = Algorithm.parse(algorithm)
        for p in paths:
            if not Path(p).is_file():
                raise CarbonChainError(f"not a file: {p}")
        items = [(Path(p).name, digest_file(p, alg, progress=progress)) for p in paths]
        tree = StandardMerkleTree.of([d for _, d in items])
        logs = [lg for lg in self._logs("BatchAnchored", root=tree.root) if int(lg.algorithm) == int(alg)]
        if anchorer is not None:
            who = str(getattr(anchorer, "address", anchorer)).lower()
            logs = [lg for lg in logs if str(lg.anchorer).lower() == who]
        elif len({str(lg.anchorer).lower() for lg in logs}) > 1:
            raise CarbonChainError(
                f"batch {hex32(tree.root)} was anchored by several accounts "
                f"({', '.join(sorted({str(lg.anchorer) for lg in logs}))}): name the anchorer"
            )
        if not logs:
            raise CarbonChainError(
                f"no batch with root {hex32(tree.root)} ({alg.label}) on registry {self.address}: "
                "give the same files in the same order as when it was anchored"
            )
        log = logs[0]
        receipt = self.provider_receipt(log.transaction_hash)
        return BatchResult(
            root=tree.root, algorithm=alg, tree=tree, names=[n for n, _ in items],
            tx=to_hex(log.transaction_hash), block=int(log.block_number), gas_used=int(receipt.gas_used),
            anchorer=str(log.anchorer),
        )

    @staticmethod
    def provider_receipt(txn_hash: Any) -> Any:
        from ape import chain

        return chain.get_receipt(to_hex(txn_hash))

    # -- verification ------------------------------------------------------------------------

    def verify_file(
        self,
        path: str | Path,
        *,
        anchorer: Any = None,
        signer: Any = None,
        proofs: dict[str, Any] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Verdict:
        """Checks a file against the registry (or against a batch's proofs document).

        Every record of the file (any algorithm, any anchorer) is listed in ``candidates``; the
        verdict is about the expected one: ``anchorer``'s record, else a record ``signer`` must sign,
        else (by default) a fully signed live record, preferring live over closed and older over newer.
        Someone else's record of the same file (a squatter, a counterparty) never decides the verdict
        on its own when a better candidate exists.
        """
        p = Path(path)
        if not p.is_file():
            raise CarbonChainError(f"not a file: {p}")
        digests = digest_file_all(p, progress=progress)
        base = dict(file=str(p), digests=digests, chain_id=self.chain_id, registry=self.address)
        if proofs is not None:
            return self._verify_in_batch(p, digests, proofs, base)
        found: list[Record] = []
        for alg in Algorithm:
            found += self.records(digests[alg], alg)
        pool, expected = found, "default: the fully signed live record"
        if anchorer is not None:
            who = _address(anchorer)
            pool = [r for r in found if r.anchorer.lower() == who.lower()]
            expected = f"anchored by {who}"
        if signer is not None:
            who = _address(signer)
            pool = [r for r in pool if any(s.signer.lower() == who.lower()
                                           for s in self.signatures(r.digest, r.algorithm, r.anchorer))]
            expected = (expected + " and " if anchorer is not None else "") + f"to be signed by {who}"
        base.update(candidates=found, expected=expected)
        if pool:
            best = min(pool, key=lambda r: (STATUS_RANK[r.status], r.anchored_at))
            return self._verdict_for(best, base)
        others = (
            f" ({len(found)} other record{'s' if len(found) != 1 else ''} of this file: "
            + ", ".join(f"{r.algorithm.label} by {r.anchorer} ({r.status})" for r in found) + ")"
        ) if found else ""
        why = "" if not (anchorer or signer) else f" {expected}"
        return Verdict(
            verdict="NOT_ANCHORED",
            headline=(
                f"NOT ANCHORED: no record of {p.name}{why} on registry {self.address}.{others}" if found else
                f"NOT ANCHORED: no record of {p.name}{why} on registry {self.address}. The file was never "
                "anchored, or it was changed since (a one-byte change gives a different digest)."
            ),
            **base,
        )

    def _verdict_for(self, rec: Record, base: dict[str, Any]) -> Verdict:
        sigs = self.signatures(rec.digest, rec.algorithm, rec.anchorer)
        d = rec.digest
        anchor_logs = self._logs("DocumentAnchored", digest=d, anchorer=rec.anchorer)
        sign_logs = self._logs("DocumentSigned", digest=d, anchorer=rec.anchorer)
        anchor_log = next((lg for lg in anchor_logs if int(lg.algorithm) == int(rec.algorithm)), None)
        anchor_tx = self._tx_info(anchor_log) if anchor_log is not None else None
        meta = bytes(anchor_log.metadata) if anchor_log is not None else None
        meta_ok = None
        if meta is not None and meta != b"\x00" * 32:
            meta_ok = metadata_digest(file_metadata(base["file"])) == meta
        sig_txs = {
            str(lg.signer): self._tx_info(lg) for lg in sign_logs if int(lg.algorithm) == int(rec.algorithm)
        }
        closure_tx = None
        if rec.status in ("Revoked", "Superseded"):
            event = "DocumentRevoked" if rec.status == "Revoked" else "DocumentSuperseded"
            logs = [lg for lg in self._logs(event, digest=d) if int(lg.algorithm) == int(rec.algorithm)
                    and str(lg.anchorer if event == "DocumentRevoked" else lg.by).lower() == rec.anchorer.lower()]
            closure_tx = self._tx_info(logs[0]) if logs else None
        versions = self.version_chain(rec.digest, rec.algorithm, rec.anchorer)
        name = Path(base["file"]).name
        who = f"{rec.signed_count} of {rec.required_signers}"
        by = f" by {rec.anchorer}"
        if rec.status == "Revoked":
            verdict = "REVOKED"
            headline = f"REVOKED: {name} was anchored{by} but revoked ({REASONS.get(rec.reason, f'reason {rec.reason}')})."
        elif rec.status == "Superseded":
            latest = versions[-1]
            verdict = "SUPERSEDED"
            headline = (
                f"SUPERSEDED: {name} is authentic (anchored{by}, {who} signatures) but was replaced by a newer "
                f"version ({REASONS.get(rec.reason, f'reason {rec.reason}')}); the current version is "
                f"{latest.algorithm.label} {hex32(latest.digest)} ({latest.status})."
            )
        elif rec.required_signers == 0:
            verdict = "VALID"
            headline = f"VALID: {name} is anchored{by} (no signatures were required)."
        elif rec.fully_signed:
            verdict = "VALID"
            parties = "its one required party" if rec.required_signers == 1 else f"all {rec.required_signers} parties"
            headline = f"VALID: {name} is anchored{by} and signed by {parties}."
        else:
            verdict = "INCOMPLETE"
            headline = f"INCOMPLETE: {name} is anchored{by} but only {who} required parties have signed."
        return Verdict(
            verdict=verdict, headline=headline, record=rec, signatures=sigs, anchor_tx=anchor_tx,
            signature_txs=sig_txs, closure_tx=closure_tx, versions=versions,
            metadata_digest=meta, metadata_matches=meta_ok, **base,
        )

    def _batch_anchorer(self, root: bytes) -> str:
        """The anchorer of a root, for a proofs file that does not name it (format /1): the only one."""
        anchorers = sorted({str(lg.anchorer) for lg in self._logs("BatchAnchored", root=root)})
        if len(anchorers) > 1:
            raise CarbonChainError(
                f"root {hex32(root)} was anchored by {', '.join(anchorers)}: the proofs file must name its anchorer"
            )
        return anchorers[0] if anchorers else "0x" + "00" * 20

    def _verify_in_batch(self, p: Path, digests: dict[Algorithm, bytes], proofs: dict[str, Any], base: dict) -> Verdict:
        if proofs.get("format") not in BATCH_FORMATS:
            raise CarbonChainError("not a CarbonChain batch proofs file")
        if int(proofs["chain_id"]) != self.chain_id or proofs["registry"].lower() != self.address.lower():
            raise CarbonChainError(
                f"proofs are for registry {proofs['registry']} on chain {proofs['chain_id']}, "
                f"not {self.address} on chain {self.chain_id}"
            )
        alg = Algorithm.parse(proofs["algorithm"])
        root = to_bytes32(proofs["root"])
        batch_anchorer = proofs.get("anchorer") or self._batch_anchorer(root)
        digest = digests[alg]
        entry = next((e for e in proofs["documents"] if to_bytes32(e["digest"]) == digest), None)
        if entry is None:
            same_name = next((e for e in proofs["documents"] if e["file"] == p.name), None)
            if same_name is not None:
                return Verdict(
                    verdict="MISMATCH",
                    headline=(
                        f"MISMATCH: {p.name} differs from the file of that name in batch {hex32(root)} "
                        f"({alg.label} now {hex32(digest)}, batched {same_name['digest']}): it was changed."
                    ),
                    **base,
                )
            return Verdict(
                verdict="NOT_IN_BATCH",
                headline=f"NOT IN BATCH: no document with {p.name}'s {alg.label} digest is in batch {hex32(root)}.",
                **base,
            )
        proof = [to_bytes32(x) for x in entry["proof"]]
        local_ok = merkle_verify(root, digest, proof)
        from ..core.errors import describe, is_revert

        try:
            batch = self.contract.verifyBatchMember(batch_anchorer, root, digest, proof)
        except Exception as err:  # noqa: BLE001 - reverts on any provider; anything else re-raised
            if not is_revert(err):
                raise
            return Verdict(verdict="NOT_IN_BATCH", headline=f"NOT IN BATCH: {describe(err)}", **base)
        logs = self._logs("BatchAnchored", root=root, anchorer=batch_anchorer)
        path_nodes = _merkle_path(leaf_hash(digest), proof)
        return Verdict(
            verdict="VALID" if local_ok else "MISMATCH",
            headline=(
                f"VALID: {p.name} is document {int(entry.get('index', 0)) + 1} of a batch of "
                f"{int(batch.leafCount)} anchored under root {hex32(root)}."
            ) if local_ok else "MISMATCH: the local Merkle check disagrees with the chain",
            anchor_tx=self._tx_info(logs[0]) if logs else None,
            batch={
                "root": hex32(root),
                "algorithm": alg.label,
                "leaf_count": int(batch.leafCount),
                "anchorer": str(batch.anchorer),
                "anchored_at": int(batch.anchoredAt),
                "digest": hex32(digest),
                "leaf": hex32(leaf_hash(digest)),
                "tree_index": entry["tree_index"],
                "proof": [hex32(x) for x in proof],
                "path": path_nodes,
            },
            **base,
        )


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def typed_data(
    digest: bytes, algorithm: Algorithm, chain_id: int, registry: str, *, anchorer: str, signer: str
) -> dict[str, Any]:
    """SignDocument(address anchorer,bytes32 digest,uint8 algorithm,address signer): the record and the signer."""
    return typed_message(
        domain_name="CarbonChain DocumentRegistry", chain_id=chain_id, contract=registry,
        primary_type="SignDocument",
        fields=[("anchorer", "address"), ("digest", "bytes32"), ("algorithm", "uint8"), ("signer", "address")],
        message={"anchorer": anchorer, "digest": digest, "algorithm": int(algorithm), "signer": signer},
    )


def _address(who: Any) -> str:
    """An account's or contract's address, or the address given as text."""
    return str(getattr(who, "address", who))


def _merkle_path(leaf: bytes, proof: Sequence[bytes]) -> list[dict[str, str]]:
    from ..core.merkle import hash_pair

    steps = []
    node = leaf
    for sibling in proof:
        parent = hash_pair(node, sibling)
        steps.append({"node": hex32(node), "sibling": hex32(sibling), "parent": hex32(parent)})
        node = parent
    return steps
