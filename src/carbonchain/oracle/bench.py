"""Gas figures of the carbon price oracle (CarbonPriceFeed), beside a MakerDAO Median-style poke
and Chronicle Scribe's published figure, for the composed gas report."""

from __future__ import annotations

from typing import Any

from ..core.bench import PALETTE, Bench, Figure, Progress, bars, recorder
from ..core.hashing import keccak256
from .feeds import Feed
from .markets import close_of, day_of, market_code, to_price

#: The MakerDAO Median-style reference poke has measured 2,800 gas apart between runs whose earlier
#: transactions differed (same inputs, same contract); the cause is not found yet, so it is
#: reported (volatile) but not held to the snapshot. Every CarbonChain figure is.
OPERATOR_COUNTS = (3, 5, 7)
OBSERVED_AT = 1_767_225_600  # 2026-01-01T00:00Z
MEDIAN_AGE = 4_000_000_000
SCRIBE_POKE_5 = 81_025  # Chronicle Scribe, published figure for a poke with 5 signers (not measured here)
#: A shared-slot 5-operator round's costs before any logic, from the EVM's price list: base, calldata,
#: five ecrecover calls, config read, history read + write, the two logs, the operator set's EXTCODECOPY.
FIXED_5 = 21_000 + 7_400 + 15_500 + 2_100 + 2_100 + 2_900 + 5_185 + 2_700


