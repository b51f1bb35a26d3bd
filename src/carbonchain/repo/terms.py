"""Repo terms as the contract takes them, and the amounts people write (``1,000,000.00`` CNY, ``5000`` t)."""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from decimal import Decimal, InvalidOperation

from ..core.errors import CarbonChainError

DAY = 86_400


def parse_cny(text: str | int | Decimal) -> int:
    """``"1,000,000.00"`` / ``"¥1,000,000"`` / ``"CNY 12.5"`` -> fen (exact; more than 2 decimals refused)."""
    if isinstance(text, int):
        return text * 100
    raw = str(text).strip().replace(",", "").replace("_", "").replace("¥", "").replace(" ", "")
    for unit in ("CNY", "cny", "RMB", "rmb", "元"):
        raw = raw.replace(unit, "")
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise CarbonChainError(f"not an amount in CNY: {text!r} (write e.g. 1,000,000.00)") from None
    fen = d * 100
    if d < 0 or fen != fen.to_integral_value():
        raise CarbonChainError(f"not an amount in CNY with at most 2 decimals: {text!r}")
    return int(fen)


def format_cny(fen: int) -> str:
    """Fen -> ``1,000,000.00``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def parse_tonnes(text: str | int) -> int:
    """``"5000"`` / ``"5,000 t"`` / ``"5000tCO2e"`` -> whole tonnes."""
    if isinstance(text, int):
        return text
    raw = str(text).strip().replace(",", "").replace("_", "").replace(" ", "")
    for unit in ("tCO2e", "tco2e", "t", "吨"):
        if raw.endswith(unit):
            raw = raw[: -len(unit)]
            break
    if not raw.isdigit():
        raise CarbonChainError(f"not a whole number of tonnes: {text!r} (write e.g. 5000 or 5,000 t)")
    return int(raw)


def format_tonnes(tonnes: int) -> str:
    return f"{int(tonnes):,} t"


def format_bps(bps: int) -> str:
    """``16000`` -> ``160.00%``."""
    return f"{bps / 100:.2f}%"


def parse_bps(text: str | int) -> int:
    """``"160%"`` -> 16000, ``"16000"`` -> 16000, ``"3.5%"`` -> 350."""
    if isinstance(text, int):
        return text
    raw = str(text).strip().replace(",", "")
    try:
        if raw.endswith("%"):
            d = Decimal(raw[:-1]) * 100
        else:
            d = Decimal(raw)
    except InvalidOperation:
        raise CarbonChainError(f"not a ratio: {text!r} (write 160% or 16000 bps)") from None
    if d != d.to_integral_value() or d < 0:
        raise CarbonChainError(f"not a whole number of bps: {text!r}")
    return int(d)


@dataclass(frozen=True)
class Terms:
    """``IRepoManager.Terms`` (field order is the ABI tuple order)."""

    financier: str
    counterparty: str
    market: bytes
    quantity: int
    principal: int
    rate_bps: int
    start: int
    maturity: int
    warning_bps: int
    margin_call_bps: int
    close_out_bps: int
    cure_period: int
    haircut_bps: int
    contract_digest: bytes
    contract_algorithm: int
    credential: bytes

    def as_tuple(self) -> tuple:
        return astuple(self)

    @classmethod
    def from_chain(cls, t) -> "Terms":
        values = list(t) if isinstance(t, (tuple, list)) else [getattr(t, n) for n in _ABI_NAMES]
        out = []
        for f, v in zip(fields(cls), values):
            if f.type in ("int",):
                out.append(int(v))
            elif f.type == "bytes":
                out.append(bytes(v))
            else:
                out.append(str(v))
        return cls(*out)


_ABI_NAMES = (
    "financier", "counterparty", "market", "quantity", "principal", "rateBps", "start", "maturity", "warningBps",
    "marginCallBps", "closeOutBps", "curePeriod", "haircutBps", "contractDigest", "contractAlgorithm", "credential",
)
