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
    limit_bps: int  # the exchange's daily price limit (one per trading day elapsed)
    tolerance_bps: int = 100  # rounding to the fen plus operators' quote spread, on top of the limit
    grace: int = 8 * 3600  # seconds after the next trading day's close before the price is stale

    @property
    def feed_description(self) -> str:
        return f"{self.code} / {self.currency}"


def feed_config(m: MarketSpec, quorum: int) -> tuple[int, int, int, int, int, int]:
    """``CarbonPriceFeed``'s FeedConfig tuple (minPrice, maxPrice, limitBps, toleranceBps, quorum, grace)."""
    return (m.min_price, m.max_price, m.limit_bps, m.tolerance_bps, quorum, m.grace)


def _spec(code: str, name: str, lo: str, hi: str, limit_bps: int) -> MarketSpec:
    return MarketSpec(code, name, "CNY", to_price(lo), to_price(hi), limit_bps)


#: National ETS allowances, the eight regional pilots and CCER credits.
#: Bounds come from each market's history (2014-2025 closes): about a third of the lowest close to
#: three times the highest, so a x10 or /10 error is refused while a record move still passes. To
#: widen them, the feed admin calls ``setBounds`` (``ape run feed set-bounds``) and this table is
#: updated for new deployments. ``limit_bps`` is the exchange's daily price limit (CEA listed
#: trading +/-10%, Hubei +/-10%, Guangdong +/-10%; pilots with wider or no limits use 20-30%); the
#: feed allows one limit per trading day elapsed (and one more per closure crossed) plus the
#: tolerance (1% by default: rounding to the fen and operator noise).
DEFAULT_MARKETS: tuple[MarketSpec, ...] = (
    _spec("CEA", "National ETS allowance (CEA), Shanghai Environment and Energy Exchange", "15", "400", 1000),
    _spec("SHEA", "Shanghai pilot allowance (SHEA)", "3", "300", 3000),
    _spec("HBEA", "Hubei pilot allowance (HBEA)", "3", "250", 1000),
    _spec("GDEA", "Guangdong pilot allowance (GDEA)", "2", "300", 1000),
    _spec("SZEA", "Shenzhen pilot allowance (SZEA)", "1", "300", 3000),
    _spec("BEA", "Beijing pilot allowance (BEA)", "10", "500", 2000),
    _spec("TJEA", "Tianjin pilot allowance (TJEA)", "2", "200", 3000),
    _spec("CQEA", "Chongqing pilot allowance (CQEA)", "1", "200", 3000),
    _spec("FJEA", "Fujian pilot allowance (FJEA)", "2", "200", 3000),
    _spec("CCER", "China Certified Emission Reduction (CCER)", "2", "400", 2000),
)


def spec_of(code: str) -> MarketSpec:
    for m in DEFAULT_MARKETS:
        if m.code == code.upper():
            return m
    raise ValueError(f"unknown market {code!r} (known: {', '.join(m.code for m in DEFAULT_MARKETS)})")


# -- the market calendar, as CarbonPriceFeed and MarketCalendar.sol compute it ---------------------
#: China Standard Time is UTC+8; the daily close is 15:00 CST.
UTC_OFFSET = 8 * 3600
CLOSE_AFTER_MIDNIGHT = 15 * 3600
MAX_GAP = 64
MAX_COUNT = 20
BPS = 10_000

Window = tuple[int, int]  # a closure [start, end), unix seconds


def day_of(t: int) -> int:
    """The market day (days since 1970-01-01 00:00 CST) of a unix time."""
    return (int(t) + UTC_OFFSET) // DAY


def close_of(day: int) -> int:
    """The unix time of a market day's close (15:00 CST)."""
    return day * DAY + CLOSE_AFTER_MIDNIGHT - UTC_OFFSET


def is_weekend(day: int) -> bool:
    return (day + 3) % 7 >= 5


def in_closure(windows: list[Window] | tuple[Window, ...], t: int) -> bool:
    return any(s <= t < e for s, e in windows)


def is_trading_day(windows, day: int) -> bool:
    return not is_weekend(day) and not in_closure(windows, close_of(day))


def next_trading_day(windows, day: int) -> int:
    for d in range(day + 1, day + MAX_GAP + 1):
        if is_trading_day(windows, d):
            return d
    return day + MAX_GAP


def limit_days(windows, from_day: int, to_day: int) -> int:
    """Daily limits the market may have moved between two closes: one per trading day in
    (from_day, to_day] plus one per closure between the two closes, at most MAX_COUNT."""
    if to_day <= from_day:
        return 0
    if to_day - from_day > MAX_GAP:
        return MAX_COUNT
    n = sum(1 for d in range(from_day + 1, to_day + 1) if is_trading_day(windows, d))
    lo, hi = close_of(from_day), close_of(to_day)
    n += sum(1 for s, e in windows if s > lo and e <= hi)
    return min(n, MAX_COUNT)


def in_band(previous: int, candidate: int, n: int, limit_bps: int, tolerance_bps: int) -> bool:
    """Whether ``candidate`` is within ``n`` compounded daily limits plus the tolerance of ``previous``."""
    up = previous * (BPS + tolerance_bps)
    down = previous * (BPS - tolerance_bps)
    for _ in range(n):
        up = up * (BPS + limit_bps) // BPS
        down = down * (BPS - limit_bps) // BPS
    c = candidate * BPS
    return down <= c <= up


def in_band_across(previous: int, candidate: int, from_day: int, to_day: int, limit_bps: int, tolerance_bps: int,
                   windows=()) -> bool:
    """The feed's band between two observations: at least one daily limit, else as many as
    :func:`limit_days` counts between their market days."""
    if in_band(previous, candidate, 1, limit_bps, tolerance_bps):
        return True
    if to_day <= from_day + 1:
        return False
    return in_band(previous, candidate, limit_days(windows, from_day, to_day), limit_bps, tolerance_bps)


def stale_at(windows, latest_day: int, grace: int) -> int:
    """When a price observed on ``latest_day`` becomes stale: the next trading day's close plus grace."""
    return close_of(next_trading_day(windows, latest_day)) + grace
