"""The oracle's scenario steps: markets with their operators, quotes, price-history replays,
closures, held rounds, and what consumers read.

Other domains follow prices through the scenario topic ``price`` (``ctx.on("price", fn)``), emitted
after every published close with ``market`` and ``price`` (8 decimals).
"""

from __future__ import annotations

import csv
import datetime as _dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.steps import BPS, DAYS, MARKET, PERSONA, PERSONAS, PRICE, step
from .feeds import ROUND_STATES
from .markets import from_price, market_code, spec_of, to_price

DAY = 86_400


def _feed(ctx: Any, market: str) -> Any:
    return ctx.recall("market", market)


def _plain(d: Decimal) -> str:
    """``70.10`` -> ``70.1``, ``7E+1`` -> ``70``: one spelling for comparing and showing prices."""
    text = format(d.normalize(), "f")
    return text


def _price(value: Any) -> int:
    return to_price(str(value))


def _publish_point(ctx: Any, market: str, since: int) -> None:
    """Charts and announces (topic ``price``) a close published by the events since index ``since``:
    read from the receipts, no extra call."""
    feed = _feed(ctx, market)
    address = feed.address.lower()
    for e in ctx.events[since:]:
        if e["event"] == "RoundPublished" and e.get("address") == address:
            answer, rid = int(e["args"]["answer"]), int(e["args"]["roundId"])
            ctx.point(f"price/{market}", "published", float(from_price(answer)), at=int(e["args"]["observedAt"]))
            ctx.emit("price", market=market, price=answer, round_id=rid)


@step("markets", {
    "codes": {"type": "array", "items": MARKET, "minItems": 1},
    "operators": PERSONAS,
    "quorum": {"type": "integer", "minimum": 3, "description": "odd, at least 3"},
    "risk": PERSONA,
    "limit_bps": BPS,
    "grace_hours": {"type": "number", "minimum": 1, "maximum": 168,
                    "description": "hours after the next trading day's close before the price is stale"},
}, required=["codes", "operators", "quorum"],
    doc="a price feed per market (the market's default bounds, daily limit and grace unless given), registered in the MarketRegistry")
def markets(ctx: Any, args: dict[str, Any]) -> None:
    registry = ctx.contract("MarketRegistry")
    operators = [ctx.account(p).address for p in args["operators"]]
    oracle = ctx.domain("oracle")
    oracle.setdefault("published", {})
    for code in args["codes"]:
        m = spec_of(code)
        limit = args.get("limit_bps", m.limit_bps)
        grace = int(args["grace_hours"] * 3600) if "grace_hours" in args else m.grace
        risk = ctx.account(args["risk"]).address if "risk" in args else ctx.admin.address
        feed = ctx.deploy("CarbonPriceFeed", market_code(code), m.feed_description, 0, ctx.admin.address,
                          ctx.admin.address, risk, operators,
                          (m.min_price, m.max_price, limit, m.tolerance_bps, args["quorum"], grace),
                          name=f"CarbonPriceFeed:{code}")
        ctx.remember("market", code, feed)
        ctx.send(registry.registerMarket, market_code(code), feed.address, m.currency.encode(), m.description,
                 sender=ctx.admin)
        ctx.chart(f"price/{code}", f"{code} price path", "CNY/t", "price")


def _submit_all(ctx: Any, market: str, quotes: list[tuple[str, int]], observed_at: int | None = None) -> None:
    feed = _feed(ctx, market)
    rid = int(ctx.call(feed.openRoundId))
    obs = observed_at if observed_at is not None else ctx.now()
    mark = len(ctx.events)
    for who, price in quotes:
        ctx.send(feed.submit, rid, price, obs, sender=who)
    ctx.settle()
    _publish_point(ctx, market, mark)


@step("quote", {
    "market": MARKET,
    "prices": {"type": "object", "x-persona-keys": True, "additionalProperties": PRICE, "minProperties": 1,
               "description": "operator persona: the close it quotes"},
    "price": PRICE,
    "by": PERSONAS,
}, required=["market"], doc="operators quote a close for the market's open round (prices per operator, or one price by several)")
def quote(ctx: Any, args: dict[str, Any]) -> None:
    if "prices" in args:
        quotes = [(who, _price(p)) for who, p in args["prices"].items()]
    elif "price" in args and "by" in args:
        quotes = [(who, _price(args["price"])) for who in args["by"]]
    else:
        raise ValueError("quote needs `prices: {operator: price}` or `price` with `by: [operators]`")
    _submit_all(ctx, args["market"], quotes)


