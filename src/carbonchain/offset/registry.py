"""SDK of the RetirementRegistry: retire serial blocks (with the hint found off chain), reverse,
read records, and answer "is this serial retired, in which record, for whom, when?"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.errors import CarbonChainError
from ..core.hashing import to_bytes32
from .serials import SerialBlock, parse_serial

PAGE = 500  # records walked per `locate` call when finding a hint


def text32(text: str) -> bytes:
    """Short text as Solidity's bytes32("..."): UTF-8, right-padded; at most 32 bytes."""
    raw = text.encode()
    if not raw or len(raw) > 32:
        raise CarbonChainError(f"{text!r} must be 1 to 32 bytes")
    return raw.ljust(32, b"\x00")


def from_text32(value: Any) -> str:
    return bytes(value).rstrip(b"\x00").decode(errors="replace")


def reason32(reason: str | bytes) -> bytes:
    """A reason as bytes32: short text as is, longer text by its digest (0x-hex digests pass through)."""
    if isinstance(reason, (bytes, bytearray)) or (isinstance(reason, str) and reason.startswith("0x")):
        return to_bytes32(reason)
    raw = reason.encode()
    if len(raw) <= 32:
        return text32(reason)
    from ..core.hashing import keccak256

    return keccak256(raw)


@dataclass(frozen=True)
class Retirement:
    """A retirement record as the registry holds it."""

    id: int
    block: SerialBlock
    beneficiary: str
    reason: bytes
    retired_at: int
    cancellation_digest: bytes
    trade_digest: bytes
    programme: int
    reversal: int  # 0 while it stands

    @property
    def live(self) -> bool:
        return self.reversal == 0

    @property
    def quantity(self) -> int:
        return self.block.quantity

    @property
    def reason_text(self) -> str:
        raw = bytes(self.reason)
        text = raw.rstrip(b"\x00")
        return text.decode() if text and text.isascii() and text.decode().isprintable() else "0x" + raw.hex()


@dataclass(frozen=True)
class SerialCheck:
    """Whether any serial of ``block`` is retired now, and in which standing records."""

    block: SerialBlock
    records: list[Retirement]

    @property
    def retired(self) -> bool:
        return bool(self.records)

    def lines(self) -> list[str]:
        from ..core.reports import utc

        if not self.records:
            return [f"{self.block}: not retired"]
        return [
            f"{self.block}: serials {r.block.first}-{r.block.last} retired in record {r.id} "
            f"for {r.beneficiary} at {utc(r.retired_at)} (programme {r.programme or '-'})"
            for r in self.records
        ]


class Retirements:
    """The RetirementRegistry through Ape."""

    def __init__(self, contract: Any) -> None:
        self.contract = contract

    @classmethod
    def deployed(cls) -> "Retirements":
        from ..core.deployments import contract

        return cls(contract("RetirementRegistry"))

    # --- lots and hints -------------------------------------------------------------------

    def lot_key(self, block: SerialBlock) -> bytes:
        return bytes(self.contract.lotKey(text32(block.standard), text32(block.project), block.vintage))

    def find_hint(self, block: SerialBlock, *, page: int = PAGE) -> int:
        """The standing record just before ``block.first`` in its lot (0: none): the hint ``retire`` needs.
        Walks the lot's sorted list on chain in pages of ``page`` records (views, no gas)."""
        return self._predecessor(self.lot_key(block), block.first, page)

    def _predecessor(self, lot: bytes, serial: int, page: int = PAGE) -> int:
        cursor = 0
        while True:
            cursor, complete = self.contract.locate(lot, serial, cursor, page)
            if complete:
                return int(cursor)

    # --- writes -----------------------------------------------------------------------------

    def retire(self, block: SerialBlock | str, *, beneficiary: str, reason: str | bytes,
               cancellation_digest: bytes | str, trade_digest: bytes | str, programme: int = 0,
               sender: Any, hint: int | None = None) -> tuple[Retirement, Any]:
        """Retires ``block`` for ``beneficiary``; returns the record and the receipt."""
        block = parse_serial(block) if isinstance(block, str) else block
        data = (
            text32(block.standard), text32(block.project), block.vintage, block.first, block.last,
            getattr(beneficiary, "address", beneficiary), reason32(reason), to_bytes32(cancellation_digest),
            to_bytes32(trade_digest), programme,
        )
        receipt = self.contract.retire(data, self.find_hint(block) if hint is None else hint, sender=sender)
        (ev,) = receipt.decode_logs(self.contract.RangeRetired)
        return self.record(ev.id), receipt

    def reverse(self, record_id: int, reason: str | bytes, *, sender: Any) -> tuple[int, Any]:
        """Reverses a standing retirement; returns the reversal id and the receipt."""
        receipt = self.contract.reverse(record_id, reason32(reason), sender=sender)
        (ev,) = receipt.decode_logs(self.contract.RetirementReversed)
        return int(ev.reversal), receipt

    # --- reads ------------------------------------------------------------------------------

    def record(self, record_id: int) -> Retirement:
        v = self.contract.retirement(record_id)
        block = SerialBlock(from_text32(v.standard), from_text32(v.projectId), int(v.vintage),
                            int(v.firstSerial), int(v.lastSerial))
        return Retirement(int(record_id), block, v.beneficiary, bytes(v.reason), int(v.retiredAt),
                          bytes(v.cancellationDigest), bytes(v.tradeDigest), int(v.programme), int(v.reversal))

    def reversal(self, reversal_id: int) -> dict[str, Any]:
        v = self.contract.reversal(reversal_id)
        return {"id": reversal_id, "retirement": int(v.retirement), "reversed_at": int(v.reversedAt),
                "by": v.by, "reason": bytes(v.reason)}

    def standing(self, block: SerialBlock) -> list[Retirement]:
        """The standing records of ``block``'s lot that overlap it, in serial order."""
        lot = self.lot_key(block)
        cur = self._predecessor(lot, block.first) or int(self.contract.lotHead(lot))
        hits: list[Retirement] = []
        while cur:
            rec = self.record(cur)
            if rec.block.first > block.last:
                break
            if rec.block.last >= block.first:
                hits.append(rec)
            cur = int(self.contract.neighbours(cur).next)
        return hits

    def check_serial(self, serial: str | SerialBlock) -> SerialCheck:
        """Whether any serial of a block (or one serial: ``STANDARD-PROJECT-VINTAGE-serial`` or
        ``BLOCK@serial``) is retired now; the records say in which record, for whom and when."""
        from .serials import SerialError, parse_serial_number

        if isinstance(serial, SerialBlock):
            return SerialCheck(serial, self.standing(serial))
        if "@" in serial:
            one, number = parse_serial_number(serial)
            block = SerialBlock(one.standard, one.project, one.vintage, number, number)
        else:
            try:
                block = parse_serial(serial)
            except SerialError:
                if len(serial.strip().split("-")) != 4:
                    raise
                block, _ = parse_serial_number(serial)
        return SerialCheck(block, self.standing(block))
