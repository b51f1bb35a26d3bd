"""Gas figures of the carbon price oracle (CarbonPriceFeed), beside a MakerDAO Median-style poke
and Chronicle Scribe's published figure, for the composed gas report."""

from __future__ import annotations

from typing import Any

from ..core.bench import PALETTE, Bench, Figure, Progress, bars, recorder
from ..core.hashing import keccak256
from .feeds import Feed
from .markets import market_code, to_price

#: The MakerDAO Median-style reference poke has measured 2,800 gas apart between runs whose earlier
#: transactions differed (same inputs, same contract); the cause is not found yet, so it is
#: reported (volatile) but not held to the snapshot. Every CarbonChain figure is.
OPERATOR_COUNTS = (3, 5, 7)
OBSERVED_AT = 1_767_225_600  # 2026-01-01T00:00Z
MEDIAN_AGE = 4_000_000_000
SCRIBE_POKE_5 = 81_025  # Chronicle Scribe, published figure for a poke with 5 signers (not measured here)


def measure(accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """Per operator count: each on-chain submission, a relayed EIP-712 bundle, and a MakerDAO
    Median-style poke, all in steady state (round 2, after a first round has been published)."""
    from ape import project
    from eth_account.messages import encode_defunct

    admin = accounts[0]
    ops_all = accounts[6:13]
    figs: list[Figure] = []

    add = recorder(figs, progress)

    for n in OPERATOR_COUNTS:
        ops = ops_all[:n]
        addrs = [o.address for o in ops]
        prices = [to_price(p) for p in ("71.00", "71.20", "70.90", "71.10", "71.30", "70.80", "71.05")[:n]]

        def new_feed(addrs=addrs, n=n):
            return Feed(admin.deploy(project.CarbonPriceFeed, market_code("CEA"), "CEA / CNY", admin, addrs,
                                     to_price("1"), to_price("1000"), n, 1000, 4 * 86400))

        # Fixed observation times keep the signed messages, and so the calldata, identical run to run.
        t = OBSERVED_AT
        # submit path: n transactions per round
        feed = new_feed()
        for o, p in zip(ops, prices):
            feed.submit(p, t, sender=o)
        gases = [int(feed.submit(p, t + 10, sender=o).gas_used) for o, p in zip(ops, prices)]
        add(f"submit_first_{n}", f"{n} operators: first submit of a round", gases[0])
        add(f"submit_closing_{n}", f"{n} operators: closing submit (median, publish)", gases[-1])
        add(f"submit_round_{n}", f"{n} operators: whole round by submit ({n} transactions)", sum(gases))

        # bundle path: one transaction per round
        feed = new_feed()
        for rid, tt in ((1, t), (2, t + 10)):
            quotes = [feed.sign_quote(rid, p, tt, o) for o, p in zip(ops, prices)]
            receipt = feed.submit_bundle(quotes, sender=ops[0])
        add(f"bundle_{n}", f"{n} operators: round by one relayed EIP-712 bundle", receipt.gas_used, sigs=n)

        # MakerDAO Median-style poke (no history kept), same operators
        median = admin.deploy(project.MedianStylePoke, market_code("CEA"), addrs, n)
        sorted_prices = sorted(prices)
        for k in range(2):
            age = MEDIAN_AGE + k  # must only exceed the last poke's time
            sigs = []
            for o, p in zip(ops, sorted_prices):
                h = keccak_packed(p, age, market_code("CEA"))
                sig = o.sign_message(encode_defunct(primitive=h))
                sigs.append((int(sig.v), bytes(sig.r).rjust(32, b"\x00"), bytes(sig.s).rjust(32, b"\x00")))
            receipt = median.poke(sorted_prices, [age] * n, [x[0] for x in sigs], [x[1] for x in sigs],
                                  [x[2] for x in sigs], sender=ops[0])
        add(f"median_style_{n}", f"{n} operators: MakerDAO Median-style poke (reference pattern)", receipt.gas_used,
            sigs=n, volatile=True)
    return figs


def keccak_packed(val: int, age: int, wat: bytes) -> bytes:
    return keccak256(val.to_bytes(32, "big") + age.to_bytes(32, "big") + wat)


def render(figs: list[Figure]) -> list[str]:
    by = {f.key: f.gas for f in figs}
    lines = [
        "## CarbonPriceFeed (carbon price oracle)",
        "",
        "Steady state: round 2 of a feed whose quorum equals the operator count (every operator quotes).",
        "",
        "| operators | first submit | closing submit | whole round by submit | one relayed bundle | "
        "MakerDAO Median-style poke | Chronicle Scribe poke (published) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in OPERATOR_COUNTS:
        scribe = f"{SCRIBE_POKE_5:,}" if n == 5 else "-"
        lines.append(
            f"| {n} | {by[f'submit_first_{n}']:,} | {by[f'submit_closing_{n}']:,} | {by[f'submit_round_{n}']:,} | "
            f"{by[f'bundle_{n}']:,} | {by[f'median_style_{n}']:,} | {scribe} |"
        )
    b5, m5 = by["bundle_5"], by["median_style_5"]
    lines += [
        "",
        f"- Aim: a published round with 5 operators below Chronicle Scribe's {SCRIBE_POKE_5:,} gas. "
        f"Our relayed bundle: **{b5:,}** — {'met' if b5 < SCRIBE_POKE_5 else 'NOT met'}"
        f" ({b5 - SCRIBE_POKE_5:+,}). The MakerDAO Median-style poke measured beside it: {m5:,}.",
        "- Where the difference goes: Scribe verifies one aggregated Schnorr signature and overwrites one",
        "  slot; the Median-style poke overwrites one slot and keeps no history. Each CarbonPriceFeed round",
        "  writes a new storage slot (~22k gas) so that `getRoundData` serves every past round, as",
        "  Chainlink consumers expect, checks one ECDSA signature and one role per operator (~6k each),",
        "  and logs every operator's signed price and observation time for the audit trail.",
    ]
    return lines


def charts(figs: list[Figure]) -> list[dict[str, Any]]:
    ob = {f.key: f.gas for f in figs}
    rows = []
    for n in OPERATOR_COUNTS:
        rows += [
            (f"{n} ops: one tx per operator (whole round)", ob[f"submit_round_{n}"], PALETTE["submit"], ""),
            (f"{n} ops: one relayed EIP-712 bundle", ob[f"bundle_{n}"], PALETTE["bundle"], ""),
            (f"{n} ops: MakerDAO Median-style poke", ob[f"median_style_{n}"], PALETTE["median"], ""),
        ]
        if n == 5:
            rows.append(("5 signers: Chronicle Scribe poke (published)", SCRIBE_POKE_5, PALETTE["scribe"], ""))
    chart = bars(rows)
    chart.update(title="CarbonPriceFeed: gas per published round",
                 note="Steady state (round 2). Our rounds keep history for getRoundData; the Median-style "
                      "and Scribe pokes overwrite one slot.", aim=None)
    return [chart]


def aims(figs: list[Figure]) -> list[dict[str, Any]]:
    ob = {f.key: f.gas for f in figs}
    return [{"text": f"5-operator round below Chronicle Scribe's {SCRIBE_POKE_5:,} ({ob['bundle_5']:,})",
             "met": ob["bundle_5"] < SCRIBE_POKE_5}]


BENCHES = [Bench("oracle", measure, render, charts, aims)]
