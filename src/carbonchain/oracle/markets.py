"""The carbon markets the desk prices, with each feed's default risk parameters.

Prices use the house convention: ``int`` with 8 decimals, CNY per tCO2e. Parameters are
defaults for a fresh deployment; the feed admin changes them on chain (``setBounds``,
``setParams``, ``scheduleClosure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.units import PRICE_DECIMALS, from_price, to_price  # noqa: F401 - re-exported

DAY = 86_400


def market_code(code: str) -> bytes:
    """A market code as the contracts' ``bytes32`` (ASCII, right-padded)."""
    raw = code.strip().upper().encode("ascii")
    if not raw or len(raw) > 32:
        raise ValueError(f"market code must be 1..32 ASCII characters: {code!r}")
    return raw.ljust(32, b"\x00")


def code_str(raw: bytes) -> str:
    return bytes(raw).rstrip(b"\x00").decode("ascii")


@dataclass(frozen=True)
class MarketSpec:
    code: str
    description: str
    currency: str
    min_price: int
    max_price: int
    max_move_bps: int
    heartbeat: int  # seconds before the last price counts as stale (outside declared closures)

    @property
    def feed_description(self) -> str:
        return f"{self.code} / {self.currency}"


def _spec(code: str, name: str, lo: str, hi: str, move_bps: int, heartbeat_days: int) -> MarketSpec:
    return MarketSpec(code, name, "CNY", to_price(lo), to_price(hi), move_bps, heartbeat_days * DAY)


#: National ETS allowances, the eight regional pilots and CCER credits. Bounds are wide sanity
#: limits (prices outside them are refused outright); the maximum move per round is the
#: exchange's daily price limit where it has one (CEA listed trading: +/-10%), wider for thin
#: pilot markets; heartbeats allow a weekend (CEA) or a thin market's usual gap between trades.
DEFAULT_MARKETS: tuple[MarketSpec, ...] = (
    _spec("CEA", "National ETS allowance (CEA), Shanghai Environment and Energy Exchange", "1", "1000", 1000, 4),
    _spec("SHEA", "Shanghai pilot allowance (SHEA)", "1", "1000", 3000, 10),
    _spec("HBEA", "Hubei pilot allowance (HBEA)", "1", "1000", 1000, 7),
    _spec("GDEA", "Guangdong pilot allowance (GDEA)", "1", "1000", 1000, 7),
    _spec("SZEA", "Shenzhen pilot allowance (SZEA)", "1", "1000", 3000, 10),
    _spec("BEA", "Beijing pilot allowance (BEA)", "1", "1000", 2000, 10),
    _spec("TJEA", "Tianjin pilot allowance (TJEA)", "1", "1000", 3000, 10),
    _spec("CQEA", "Chongqing pilot allowance (CQEA)", "1", "1000", 3000, 10),
    _spec("FJEA", "Fujian pilot allowance (FJEA)", "1", "1000", 3000, 10),
    _spec("CCER", "China Certified Emission Reduction (CCER)", "1", "1000", 2000, 10),
)


def spec_of(code: str) -> MarketSpec:
    for m in DEFAULT_MARKETS:
        if m.code == code.upper():
            return m
    raise ValueError(f"unknown market {code!r} (known: {', '.join(m.code for m in DEFAULT_MARKETS)})")
