"""Synthetic price history for the long scenarios (``python -m carbonchain.scenario.samples``).

A thin regional market over a year: weekday closes as a seeded random walk, days without trade
(the price carries over), a Spring Festival closure, and a spring slump that takes a repo book
through its lines. SYNTHETIC: not market data.
"""

from __future__ import annotations

import datetime as _dt
import random
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

SEED = 20250102
MARKET = "GDEA"
START = _dt.date(2025, 1, 2)
DAYS = 364
LEVEL = 45.0
VOL = 0.018
NO_TRADE = 0.3
HOLIDAY = (_dt.date(2025, 1, 28), _dt.date(2025, 2, 4))
SLUMP = (_dt.date(2025, 3, 10), _dt.date(2025, 4, 30), -0.012)  # extra drift a day
MAX_MOVE = 0.095  # stays inside the market's 10% move limit


def year(seed: int = SEED) -> list[tuple[str, str, Decimal]]:
    rng = random.Random(seed)
    price = LEVEL
    rows = []
    for i in range(DAYS):
        d = START + _dt.timedelta(days=i)
        if d.weekday() >= 5 or HOLIDAY[0] <= d <= HOLIDAY[1]:
            continue
        drift = SLUMP[2] if SLUMP[0] <= d <= SLUMP[1] else 0.0006
        move = max(-MAX_MOVE, min(MAX_MOVE, rng.gauss(drift, VOL)))
        price = max(5.0, price * (1 + move))
        if rng.random() < NO_TRADE:
            continue
        rows.append((d.isoformat(), MARKET, Decimal(price).quantize(Decimal("0.01"), ROUND_HALF_EVEN)))
    return rows


def write(path: str | Path, seed: int = SEED) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    head = (f"# SYNTHETIC {MARKET} closes (not market data), carbonchain.scenario.samples: seed={seed}, weekdays "
            f"{START} + {DAYS} days, random walk vol {VOL}, no-trade probability {NO_TRADE}, closure "
            f"{HOLIDAY[0]}..{HOLIDAY[1]}, slump {SLUMP[0]}..{SLUMP[1]} ({SLUMP[2]:+.1%}/day)\n")
    p.write_text(head + "observed_at,market,price\n" + "".join(f"{d},{m},{v}\n" for d, m, v in year(seed)))
    return p


if __name__ == "__main__":
    from ..core.deployments import project_root

    print(write(project_root() / "scenarios" / "data" / "gdea-2025.csv"))