def measure(accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """Per operator count: each on-chain submission, a relayed EIP-712 bundle, and a MakerDAO
    Median-style poke, in steady state. Three published rounds share one storage slot, so the bundle
    is measured for round 3 (opens a new slot), rounds 4 and 5 (fill it); ``bundle_N`` is the mean
    of the three, the cost of a published round over time."""
    from ape import project
    from eth_account.messages import encode_defunct

    admin = accounts[0]
    ops_all = accounts[6:13]
    figs: list[Figure] = []

    add = recorder(figs, progress)
    # Fixed observation times (consecutive market days' closes) keep the signed messages, and so the
    # calldata, identical run to run.
    first = day_of(OBSERVED_AT)
    closes = [close_of(first + k) for k in range(5)]
    for n in OPERATOR_COUNTS:
        ops = ops_all[:n]
        addrs = [o.address for o in ops]
        prices = [to_price(p) for p in ("71.00", "71.20", "70.90", "71.10", "71.30", "70.80", "71.05")[:n]]

        def new_feed(addrs=addrs, n=n):
            return Feed(admin.deploy(project.CarbonPriceFeed, market_code("CEA"), "CEA / CNY", 0, admin, admin, admin,
                                     addrs, (to_price("15"), to_price("400"), 1000, 100, n, 8 * 3600)))

        # submit path: n transactions per round (round 2)
        feed = new_feed()
        for o, p in zip(ops, prices):
            feed.submit(p, closes[0], sender=o)
        gases = [int(feed.submit(p, closes[1], sender=o).gas_used) for o, p in zip(ops, prices)]
        add(f"submit_first_{n}", f"{n} operators: first submit of a round", gases[0])
        add(f"submit_closing_{n}", f"{n} operators: closing submit (median, publish)", gases[-1])
        add(f"submit_round_{n}", f"{n} operators: whole round by submit ({n} transactions)", sum(gases))

        # bundle path: one transaction per round
        feed = new_feed()
        bundle_gas = []
        for rid, tt in enumerate(closes, start=1):
            quotes = [feed.sign_quote(rid, p, tt, o) for o, p in zip(ops, prices)]
            bundle_gas.append(int(feed.submit_bundle(quotes, sender=ops[0]).gas_used))
        cycle = bundle_gas[2:5]  # rounds 3, 4, 5: one history slot
        add(f"bundle_new_slot_{n}", f"{n} operators: bundle, round 3 (opens a storage slot)", cycle[0], sigs=n)
        add(f"bundle_shared_slot_{n}", f"{n} operators: bundle, round 4 (shares the slot)", cycle[1], sigs=n)
        add(f"bundle_{n}", f"{n} operators: published round by one relayed EIP-712 bundle (mean of rounds 3-5)",
            sum(cycle) // 3, sigs=n)

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
        "Steady state, quorum = operator count (every operator quotes). Three published rounds share one",
        "history slot: a bundle for round 3 opens the slot, rounds 4 and 5 share it; a published round costs",
        "the mean of the three.",
        "",
        "| operators | first submit | closing submit | whole round by submit | bundle, new slot | "
        "bundle, shared slot | **bundle, mean** | MakerDAO Median-style poke | Chronicle Scribe poke (published) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in OPERATOR_COUNTS:
        scribe = f"{SCRIBE_POKE_5:,}" if n == 5 else "-"
        lines.append(
            f"| {n} | {by[f'submit_first_{n}']:,} | {by[f'submit_closing_{n}']:,} | {by[f'submit_round_{n}']:,} | "
            f"{by[f'bundle_new_slot_{n}']:,} | {by[f'bundle_shared_slot_{n}']:,} | **{by[f'bundle_{n}']:,}** | "
            f"{by[f'median_style_{n}']:,} | {scribe} |"
        )
    b5, m5 = by["bundle_5"], by["median_style_5"]
    lines += [
        "",
        f"- Aim: a published round with 5 operators below Chronicle Scribe's {SCRIBE_POKE_5:,} gas. "
        f"Our relayed bundle: **{b5:,}** — {'met' if b5 < SCRIBE_POKE_5 else 'NOT met'}"
        f" ({b5 - SCRIBE_POKE_5:+,}). The MakerDAO Median-style poke measured beside it: {m5:,}.",
        f"- Two rounds out of three cost {by['bundle_shared_slot_5']:,} with 5 operators "
        f"({'below' if by['bundle_shared_slot_5'] < SCRIBE_POKE_5 else 'above'} Scribe's figure); every third "
        f"opens a history slot and costs {by['bundle_new_slot_5']:,}",
        f"  (+{by['bundle_new_slot_5'] - by['bundle_shared_slot_5']:,}: the EVM charges 20,000 for the first "
        "write of a storage slot; that round also reads the previous slot for the last answer and names",
        "  the new slot in the configuration).",
        "- Where a shared-slot round's gas goes (EVM price list, checked against a `debug_traceTransaction`",
        "  with the deployed source map): 21,000 base; about 7,400 calldata (five signed quotes, 740 bytes);",
        "  15,500 for five ecrecover precompile calls; 2,100 to read the configuration slot (operator set,",
        "  history slot of the latest round, held flag, band parameters; the round id follows from which",
        "  fields of that history slot are filled, so the configuration is written once every three",
        "  rounds); 2,100 + 2,900 for the history slot; 5,185 for the `BundleSubmitted` and `RoundPublished`",
        "  logs; 2,700 to read the operators and bounds (one EXTCODECOPY of an SSTORE2-style `OperatorSet`",
        f"  data contract). About {FIXED_5:,} before any logic; the logic (window checks, EIP-712 hashing in",
        "  scratch memory, the signer walk over the packed set, two medians, the band check, dispatch and",
        f"  ABI decoding) costs about {by['bundle_shared_slot_5'] - FIXED_5:,}, the per-quote part in assembly.",
        "- What differs from Scribe: it verifies one aggregated Schnorr signature (one recovery for any",
        "  number of signers) and overwrites one slot with no history; this feed checks each operator's",
        "  own signature (checkable by anyone, logged in `BundleSubmitted`) and keeps every round readable",
        "  through `getRoundData` (three rounds per slot: answer 48 bits, median observation time 33 bits,",
        "  quote count 4 bits). The Median-style poke keeps no history either.",
    ]
    return lines


def charts(figs: list[Figure]) -> list[dict[str, Any]]:
    ob = {f.key: f.gas for f in figs}
    rows = []
    for n in OPERATOR_COUNTS:
        rows += [
            (f"{n} ops: one tx per operator (whole round)", ob[f"submit_round_{n}"], PALETTE["submit"], ""),
            (f"{n} ops: one relayed EIP-712 bundle (mean)", ob[f"bundle_{n}"], PALETTE["bundle"], ""),
            (f"{n} ops: MakerDAO Median-style poke", ob[f"median_style_{n}"], PALETTE["median"], ""),
        ]
        if n == 5:
            rows.append(("5 signers: Chronicle Scribe poke (published)", SCRIBE_POKE_5, PALETTE["scribe"], ""))
    chart = bars(rows)
    chart.update(title="CarbonPriceFeed: gas per published round",
                 note="Steady state (mean of rounds 2 and 3). Our rounds keep history for getRoundData; the Median-style "
                      "and Scribe pokes overwrite one slot.", aim=None)
    return [chart]


def aims(figs: list[Figure]) -> list[dict[str, Any]]:
    ob = {f.key: f.gas for f in figs}
    return [{"text": f"5-operator round below Chronicle Scribe's {SCRIBE_POKE_5:,} ({ob['bundle_5']:,})",
             "met": ob["bundle_5"] < SCRIBE_POKE_5}]


BENCHES = [Bench("oracle", measure, render, charts, aims)]


def measure_replay(accounts: list[Any], *, days: int = 22, progress: Progress = lambda _m: None) -> dict[str, Any]:
    """Replays a SYNTHETIC real-shaped series (samples.real_shaped: limit days, a holiday, thin days,
    a noisy and a missing operator) through the Feeder, five operators quorum 3, on a fresh HBEA
    feed: transactions per second of wall time (provider-dependent: reported, never asserted)."""
    import datetime as dt
    import time

    from ape import chain, project

    from .feeder import SUBMIT, Feeder
    from .feeds import PriceFeeds
    from .markets import feed_config, spec_of
    from .quotes import CST, Quote, parse_time
    from .samples import real_shaped

    admin, ops = accounts[0], accounts[6:11]
    m = spec_of("HBEA")
    feed = Feed(admin.deploy(project.CarbonPriceFeed, market_code("HBEA"), m.feed_description, 0, admin, admin, admin,
                             [o.address for o in ops], feed_config(m, 3)))
    today = dt.datetime.fromtimestamp(chain.pending_timestamp, CST).date()
    start = today + dt.timedelta(days=7 - today.weekday() + 7)
    series = real_shaped(start, days=days, holiday=(9, 14), n_operators=len(ops))
    for s, e in series.closures:
        feed.contract.scheduleClosure(parse_time(s.isoformat() + "T00:00:00+08:00"),
                                      parse_time(e.isoformat() + "T00:00:00+08:00"), sender=admin)
    feeds = PriceFeeds({"HBEA": feed})
    feeders = [Feeder(feeds, o) for o in ops]
    sees = [dict(rows) for rows in series.operators]
    txs, holds, started = 0, 0, time.perf_counter()
    for d, _close in series.closes:
        obs = parse_time(d.isoformat())
        if obs + 1800 > chain.pending_timestamp:
            chain.mine(1, timestamp=obs + 1800)  # estimates see the latest block: mine the day's time
        for k, f in enumerate(feeders):
            if d in sees[k]:
                (dec,) = f.run_once([Quote("HBEA", to_price(sees[k][d]), obs)])
                if dec.action not in (SUBMIT, "skip"):  # a lost race or a published day is a normal skip
                    progress(f"{d} op{k}: {dec.action}: {dec.reason}")
                txs += dec.action == SUBMIT
        holds += bool(feed.contract.isHeld())
        progress(f"{d}: {feed.latest().price if feed.latest() else '-'}")
    seconds = time.perf_counter() - started
    return {"trading_days": len(series.closes), "transactions": txs, "seconds": round(seconds, 2),
            "tx_per_second": round(txs / seconds, 2) if seconds else 0.0, "rounds": int(feed.contract.latestRoundId()),
            "held_days": holds, "provider": chain.provider.name}


def render_replay(fig: dict[str, Any]) -> str:
    return "\n".join([
        "# Oracle replay throughput",
        "",
        "A SYNTHETIC real-shaped HBEA series (limit days, consecutive limit moves, a holiday reopening on a",
        "limit move, thin days; five operators, one with +/-0.2% noise, one missing ~15% of days; quorum 3)",
        "replayed day by day through the operators' Feeder (`ape run feed bench-replay`). Wall-clock figures",
        "depend on the machine and the provider: reported here, never asserted in tests.",
        "",
        "| provider | trading days | transactions | rounds published | days with a held round | seconds | tx/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| {fig['provider']} | {fig['trading_days']} | {fig['transactions']} | {fig['rounds']} | {fig['held_days']} | "
        f"{fig['seconds']} | {fig['tx_per_second']} |",
        "",
    ])
