"""``ape run scenario bench``: the library's wall time and transactions per second, played by the
fast runner and by a plain Ape loop (every transaction through Ape, one by one) over the same
scenarios, on the in-process provider and on anvil, with where the time goes. Writes
``benchmarks/scenarios.md``. Wall-clock figures: they vary with the machine's load (recorded)."""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import platform
from pathlib import Path
from typing import Callable

from ..core.network import without_steps_tracing
from .cli import quiet_ape
from .model import load_all
from .runner import Result, run_all

AIM_TX_PER_S = 100
PARTS = ("send", "receipts", "reads", "deploy", "time")
#: "Reading it": what the figures mean (kept beside the code that makes them).
READING = [
    "## Reading it",
    "",
    "- **Runner on anvil.** A step costs one request per transaction (`eth_sendTransaction` with nonce and gas "
    "given, so the node neither estimates nor looks anything up), then one `evm_mine` and one batch of receipts "
    "for the whole step (again before a read that must see the step's earlier transactions), plus the clock move "
    "when the step has a day or time. *mine + receipts* is almost all anvil executing the block's transactions "
    "(`evm_mine` answers once they ran); *send* is the requests themselves over the keep-alive connection; *the "
    "rest* is Python: ABI encoding and log decoding, Ape's contract-attribute lookups, the scenario's own "
    "bookkeeping (charts, checks), and a one-time warm-up paid by the first scenario (Ape's test accounts, its "
    "custom-error types).",
    "- **Per-step checks are kept.** Every receipt is read and checked: the block must hold the step's "
    "transactions in the order sent (anvil orders its pool by fee; the runner's all pay the same, and a "
    "reordered block fails the step instead of judging another story); a reverted one fails the step with its "
    "custom error's name and its own hash, wherever it sits in the block (revert data from the node's call "
    "trace); expectations read the chain after the step's block. One block per step keeps the calendar: a "
    "step's transactions all carry its day and time (holidays, closures and staleness are judged on block time), "
    "never one block per scenario.",
    "- **`--steps-tracing`** (the last row): the same runner and the same blocks, but anvil keeps a copy of the "
    "stack and memory at every EVM step, so execution, and with it *mine + receipts*, grows with the "
    "transactions' length: the 50-agreement keeper check that follows each of the year's closes is the longest "
    "transaction of the library. `ape test scenarios` and `make demo` play on that anvil (ape-foundry starts it "
    "so); `ape run scenario run` and `make node` do not.",
    "- **Plain ape loop.** A plain Ape transaction costs several round trips (fee data, nonce, send, receipt "
    "wait, often a trace) plus Ape's conversions, and one block per transaction; a plain Ape view costs about as "
    "much as a raw transaction. Raw requests are counted for the runner only (the plain loop's go through Ape).",
    "- **In-process provider.** py-evm executes each transaction when it is sent (it is in *send*), far slower "
    "than anvil: both modes spend most of their time there, and the runner's batching has little to save.",
    "",
]


def _load() -> str:
    try:
        return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"
    except OSError:
        return f"{os.cpu_count()} cores"


RUNNER, PLAIN, TRACED = "runner", "plain ape loop", "runner, anvil with --steps-tracing"


def measure(network: str, *, keyword: str | None, slow: bool, log: Callable[[str], None]) -> dict[str, list[Result]]:
    """The runner and the plain loop over the library on ``network``. On anvil both play on an anvil
    started as ``make node`` runs it (no ``--steps-tracing``), and the runner plays once more on the
    anvil ape-foundry starts for ``ape test`` (with it), to show what the step traces cost."""
    from ape import networks

    scenarios = [s for s in load_all(["scenarios"], keyword) if slow or not s.slow]
    anvil = "foundry" in network
    out: dict[str, list[Result]] = {}
    # disconnect_after: Ape would keep this anvil for the next connection; the traced pass needs its own
    with without_steps_tracing() if anvil else contextlib.nullcontext(), \
            networks.parse_network_choice(network, disconnect_after=anvil), quiet_ape():
        for mode, fast in ((RUNNER, True), (PLAIN, False)):
            log(f"{network}: {mode} over {len(scenarios)} scenarios")
            out[mode] = run_all(scenarios, fast=fast)
    if anvil:
        with networks.parse_network_choice(network, disconnect_after=True), quiet_ape():
            log(f"{network}: {TRACED} over {len(scenarios)} scenarios")
            out[TRACED] = run_all(scenarios, fast=True)
    return out


