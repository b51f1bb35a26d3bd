"""SDK of the NeutralityProgramme: demand, plan, verified emissions, attribution, certification,
and a programme read back with its retirements."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..core.errors import CarbonChainError
from ..core.hashing import to_bytes32
from .registry import Retirement, Retirements, from_text32, text32

FULL_BPS = 10_000


class Scope(IntEnum):
    ORGANISATION = 0
    PRODUCT = 1
    EVENT = 2

    @classmethod
    def parse(cls, value: "str | int | Scope") -> "Scope":
        if isinstance(value, str) and not value.isdigit():
            try:
                return cls[value.strip().upper().replace("ORGANIZATION", "ORGANISATION")]
            except KeyError:
                raise CarbonChainError(f"scope {value!r}: use organisation, product or event") from None
        return cls(int(value))


class Status(IntEnum):
    NONE = 0
    RAISED = 1
    PLANNED = 2
    VERIFIED = 3
    CERTIFIED = 4


def parse_period(text: str) -> tuple[int, int]:
    """``2025`` (a calendar year), or ``YYYY-MM-DD..YYYY-MM-DD`` (end exclusive), as unix seconds (UTC)."""

    def day(value: str) -> int:
        try:
            d = _dt.date.fromisoformat(value)
        except ValueError:
            raise CarbonChainError(f"period {text!r}: {value!r} is not a YYYY-MM-DD date") from None
        return int(_dt.datetime(d.year, d.month, d.day, tzinfo=_dt.timezone.utc).timestamp())

    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return day(f"{text}-01-01"), day(f"{int(text) + 1}-01-01")
    if ".." not in text:
        raise CarbonChainError(f"period {text!r}: use a year (2025) or START..END dates (end exclusive)")
    start, end = (day(part) for part in text.split("..", 1))
    if start >= end:
        raise CarbonChainError(f"period {text!r}: the end must come after the start")
    return start, end


def format_period(start: int, end: int) -> str:
    s = _dt.datetime.fromtimestamp(start, tz=_dt.timezone.utc).date()
    e = _dt.datetime.fromtimestamp(end, tz=_dt.timezone.utc).date()
    if s.month == s.day == e.month == e.day == 1 and e.year == s.year + 1:
        return f"{s.year} ({s.isoformat()} .. {e.isoformat()}, end exclusive)"
    return f"{s.isoformat()} .. {e.isoformat()} (end exclusive)"


@dataclass
class Programme:
    """A programme as the chain holds it, with its attributed retirements."""

    id: int
    enterprise: str
    scope: Scope
    status: Status
    subject: str
    period_start: int
    period_end: int
    target_bps: int
    plan_digest: bytes
    emissions: int
    verifier: str
    verified_at: int
    report_digest: bytes
    retired: int
    required: int
    certificate_digest: bytes
    certified_at: int
    certifier: str
    retirements: list[Retirement] = field(default_factory=list)
    released: set[int] = field(default_factory=set)

    @property
    def coverage_bps(self) -> int:
        """Standing retired tonnes over verified emissions, in bps (0 before verification)."""
        return self.retired * FULL_BPS // self.emissions if self.emissions else 0

    @property
    def covered(self) -> bool:
        return self.emissions > 0 and self.retired >= self.required

    @property
    def period(self) -> str:
        return format_period(self.period_start, self.period_end)


class Programmes:
    """The NeutralityProgramme through Ape (reads retirements through the registry SDK)."""

    def __init__(self, contract: Any, retirements: Retirements) -> None:
        self.contract = contract
        self.retirements = retirements

    @classmethod
    def deployed(cls) -> "Programmes":
        from ..core.deployments import contract

        return cls(contract("NeutralityProgramme"), Retirements.deployed())

    def demand(self, *, scope: str | int | Scope, subject: str, period: tuple[int, int], target_bps: int = FULL_BPS,
               sender: Any) -> tuple[int, Any]:
        """Raises a demand for ``sender`` (the enterprise); returns the programme id and the receipt."""
        receipt = self.contract.raiseDemand(int(Scope.parse(scope)), text32(subject), period[0], period[1],
                                            target_bps, sender=sender)
        (ev,) = receipt.decode_logs(self.contract.DemandRaised)
        return int(ev.id), receipt

    def plan(self, programme_id: int, plan_digest: bytes | str, *, sender: Any) -> Any:
        return self.contract.publishPlan(programme_id, to_bytes32(plan_digest), sender=sender)

    def verify(self, programme_id: int, emissions: int, report_digest: bytes | str, *, sender: Any,
               period: tuple[int, int] | None = None) -> Any:
        """Records verified emissions (``sender`` must be an accredited CarbonVerifier); the period
        defaults to the programme's own."""
        start, end = period or self.period(programme_id)
        return self.contract.recordEmissions(programme_id, emissions, start, end, to_bytes32(report_digest),
                                             sender=sender)

    def attribute(self, programme_id: int, retirement_id: int, *, sender: Any) -> Any:
        return self.contract.attribute(programme_id, retirement_id, sender=sender)

    def check_can_attribute(self, programme_id: int, beneficiary: str, sender: Any) -> None:
        """Raises CarbonChainError unless ``sender`` could attribute a retirement for ``beneficiary``
        to the programme now (checked before a retirement is sent, so that retire + attribute never
        stops half-way)."""
        v = self.contract.programme(programme_id)
        who = str(getattr(sender, "address", sender))
        if Status(int(v.status)) == Status.CERTIFIED:
            raise CarbonChainError(f"programme {programme_id} is already certified: nothing was sent")
        if str(v.enterprise).lower() != str(beneficiary).lower():
            raise CarbonChainError(f"programme {programme_id} belongs to {v.enterprise}, not to the beneficiary "
                                   f"{beneficiary}: nothing was sent")
        if who.lower() != str(v.enterprise).lower() and not self.contract.hasRole(self.contract.OPERATOR_ROLE(), who):
            raise CarbonChainError(f"{who} may not attribute to programme {programme_id} (neither its enterprise nor "
                                   "an operator): nothing was sent")

    def release_if_attributed(self, retirement_id: int, *, sender: Any) -> int:
        """After a reversal: takes the retirement out of its programme's totals; returns the programme (0: none)."""
        pid, released = self.contract.attributionOf(retirement_id)
        if pid and not released:
            self.contract.release(pid, retirement_id, sender=sender)
        return int(pid) if pid and not released else 0

    def release(self, programme_id: int, retirement_id: int, *, sender: Any) -> Any:
        return self.contract.release(programme_id, retirement_id, sender=sender)

    def certify(self, programme_id: int, certificate_digest: bytes | str, *, sender: Any) -> Any:
        return self.contract.certify(programme_id, to_bytes32(certificate_digest), sender=sender)

    def period(self, programme_id: int) -> tuple[int, int]:
        v = self.contract.programme(programme_id)
        return int(v.periodStart), int(v.periodEnd)

    def show(self, programme_id: int) -> Programme:
        v = self.contract.programme(programme_id)
        c = v.certificate
        p = Programme(
            id=programme_id, enterprise=v.enterprise, scope=Scope(int(v.scope)), status=Status(int(v.status)),
            subject=from_text32(v.subject), period_start=int(v.periodStart), period_end=int(v.periodEnd),
            target_bps=int(v.targetBps), plan_digest=bytes(v.planDigest), emissions=int(v.emissionsTonnes),
            verifier=v.verifier, verified_at=int(v.verifiedAt), report_digest=bytes(v.reportDigest),
            retired=int(v.retiredTonnes), required=int(v.requiredTonnes), certificate_digest=bytes(c.digest),
            certified_at=int(c.certifiedAt), certifier=c.certifier,
        )
        for rid in self.contract.programmeRetirements(programme_id):
            p.retirements.append(self.retirements.record(int(rid)))
            if self.contract.attributionOf(int(rid)).released:
                p.released.add(int(rid))
        return p
