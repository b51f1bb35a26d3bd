"""Plays validated scenarios, each isolated between a chain snapshot and its revert."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..core import steps as registry
from ..core.errors import CarbonChainError, describe
from .context import Chart, Context, Outcome, StepFailed
from .model import Scenario, Step, load_step_modules


@dataclass
class Failure:
    """Why a scenario stopped before its end."""

    message: str
    step: str
    line: int
    tx: str = ""


@dataclass
class Result:
    scenario: Scenario
    outcomes: list[Outcome] = field(default_factory=list)
    failure: Failure | None = None
    steps_played: int = 0
    txs: int = 0
    seconds: float = 0.0
    charts: list[Chart] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    t0: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    round_trips: int = 0  # raw JSON-RPC requests to the node (a batch is one)
    blocks: int = 0  # blocks the runner mined for the scenario's transactions (anvil)

    @property
    def passed(self) -> bool:
        return self.failure is None and all(o.ok for o in self.outcomes)

    @property
    def failed_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def summary(self) -> str:
        """Expected/actual/step/line/tx of every failure, one per line."""
        out = []
        if self.failure:
            f = self.failure
            out.append(f"{self.scenario.path}:{f.line}: {f.step}: {f.message}" + (f" (tx {f.tx})" if f.tx else ""))
        for o in self.failed_outcomes:
            out.append(f"{self.scenario.path}:{o.line}: {o.step}: {o.name}: expected {o.expected}, got {o.actual}"
                       + (f" (tx {o.tx})" if o.tx else ""))
        return "\n".join(out)


def personas_for(scn: Scenario) -> tuple[dict[str, Any], Any]:
    from ape import accounts

    test = accounts.test_accounts
    return {name: test[i + 1] for i, name in enumerate(scn.personas)}, test[0]


def new_context(scn: Scenario, *, fast: bool = True, log: Callable[[str], None] = lambda _m: None) -> Context:
    from .domains import contract_specs

    load_step_modules()
    personas, admin = personas_for(scn)
    return Context(personas, admin, fast=fast, log=log, specs=contract_specs(), base_dir=scn.path.parent)


def play_step(ctx: Context, st: Step) -> None:
    """One step: move time, run the handler, settle its transactions, judge an expected revert.
    Raises StepFailed when the story cannot go on."""
    from ape.exceptions import ApeException

    ctx.step_label, ctx.step_line = st.label, st.line
    if st.day is not None or st.at:
        ctx.advance_to(ctx.at(st.day if st.day is not None else int(ctx.day), st.at))
    spec = registry.get(st.action)
    ctx.expected_revert, ctx.reverts_seen = st.expect_revert, []
    try:
        spec.run(ctx, st.args)
        ctx.settle()
    except StepFailed:
        raise
    except (CarbonChainError, ApeException, ValueError, KeyError, OSError) as err:
        raise StepFailed(describe(err), tx=ctx.last_tx) from None
    finally:
        ctx.expected_revert = None
        ctx.release()
    if st.expect_revert:
        seen = ctx.reverts_seen[0] if ctx.reverts_seen else "no transaction was attempted"
        ctx.check(f"refused with {st.expect_revert}", st.expect_revert, seen)


def run_scenario(
    scn: Scenario,
    *,
    fast: bool = True,
    log: Callable[[str], None] = lambda _m: None,
    on_step: Callable[[Step], None] = lambda _s: None,
    isolate: bool = True,
) -> Result:
    """Plays one scenario; the chain is reverted to where it was afterwards (``isolate``)."""
    from ape import chain

    from ..core.errors import quiet_traces

    snapshot = _snapshot(chain) if isolate else None
    started = time.perf_counter()
    result = Result(scn)
    ctx: Context | None = None
    try:
        with quiet_traces():
            ctx = new_context(scn, fast=fast, log=log)
            result.t0 = ctx.t0
            ctx.advance_to(ctx.t0)  # setup plays at day 0
            for st in scn.steps:
                try:
                    play_step(ctx, st)
                except StepFailed as err:
                    result.failure = Failure(str(err), st.label, st.line, err.tx)
                    log(f"✗ {st.label}: {err}")
                    break
                result.steps_played += 1
                on_step(st)
            result.outcomes = ctx.outcomes
            result.txs = len(ctx.txs)
            result.charts = list(ctx.charts.values())
            result.events = ctx.events
            result.timings = dict(ctx.timings)
            result.blocks = ctx.blocks_mined
    finally:
        if ctx is not None:
            ctx.close()
            result.round_trips = ctx.round_trips
        result.seconds = time.perf_counter() - started
        if snapshot is not None:
            chain.restore(snapshot)
    return result


def _snapshot(chain: Any) -> Any:
    """A snapshot to revert to, or None on a node that keeps no snapshots (Hardhat through Ape's
    generic `node` provider, like any real network): there each scenario still deploys its own
    contracts, so none sees another's state, only the chain's clock, which only moves forward."""
    from ape.exceptions import APINotImplementedError

    try:
        return chain.snapshot()
    except APINotImplementedError:
        return None


def run_all(
    scenarios: list[Scenario],
    *,
    fast: bool = True,
    log: Callable[[str], None] = lambda _m: None,
    on_step: Callable[[Scenario, Step], None] = lambda _c, _s: None,
    on_done: Callable[[Result], None] = lambda _r: None,
) -> list[Result]:
    results = []
    for scn in scenarios:
        r = run_scenario(scn, fast=fast, log=log, on_step=lambda st, scn=scn: on_step(scn, st))
        on_done(r)
        results.append(r)
    return results
