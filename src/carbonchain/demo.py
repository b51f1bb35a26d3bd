"""The end-to-end demo (`make demo`): each domain's story as an act, on one deployment.

Every step is a real transaction on the connected chain and every outcome is checked against
what the step must produce: the demo fails (exit code 1) if the system misbehaves. The domains
own their stories (``carbonchain.<domain>.demo`` / ``.scenario``); this module only orders them.
"""

from __future__ import annotations

import datetime as _dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .core.story import Check, assert_all_ok  # noqa: F401 - public names
from .deploy import deploy_all
from .identity.scenario import identity_scenario
from .notary import Notary
from .notary.demo import story as notary_story
from .offset.scenario import neutrality_act
from .oracle.scenario import fresh_feeds, oracle_scenario
from .repo.demo import story as repo_story


@dataclass
class Act:
    """One chapter of the demo: a title and a function of the demo context returning its checks."""

    key: str
    title: str
    play: Callable[["DemoContext"], list[Check]]


@dataclass
class DemoContext:
    out: Path
    account: Callable[[int], Any]  # test account by index
    log: Callable[[str], None]
    network: str
    batch_size: int
    reports: list[Path] = field(default_factory=list)  # report files or folders the acts wrote, printed at the end

    def persona(self, name: str) -> Any:
        """The account of a persona of :mod:`carbonchain.core.personas` (``"broker"``...)."""
        from .core.personas import PERSONAS

        return self.account(PERSONAS[name])


def new_run_dir(out_dir: str | Path) -> Path:
    run_id = _dt.datetime.now(tz=_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    out = Path(out_dir) / run_id
    out.mkdir(parents=True, exist_ok=True)
    return out


def run(
    out_dir: str | Path,
    *,
    accounts: list[Any],
    batch_size: int = 200,
    log: Callable[[str], None] = print,
    network: str = "",
) -> list[Check]:
    """The notary act on the project's deployment (deployed or reused from ``accounts[0]``):
    ``accounts`` = [manager, custodian, investor, platform]."""
    from ape import chain

    out = new_run_dir(out_dir)
    log(f"chain {chain.chain_id}, run {out.name}, output in {out}")
    result = deploy_all(accounts[0], log=log)
    steps = notary_story(Notary.deployed(), out, accounts=accounts, batch_size=batch_size, log=log,
                         network=network)
    if result.deployed:
        log(f"deployed: {', '.join(result.deployed)}")
    return steps


def _notary_act(ctx: DemoContext) -> list[Check]:
    before = set(ctx.out.iterdir()) if ctx.out.is_dir() else set()
    people = [ctx.persona(n) for n in ("manager", "custodian", "investor", "platform")]
    checks = run(ctx.out, accounts=people, batch_size=ctx.batch_size, log=ctx.log,
                 network=ctx.network)
    ctx.reports += sorted(p / "reports" for p in set(ctx.out.iterdir()) - before)
    return checks


def _oracle_act(ctx: DemoContext) -> list[Check]:
    operators = [ctx.persona(f"operator-{x}") for x in "abcd"]
    ctx.log("deploying a fresh feed per market for the scenario (operators A-D, quorum 3)")
    feeds = fresh_feeds(ctx.account(0), operators, quorum=3)
    return oracle_scenario(feeds, operators, ctx.account(0), log=ctx.log)


def _identity_act(ctx: DemoContext) -> list[Check]:
    """On the deployed registries (the notary act deployed or reused them, governed by account 0),
    so that the regulator's view (`ape run dashboard`) shows the story."""
    from .core.deployments import contract

    gov = ctx.persona("admin")
    dids, trusted, registry = (contract(n) for n in ("DIDRegistry", "TrustedIssuerRegistry", "CredentialRegistry"))
    people = dict(gov=gov, bank=ctx.persona("bank"), broker=ctx.persona("broker"), investor=ctx.persona("holder"),
                  broker2=ctx.persona("other-broker"))
    return identity_scenario(dids, trusted, registry, people, log=ctx.log)


def _fund_act(ctx: DemoContext) -> list[Check]:
    from .fund import Funds
    from .fund.scenario import fund_scenario
    from .identity import Credentials

    deploy_all(ctx.persona("admin"), log=ctx.log)
    people = {n: ctx.persona(n) for n in ("manager", "custodian", "investor", "broker")}
    people["gov"] = ctx.persona("admin")
    out = new_run_dir(ctx.out)
    checks = fund_scenario(Funds.deployed(), Credentials.deployed(), people, out, log=ctx.log)
    ctx.reports.append(out / "fund")
    return checks


def _repo_act(ctx: DemoContext) -> list[Check]:
    from .core.personas import PERSONAS

    roles = {"admin": PERSONAS["admin"], "financier": PERSONAS["financier"], "custodian": PERSONAS["custodian"],
             "counterparty": PERSONAS["enterprise"], "risk1": PERSONAS["risk"], "risk2": PERSONAS["risk-officer-2"],
             "broker": PERSONAS["broker"], "operators": PERSONAS["operator-a"]}
    out = new_run_dir(ctx.out)
    checks = repo_story([ctx.account(i) for i in range(16)], out, roles=roles, log=ctx.log)
    ctx.reports.append(out / "repo-notices")
    return checks


def _scenarios_act(ctx: DemoContext) -> list[Check]:
    from .scenario.demo import flagship_act

    return flagship_act(ctx, new_run_dir(ctx.out))


#: The acts, in the order the demo plays them. A new domain appends its act here.
ACTS: tuple[Act, ...] = (
    Act("notary", "contract-hash notary", _notary_act),
    Act("oracle", "carbon price oracle", _oracle_act),
    Act("identity", "identity and credentials", _identity_act),
    Act("fund", "private-fund subscription", _fund_act),
    Act("neutrality", "offset retirement and carbon neutrality", lambda ctx: neutrality_act(ctx, deploy_all)),
    Act("repo", "carbon repo: price shock, warning, margin call, cure by top-up", _repo_act),
    Act("scenarios", "flagship scenario suites (scenarios/*.yaml tagged flagship)", _scenarios_act),
)


def run_acts(ctx: DemoContext, *, rule: Callable[[str], None] = lambda _t: None) -> dict[str, list[Check]]:
    """Plays every act; raises CarbonChainError on the first act with a failed check."""
    results: dict[str, list[Check]] = {}
    for act in ACTS:
        rule(act.title)
        checks = act.play(ctx)
        assert_all_ok(checks, f"{act.title}")
        results[act.key] = checks
    return results