@step("replay", {
    "csv": {"type": "string", "description": "price-history CSV (observed_at,market,price), relative to the scenario file"},
    "markets": {"type": "array", "items": MARKET, "description": "only these markets (default: every market of the scenario found in the file)"},
    "by": PERSONAS,
    "from": {"type": "string", "format": "date", "description": "first date to replay (default: the file's first)"},
    "days": {"type": "integer", "minimum": 1, "description": "calendar days to replay (default: all)"},
    "confirm_held_by": {**PERSONA, "description": "the risk officer who confirms a close held for its move (default: none)"},
}, required=["csv", "by"],
    doc="replays a price history day by day: each dated close is quoted by the operators on its day (no row = no trade, the price carries over)")
def replay(ctx: Any, args: dict[str, Any]) -> None:
    path = Path(args["csv"])
    if not path.is_absolute() and ctx.base_dir is not None:
        path = Path(ctx.base_dir) / path
    rows: dict[_dt.date, dict[str, Decimal]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            rows.setdefault(_dt.date.fromisoformat(row["observed_at"][:10]), {})[row["market"]] = Decimal(row["price"])
    known = set(ctx.named.get("market", {}))
    wanted = set(args.get("markets") or known) & known
    dates = sorted(rows)
    start = _dt.date.fromisoformat(args["from"]) if "from" in args else dates[0]
    end = start + _dt.timedelta(days=args["days"]) if "days" in args else dates[-1] + _dt.timedelta(days=1)
    first_day = int(ctx.day)
    for d in dates:
        if not start <= d < end:
            continue
        ctx.advance_to(ctx.at(first_day + (d - start).days, "15:00"), mine=False)
        for market in sorted(wanted & set(rows[d])):
            price = to_price(rows[d][market])
            _submit_all(ctx, market, [(who, price) for who in args["by"]])
            if "confirm_held_by" in args:
                feed = _feed(ctx, market)
                held = [e for e in ctx.events[-4:] if e["event"] == "RoundHeld" and e.get("address") == feed.address.lower()]
                if held:
                    mark = len(ctx.events)
                    ctx.send(feed.confirmHeldRound, int(held[-1]["args"]["roundId"]), sender=args["confirm_held_by"])
                    ctx.settle()
                    _publish_point(ctx, market, mark)


@step("close_market", {"market": MARKET, "from_day": DAYS, "to_day": DAYS},
      required=["market", "from_day", "to_day"],
      doc="the feed admin adds a market closure (holiday) to the calendar: its days are not trading days")
def close_market(ctx: Any, args: dict[str, Any]) -> None:
    ctx.send(_feed(ctx, args["market"]).scheduleClosure, ctx.at(args["from_day"]), ctx.at(args["to_day"]),
             sender=ctx.admin)


@step("confirm_held", {"market": MARKET, "by": PERSONA}, required=["market", "by"],
      doc="the risk officer confirms the held round (a move beyond the daily-limit band)")
def confirm_held(ctx: Any, args: dict[str, Any]) -> None:
    feed = _feed(ctx, args["market"])
    mark = len(ctx.events)
    ctx.send(feed.confirmHeldRound, int(ctx.call(feed.openRoundId)), sender=args["by"])
    ctx.settle()
    _publish_point(ctx, args["market"], mark)


@step("discard_held", {"market": MARKET, "by": PERSONA}, required=["market", "by"],
      doc="the risk officer discards the held round")
def discard_held(ctx: Any, args: dict[str, Any]) -> None:
    feed = _feed(ctx, args["market"])
    ctx.send(feed.discardHeldRound, int(ctx.call(feed.openRoundId)), sender=args["by"])


@step("price", {
    "market": MARKET,
    "is": PRICE,
    "open_round": {"enum": list(ROUND_STATES.values()), "description": "state of the open round (Held: waiting for confirmation)"},
    "stale": {"type": "boolean"},
    "closed": {"type": "boolean", "description": "inside a declared closure"},
    "usable": {"type": "boolean", "description": "what consumers (repo) may use: data, not stale, nothing held, market open"},
}, required=["market"], kind="expect", doc="what consumers read from the market's feed")
def price(ctx: Any, args: dict[str, Any]) -> None:
    m = args["market"]
    feed = _feed(ctx, m)
    if "is" in args:
        rid = int(ctx.call(feed.latestRoundId))
        got = _plain(from_price(int(ctx.call(feed.getRound, rid).answer))) if rid else None
        ctx.check(f"{m} price", _plain(Decimal(str(args["is"]))), got)
    if "open_round" in args:
        state = ROUND_STATES[int(ctx.call(feed.getRound, int(ctx.call(feed.openRoundId))).state)]
        ctx.check(f"{m} open round", args["open_round"], state)
    if "stale" in args:
        ctx.check(f"{m} stale", args["stale"], bool(ctx.call(feed.isStale)))
    if "closed" in args:
        ctx.check(f"{m} market closed", args["closed"], bool(ctx.call(feed.marketClosed)))
    if "usable" in args:
        ctx.check(f"{m} usable price", args["usable"], bool(ctx.call(feed.usablePrice)[0]))
