"""The repo act of the demo: a price shock takes an agreement through Warning and MarginCall (the
keeper checks it and anchors a notice each time), then the exchange confirms a top-up that cures it
at once. Fresh contracts (RepoWorld) on the demo's chain; every outcome is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..core.reports import utc
from ..core.story import Check, checker
from .keeper import Keeper
from .local import RepoWorld
from .model import Health
from .sdk import Repo
from .terms import format_bps, format_cny


def story(accounts: list[Any], out: Path, *, roles: dict[str, int] | None = None,
          log: Callable[[str], None] = print) -> list[Check]:
    from ape import project

    checks: list[Check] = []
    check = checker(checks, log)
    w = RepoWorld.build(accounts, project, roles=roles)
    repo = Repo(w.repo)
    keeper = Keeper(repo, w.documents, w.admin, notices_dir=out / "repo-notices", state_file=out / "keeper.json")
    w.publish("80")
    rid = w.open(quantity=5000, principal=w.fen("200,000.00"), rate_bps=450)
    log(f"  repo #{rid}: 5,000 t CEA against {format_cny(w.fen('200,000.00'))} CNY at 4.50%, lines 160% / 140% / 120%,"
        " contract signed by both, counterparty's CarbonAccountHolder credential valid, approved by two risk officers")
    check("agreement active and healthy at 80.00 CNY/t", (Health.HEALTHY, 20000),
          (repo.agreement(rid).health, repo.ratio(rid).ratio_bps), "ratio 200.00%")
    w.publish("60")
    res = keeper.run_once()
    check("price shock to 60.00: keeper raises a warning", (Health.WARNING, 1),
          (repo.agreement(rid).health, res.anchored), f"ratio {format_bps(repo.ratio(rid).ratio_bps)}, notice anchored")
    w.publish("50")
    res = keeper.run_once()
    a = repo.agreement(rid)
    check("50.00: margin call with a cure deadline", (Health.MARGIN_CALL, True, 1),
          (a.health, a.deadline > a.since, res.anchored), f"top up or repay by {utc(a.deadline)}; notice anchored")
    r = repo.top_up(rid, 3000, w.ref("exchange-top-up"), sender=w.custodian)
    changes = repo.health_changes(r)
    check("exchange confirms a 3,000 t top-up: cured at once", (Health.HEALTHY, 1, 0),
          (repo.agreement(rid).health, len(changes), len(keeper.run_once().checked)),
          f"ratio {format_bps(repo.ratio(rid).ratio_bps)}; the keeper has nothing left to do")
    notices = sorted((out / "repo-notices").glob("*.html"))
    check("notices written and anchored", 2, sum(w.documents.isAnchored(w.admin, _digest(p), 1) for p in notices),
          ", ".join(p.name for p in notices))
    return checks


def _digest(path: Path) -> bytes:
    from ..core.hashing import Algorithm, digest_file

    return digest_file(path, Algorithm.SHA256)