def _row(label: str, results: list[Result]) -> str:
    txs = sum(r.txs for r in results)
    secs = sum(r.seconds for r in results)
    ok = sum(r.passed for r in results)
    trips = sum(r.round_trips for r in results)
    blocks = sum(r.blocks for r in results)
    per_tx = f"{trips / txs:.1f}" if trips and txs and label != PLAIN else "-"  # the plain loop's go through Ape
    return (f"| {label} | {len(results)} ({ok} passed) | {txs:,} | {secs:.1f} | {txs / secs:.0f} | {per_tx} | "
            f"{f'{blocks:,}' if blocks else '-'} |")


def _rate(r: Result | None) -> str:
    return f"{r.seconds:.2f} | {r.txs / r.seconds:.0f}" if r and r.seconds else "- | -"


def render(figures: dict[str, dict[str, list[Result]]]) -> list[str]:
    lines = [
        "# Scenario suites: speed",
        "",
        f"Generated by `ape run scenario bench` on {_dt.datetime.now(tz=_dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{platform.python_implementation()} {platform.python_version()}, {_load()} at the end. Wall-clock figures on a "
        "shared machine: compare the modes of one network (same run, same load), not runs with each other.",
        "",
        "The **runner** is `ape run scenario run`. Per step: transactions handed to the node as raw JSON-RPC over one "
        "keep-alive connection, with explicit nonce and gas, without waiting on each; on anvil the node's automine is off "
        "while the step plays, so they wait in the pool in the order sent and are mined together in one block at the "
        "step's time (`evm_mine`), then every receipt is fetched in one batch and checked (order in the block, status; "
        "a revert is decoded by custom-error name from the node's call trace); views are raw `eth_call`s (batched where "
        "a step reads many) that first mine what the step sent before them; prices and book health come from the "
        "receipts' events. The **plain ape loop** plays the very same scenarios with every transaction and view through "
        "Ape one by one (`method(*args, sender=...)`), as a hand-written ape script would (`ape run scenario run "
        "--plain`). Every expectation is checked in both, with the same verdicts.",
        "",
        "On anvil both play on an anvil started as `make node` runs it (and as `ape run scenario run` starts one): "
        "without `--steps-tracing`. The last row plays the runner again on the anvil that ape-foundry starts for "
        "`ape test` and `make demo`, with `--steps-tracing` (anvil then keeps the stack and memory of every EVM step "
        "of every transaction).",
        "",
        f"Aim: at least {AIM_TX_PER_S} transactions per second on anvil.",
        "",
    ]
    for network, modes in figures.items():
        lines += [f"## {network}", "",
                  "| mode | scenarios | transactions | wall s | tx/s | raw requests per tx | blocks mined |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for mode, results in modes.items():
            lines.append(_row(mode, results))
        traced = {r.scenario.name: r for r in modes.get(TRACED, [])}
        plain = {r.scenario.name: r for r in modes.get(PLAIN, [])}
        head = "| scenario | txs | runner s | runner tx/s | plain s | plain tx/s |"
        rule = "|---|---:|---:|---:|---:|---:|"
        if traced:
            head += " runner, steps tracing s | tx/s |"
            rule += "---:|---:|"
        lines += ["", "Per scenario:", "", head, rule]
        for r in modes.get(RUNNER, []):
            row = f"| {r.scenario.name} | {r.txs} | {_rate(r)} | {_rate(plain.get(r.scenario.name))} |"
            if traced:
                row += f" {_rate(traced.get(r.scenario.name))} |"
            lines.append(row)
        lines += ["", "Where the runner's time goes (share of wall time):", "",
                  "| | send | mine + receipts | reads | deploys | clock | the rest (Python: encoding, decoding, checks) |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for mode in (RUNNER, TRACED):
            results = modes.get(mode, [])
            if not results:
                continue
            total = sum(r.seconds for r in results) or 1.0
            parts = [sum(r.timings.get(k, 0.0) for r in results) for k in PARTS]
            rest = max(0.0, total - sum(parts))
            lines.append(f"| {mode} | " + " | ".join(f"{100 * x / total:.0f}%" for x in parts) + f" | {100 * rest / total:.0f}% |")
        lines.append("")
    lines += READING
    return lines


def run_bench(out: str, network_list: list[str], *, keyword: str | None = None,
              log: Callable[[str], None] = print) -> Path:
    figures: dict[str, dict[str, list[Result]]] = {}
    for network in network_list:
        slow = "foundry" in network  # the year-long book runs on anvil only (minutes in-process)
        figures[network] = measure(network, keyword=keyword, slow=slow, log=log)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(render(figures)))
    return path
