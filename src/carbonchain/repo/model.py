"""The repo arithmetic and health state machine, exactly as ``RepoManager`` computes them.

Pure integers, no chain: the keeper computes ratios off chain with it, the desk CLI shows them,
and the property tests hold the contract to it.

    due = principal + ceil(interest_num / 3_650_000)        # fen; ACT/365, whole days, rounded up
    ratio_bps = quantity * price // (due * 100)             # price 8 decimals; rounded down
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

DAY = 86_400
BPS = 10_000
YEAR_BPS = 365 * BPS  # interest = principal x rate_bps x days / YEAR_BPS
RATIO_SCALE = 100  # quantity x price(1e8) / 1e6 = fen, x 10_000 bps => / (due x 100)
PRICE_TO_FEN = 10**6

PRICE_NO_DATA, PRICE_STALE, PRICE_HELD, PRICE_CLOSED = 1, 2, 4, 8
UNAVAILABLE_NAMES = {PRICE_NO_DATA: "no data", PRICE_STALE: "stale", PRICE_HELD: "held round", PRICE_CLOSED: "market closed"}


class Status(IntEnum):
    NONE = 0
    PROPOSED = 1
    APPROVED = 2
    ACTIVE = 3
    REPURCHASED = 4
    DEFAULTED = 5
    CLOSED_OUT = 6
    CANCELLED = 7

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").title().replace(" ", "")


class Health(IntEnum):
    HEALTHY = 0
    WARNING = 1
    MARGIN_CALL = 2
    CLOSE_OUT_ELIGIBLE = 3

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").title().replace(" ", "")


def unavailable_text(bits: int) -> str:
    """``6`` -> ``"stale, held round"``."""
    return ", ".join(name for bit, name in UNAVAILABLE_NAMES.items() if bits & bit)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class Position:
    """One agreement's numbers as ``RepoManager.positions`` returns them."""

    id: int
    status: Status
    health: Health
    since: int
    deadline: int
    feed: str
    quantity: int
    principal: int
    interest_num: int
    accrual_day: int
    rate_bps: int
    start: int
    maturity: int
    warning_bps: int
    margin_call_bps: int
    close_out_bps: int
    cure_period: int

    @classmethod
    def from_chain(cls, p) -> "Position":
        return cls(
            id=int(p.id), status=Status(int(p.status)), health=Health(int(p.health)), since=int(p.since),
            deadline=int(p.deadline), feed=str(p.feed), quantity=int(p.quantity), principal=int(p.principal),
            interest_num=int(p.interestNum), accrual_day=int(p.accrualDay), rate_bps=int(p.rateBps),
            start=int(p.start), maturity=int(p.maturity), warning_bps=int(p.warningBps),
            margin_call_bps=int(p.marginCallBps), close_out_bps=int(p.closeOutBps), cure_period=int(p.curePeriod),
        )

    def lines(self) -> tuple[int, int, int]:
        return self.warning_bps, self.margin_call_bps, self.close_out_bps


def elapsed_days(start: int, maturity: int, now: int) -> int:
    """Whole days from start, counted up to maturity (no interest after it)."""
    t = min(now, maturity)
    return 0 if t <= start else (t - start) // DAY


def interest_num(p: Position, now: int) -> int:
    return p.interest_num + p.principal * p.rate_bps * (elapsed_days(p.start, p.maturity, now) - p.accrual_day)


def interest(p: Position, now: int) -> int:
    """Accrued repurchase interest in fen, rounded up."""
    return ceil_div(interest_num(p, now), YEAR_BPS)


def amount_due(p: Position, now: int) -> int:
    return p.principal + interest(p, now)


def collateral_ratio(quantity: int, price: int, due: int) -> int:
    """Collateral value / amount due in bps, rounded down (the financier's favour)."""
    if price <= 0:
        return 0
    return quantity * price // (due * RATIO_SCALE)


def collateral_value(quantity: int, price: int) -> int:
    """Fen, rounded down."""
    return quantity * price // PRICE_TO_FEN


def max_principal(quantity: int, price: int, haircut_bps: int) -> int:
    """The most a financier may lend at approval (fen)."""
    return quantity * price * haircut_bps // (BPS * PRICE_TO_FEN)


def out_of_closure(deadline: int, closure: tuple[int, int]) -> int:
    """A deadline inside [start, end) moves, keeping its time of day, to the first day at or after ``end``."""
    start, end = closure
    if end == 0 or deadline < start or deadline >= end:
        return deadline
    return deadline + ceil_div(end - deadline, DAY) * DAY


def evaluate(p: Position, price: int, now: int, closure: tuple[int, int] = (0, 0)) -> tuple[int, Health, int, int]:
    """(ratio_bps, health, since, deadline) that ``check`` would store with this usable price now."""
    ratio = collateral_ratio(p.quantity, price, amount_due(p, now))
    h, since, deadline = p.health, p.since, p.deadline
    if h == Health.CLOSE_OUT_ELIGIBLE:
        return ratio, h, since, deadline
    if ratio < p.close_out_bps:
        return ratio, Health.CLOSE_OUT_ELIGIBLE, now, deadline
    if ratio < p.margin_call_bps:
        if h == Health.MARGIN_CALL:
            deadline = out_of_closure(deadline, closure)
            if now > deadline:
                return ratio, Health.CLOSE_OUT_ELIGIBLE, now, deadline
            return ratio, h, since, deadline
        return ratio, Health.MARGIN_CALL, now, out_of_closure(now + p.cure_period, closure)
    if ratio < p.warning_bps:
        return (ratio, h, since, deadline) if h == Health.WARNING else (ratio, Health.WARNING, now, 0)
    return (ratio, h, since, deadline) if h == Health.HEALTHY else (ratio, Health.HEALTHY, now, 0)


def needs_check(p: Position, price: int | None, now: int, closure: tuple[int, int] = (0, 0)) -> bool:
    """Whether ``check`` would change this active agreement now (a usable price given)."""
    if p.status != Status.ACTIVE or price is None or p.health == Health.CLOSE_OUT_ELIGIBLE:
        return False
    _, h, since, deadline = evaluate(p, price, now, closure)
    return (h, since, deadline) != (p.health, p.since, p.deadline)


def after_repay(p: Position, amount: int, now: int) -> Position:
    """The position after a partial repayment (interest folded in at the old principal)."""
    day = elapsed_days(p.start, p.maturity, now)
    return replace(p, interest_num=interest_num(p, now), accrual_day=day, principal=p.principal - amount)


def distance_bps(ratio_bps: int, line_bps: int) -> int:
    """How far above (positive) or below (negative) a line the ratio is."""
    return ratio_bps - line_bps
