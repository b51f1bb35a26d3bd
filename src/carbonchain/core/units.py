"""The house units (../STYLE.md): prices int with 8 decimals (CNY per tCO2e), quantities whole
tonnes, money CNY in fen, ratios in basis points, time in unix seconds.

Conversions are exact: a value that does not fit the unit is refused, never rounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PRICE_DECIMALS = 8
_SCALE = Decimal(10) ** PRICE_DECIMALS
DAY = 86_400
BPS = 10_000


def to_price(value: Decimal | str | int | float) -> int:
    """CNY amount -> 8-decimal integer, exactly (more than 8 decimals is refused, never rounded)."""
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"not a price: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a price: {value!r}")
    scaled = d * _SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"price {value} has more than {PRICE_DECIMALS} decimals")
    return int(scaled)


def from_price(value: int) -> Decimal:
    """8-decimal integer -> CNY amount."""
    return (Decimal(int(value)) / _SCALE).normalize()


def to_fen(value: Decimal | str | int) -> int:
    """A CNY amount as people write it (``1,000,000.00``, ``CNY 5000``, ``¥12.5``) -> fen."""
    text = str(value).strip()
    for prefix in ("CNY", "RMB", "¥", "￥"):
        if text.upper().startswith(prefix):
            text = text[len(prefix):]
    text = text.replace(",", "").replace("_", "").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount in CNY: {value!r}") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"not an amount in CNY: {value!r}")
    fen = d * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {value} has more than 2 decimals (the unit is the fen)")
    return int(fen)


def format_fen(fen: int) -> str:
    """Fen -> ``1,000,000.00`` (CNY)."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def to_tonnes(value: str | int) -> int:
    """Whole tonnes as people write them (``5000``, ``5,000 t``, ``5000 tCO2e``)."""
    text = str(value).strip()
    for suffix in ("tCO2e", "tco2e", "t"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    text = text.replace(",", "").replace("_", "").strip()
    if not text.isdigit():
        raise ValueError(f"not a whole number of tonnes: {value!r}")
    return int(text)


def format_tonnes(tonnes: int) -> str:
    return f"{int(tonnes):,} t"


def format_bps(bps: int) -> str:
    """Basis points -> ``160.00%``."""
    return f"{Decimal(int(bps)) / 100:.2f}%"
