"""Scenario suite for the oracle: operators run the feed logic against the chain from the sample
quote files, with an outlier operator, an offline operator and a wild jump; every expectation is
computed from the files and checked against what consumers read on chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..core.deployments import project_root
from ..core.story import Check, checker
from .feeder import ERROR, SKIP, SUBMIT, Feeder
from .markets import from_price
from .feeds import PriceFeeds
from .quotes import CsvSource, latest_quotes


def sample_dir() -> Path:
    return project_root() / "data" / "quotes"


def fresh_feeds(deployer: Any, operators: list[Any], quorum: int = 3, risk: Any | None = None) -> PriceFeeds:
    """A new feed per market for a scenario run (the deployments file is left alone, so the
    scenario behaves the same on a chain whose feeds already hold prices). The deployer is admin
    and feed admin; ``risk`` (default the deployer) holds RISK_ROLE."""
    from .deploy import deploy_feed
    from .markets import DEFAULT_MARKETS
    from .feeds import Feed

    addrs = [o.address for o in operators]
    risk_addr = getattr(risk, "address", risk) or deployer.address
    return PriceFeeds({m.code: Feed(deploy_feed(deployer, deployer.address, m, addrs, quorum, risk=risk_addr))
                       for m in DEFAULT_MARKETS})


def oracle_scenario(
    feeds: PriceFeeds,
    operators: list[Any],
    risk: Any,
    *,
    quotes_dir: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> list[Check]:
    """Fresh ``feeds`` with quorum 3 of operators = [A, B, C, D]. Day D-1: A, B and C publish every
    market. Day D: A and B's source shows HBEA +25% (beyond the exchange's limit), C's CEA close is a
    x10 fat-finger error, D is offline: each operator's own checks refuse its bad quote, so no bad
    price reaches the chain; CEA waits with two quotes until D comes back. ``risk`` is unused here
    (held rounds are covered by the unit tests) and kept for the demo's signature."""
    qdir = Path(quotes_dir) if quotes_dir else sample_dir()
    reference, outlier, jump = (CsvSource(qdir / f) for f in ("reference.csv", "operator-outlier.csv", "wild-jump.csv"))
    ref_quotes = reference.quotes()
    days = sorted({q.observed_at for q in ref_quotes})
    day_before = days[-2]  # day D-1; day D is the last day in the files
    a, b, c, d = operators[:4]
    checks: list[Check] = []
    check = checker(checks, log)

    feeders = {who: Feeder(feeds, acct) for who, acct in (("A", a), ("B", b), ("C", c), ("D", d))}
    # Day D-1: three operators publish every market from the same closes.
    for who in ("A", "B", "C"):
        feeders[who].run_once(reference, as_of=day_before)
    expected_prev = latest_quotes(ref_quotes, day_before)
    check("day D-1 published for every market",
          {m: from_price(q.price) for m, q in expected_prev.items()},
          {m: feeds[m].latest().price for m in expected_prev})

    # Day D: A and B see HBEA jump 25%; C's CEA close is a fat-finger error; D is offline.
    runs = {"A": feeders["A"].run_once(jump), "B": feeders["B"].run_once(jump), "C": feeders["C"].run_once(outlier)}
    refused = sorted((who, x.market) for who, ds in runs.items() for x in ds if x.action == ERROR)
    check("each operator's own checks refuse its bad quote (band, bounds)",
          [("A", "HBEA"), ("B", "HBEA"), ("C", "CEA")], refused)
    ref_last = latest_quotes(ref_quotes)
    check("CEA waits for a third honest quote", ("Collecting", 2), (feeds["CEA"].round(2).state, feeds["CEA"].round(2).submissions))
    feeders["D"].run_once(reference)  # D comes back
    check("CEA median from the honest operators once D is back", from_price(ref_last["CEA"].price),
          from_price(int(feeds["CEA"].contract.latestRoundData()[1])))
    check("HBEA consumers still read the day D-1 price", from_price(expected_prev["HBEA"].price),
          feeds["HBEA"].latest().price)

    # A restarted operator re-sends nothing.
    again = feeders["A"].run_once(jump)
    check("restarted operator submits nothing twice", [], [x.market for x in again if x.action == SUBMIT])
    check("restarted operator only skips, except its refused HBEA quote", {("HBEA", ERROR)},
          {(x.market, x.action) for x in again if x.action != SKIP})
    for m in ("SHEA", "GDEA", "CCER"):
        check(f"{m} published from the day-D close", from_price(ref_last[m].price), feeds[m].latest().price)
    return checks
