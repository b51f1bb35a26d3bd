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


def fresh_feeds(deployer: Any, operators: list[Any], quorum: int = 3) -> PriceFeeds:
    """A new feed per market for a scenario run (the deployments file is left alone, so the
    scenario behaves the same on a chain whose feeds already hold prices)."""
    from .deploy import deploy_feed
    from .markets import DEFAULT_MARKETS
    from .feeds import Feed

    addrs = [o.address for o in operators]
    return PriceFeeds({m.code: Feed(deploy_feed(deployer, deployer.address, m, addrs, quorum)) for m in DEFAULT_MARKETS})


def oracle_scenario(
    feeds: PriceFeeds,
    operators: list[Any],
    risk: Any,
    *,
    quotes_dir: str | Path | None = None,
    log: Callable[[str], None] = print,
) -> list[Check]:
    """Fresh ``feeds`` with quorum 3 of operators = [A, B, C, D]: A and B see the HBEA jump, C sends
    a CEA outlier, D is offline; ``risk`` holds RISK_ROLE."""
    qdir = Path(quotes_dir) if quotes_dir else sample_dir()
    reference, outlier, jump = (CsvSource(qdir / f) for f in ("reference.csv", "operator-outlier.csv", "wild-jump.csv"))
    ref_quotes = reference.quotes()
    days = sorted({q.observed_at for q in ref_quotes})
    day_before = days[-2]  # day D-1; day D is the last day in the files
    a, b, c, _offline = operators[:4]
    checks: list[Check] = []
    check = checker(checks, log)

    feeders = {who: Feeder(feeds, acct) for who, acct in (("A", a), ("B", b), ("C", c))}
    # Day D-1: three operators publish every market from the same closes.
    for who in ("A", "B", "C"):
        feeders[who].run_once(reference, as_of=day_before)
    expected_prev = latest_quotes(ref_quotes, day_before)
    check("day D-1 published for every market",
          {m: from_price(q.price) for m, q in expected_prev.items()},
          {m: feeds[m].latest().price for m in expected_prev})

    # Day D: A and B see HBEA jump 25%; C's CEA close is a fat-finger error; D is offline.
    runs = {"A": feeders["A"].run_once(jump), "B": feeders["B"].run_once(jump), "C": feeders["C"].run_once(outlier)}
    errors = [f"{who} {d.market}: {d.reason}" for who, ds in runs.items() for d in ds if d.action == ERROR]
    check("no operator errors", [], errors)
    ref_last = latest_quotes(ref_quotes)
    cea = feeds["CEA"].contract.latestRoundData()
    check("CEA median ignores the outlier operator", from_price(ref_last["CEA"].price), from_price(int(cea[1])))
    hbea = feeds["HBEA"]
    held_round = hbea.open_round()
    check("HBEA 25% jump is held, not published", "Held", hbea.round(held_round).state)
    check("HBEA consumers still read the last confirmed price", from_price(expected_prev["HBEA"].price),
          hbea.latest().price)
    hbea.contract.confirmHeldRound(held_round, sender=risk)
    jump_price = latest_quotes(jump.quotes())["HBEA"].price
    check("risk officer confirms the jump", from_price(jump_price), hbea.latest().price)

    # A restarted operator re-sends nothing.
    again = feeders["A"].run_once(jump)
    check("restarted operator submits nothing twice", [], [d.market for d in again if d.action == SUBMIT])
    check("restarted operator only skips", {SKIP}, {d.action for d in again})
    for m in ("SHEA", "GDEA", "CCER"):
        check(f"{m} published from the day-D close", from_price(ref_last[m].price), feeds[m].latest().price)
    return checks
