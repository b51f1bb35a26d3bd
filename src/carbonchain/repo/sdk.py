"""Python SDK over ``RepoManager``: the desk's actions, the agreement as people read it, batch reads.

    repo = Repo.deployed()
    rid = repo.propose(terms, sender=desk)
    repo.propose_approval(rid, grade=3, report=digest, sender=risk1); repo.confirm_approval(rid, sender=risk2)
    repo.activate(rid, ref, sender=exchange)
    repo.ratio(rid)          # RatioInfo: ratio, price, round, age, current and implied health
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_file
from .model import Health, Position, Status, unavailable_text
from .terms import Terms, format_bps, format_cny

EVENT_NAMES = (
    "RepoProposed", "ApprovalProposed", "RepoApproved", "RepoCancelled", "RepoActivated", "CollateralToppedUp",
    "RepoRepaid", "HealthChanged", "PriceUnavailable", "RepoRepurchased", "RepoDefaulted", "CloseOutProposed",
    "RepoClosedOut",
)


def to_ref(value: str | bytes) -> bytes:
    """A reference digest: ``0x`` + 64 hex digits, or a file (its SHA-256)."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 32:
            raise CarbonChainError("a reference digest is 32 bytes")
        return bytes(value)
    text = str(value).strip()
    if text.startswith("0x") and len(text) == 66:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            pass
    path = Path(text)
    if path.is_file():
        return digest_file(path, Algorithm.SHA256)
    raise CarbonChainError(f"not a reference: {value!r} (give 0x + 64 hex digits, or a file to hash)")


@dataclass(frozen=True)
class RatioInfo:
    id: int
    ratio_bps: int
    price: int
    round_id: int
    age: int
    unavailable: int
    amount_due: int
    current: Health
    implied: Health
    deadline: int

    @classmethod
    def from_chain(cls, rid: int, v: Any) -> "RatioInfo":
        return cls(rid, int(v.ratioBps), int(v.price), int(v.roundId), int(v.age), int(v.unavailable),
                   int(v.amountDue), Health(int(v.current)), Health(int(v.implied)), int(v.deadline))

    @property
    def usable(self) -> bool:
        return self.unavailable == 0

    def line(self) -> str:
        price = f"{self.price / 10**8:,.2f} CNY/t (round {self.round_id}, {self.age // 3600} h old)"
        if not self.usable:
            return f"#{self.id}: price unusable ({unavailable_text(self.unavailable)}); last {price}; {self.current.label}"
        move = "" if self.implied == self.current else f" -> {self.implied.label} on the next check"
        return f"#{self.id}: ratio {format_bps(self.ratio_bps)} at {price}; due {format_cny(self.amount_due)} CNY; {self.current.label}{move}"


@dataclass(frozen=True)
class AgreementInfo:
    id: int
    status: Status
    health: Health
    since: int
    deadline: int
    feed: str
    quantity: int
    principal: int
    interest: int
    amount_due: int
    terms: Terms
    risk_grade: int
    scoring_report: bytes
    approval_maker: str
    approval_checker: str
    close_out_maker: str
    close_out_proceeds: int
    close_out_reference: bytes

    @classmethod
    def from_chain(cls, g: Any) -> "AgreementInfo":
        zero = "0x" + "00" * 20
        return cls(
            int(g.id), Status(int(g.status)), Health(int(g.health)), int(g.since), int(g.deadline), str(g.feed),
            int(g.quantity), int(g.principal), int(g.interest), int(g.amountDue), Terms.from_chain(g.terms),
            int(g.riskGrade), bytes(g.scoringReport), str(g.approvalMaker or zero), str(g.approvalChecker or zero),
            str(g.closeOutMaker or zero), int(g.closeOutProceeds), bytes(g.closeOutReference),
        )

    @property
    def market(self) -> str:
        return self.terms.market.rstrip(b"\x00").decode()


class Repo:
    """One ``RepoManager`` deployment."""

    def __init__(self, contract: Any) -> None:
        self.contract = contract

    @classmethod
    def deployed(cls) -> "Repo":
        from ..core.deployments import contract

        return cls(contract("RepoManager"))

    @property
    def address(self) -> str:
        return self.contract.address

    # ------------------------------------------------------------------ reads
    def count(self) -> int:
        return int(self.contract.agreementCount())

    def agreement(self, rid: int) -> AgreementInfo:
        return AgreementInfo.from_chain(self.contract.getAgreement(rid))

    def ratio(self, rid: int) -> RatioInfo:
        return RatioInfo.from_chain(rid, self.contract.ratio(rid))

    def positions(self, ids: Sequence[int], *, chunk: int = 500) -> list[Position]:
        out: list[Position] = []
        for i in range(0, len(ids), chunk):
            out += [Position.from_chain(p) for p in self.contract.positions(list(ids[i:i + chunk]))]
        return out

    def all_ids(self) -> list[int]:
        return list(range(1, self.count() + 1))

    # ------------------------------------------------------------------ lifecycle
    def propose(self, terms: Terms, *, sender: Any) -> int:
        r = self.contract.propose(terms.as_tuple(), sender=sender)
        (ev,) = r.decode_logs(self.contract.RepoProposed)
        return int(ev.id)

    def propose_approval(self, rid: int, grade: int, report: str | bytes, *, sender: Any) -> Any:
        return self.contract.proposeApproval(rid, grade, to_ref(report), sender=sender)

    def confirm_approval(self, rid: int, *, sender: Any) -> Any:
        return self.contract.confirmApproval(rid, sender=sender)

    def cancel(self, rid: int, *, sender: Any) -> Any:
        return self.contract.cancel(rid, sender=sender)

    def activate(self, rid: int, ref: str | bytes, *, sender: Any) -> Any:
        return self.contract.activate(rid, to_ref(ref), sender=sender)

    def top_up(self, rid: int, tonnes: int, ref: str | bytes, *, sender: Any) -> Any:
        return self.contract.topUp(rid, tonnes, to_ref(ref), sender=sender)

    def repay(self, rid: int, fen: int, ref: str | bytes, *, sender: Any) -> Any:
        return self.contract.repay(rid, fen, to_ref(ref), sender=sender)

    def repurchase(self, rid: int, ref: str | bytes, *, sender: Any) -> Any:
        return self.contract.repurchase(rid, to_ref(ref), sender=sender)

    def declare_default(self, rid: int, *, sender: Any) -> Any:
        return self.contract.declareDefault(rid, sender=sender)

    def propose_close_out(self, rid: int, proceeds: int, ref: str | bytes, *, sender: Any) -> Any:
        return self.contract.proposeCloseOut(rid, proceeds, to_ref(ref), sender=sender)

    def confirm_close_out(self, rid: int, *, sender: Any) -> Any:
        return self.contract.confirmCloseOut(rid, sender=sender)

    def check(self, ids: Iterable[int], *, sender: Any) -> Any:
        return self.contract.check(list(ids), sender=sender)

    def health_changes(self, receipt: Any) -> list[Any]:
        return list(receipt.decode_logs(self.contract.HealthChanged))
