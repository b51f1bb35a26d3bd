"""Repo terms as the contract takes them; amounts as people write them come from core.units."""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from decimal import Decimal, InvalidOperation

from ..core.errors import CarbonChainError
from ..core.units import format_bps, format_fen, format_tonnes, to_fen, to_tonnes

DAY = 86_400


parse_cny = to_fen  # "1,000,000.00" -> fen
format_cny = format_fen  # fen -> "1,000,000.00"
parse_tonnes = to_tonnes  # "5,000 t" -> 5000


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
