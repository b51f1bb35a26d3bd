"""``ape console`` helper: step through one scenario.

    >>> s = scenario("repo-crash-cure")   # validated, personas bound, chain snapshot taken
    >>> s.next()                          # plays the next step (s.next(3): three)
    >>> s.ctx.recall("agreement", "A1")   # the scenario's named things, contracts, events...
    >>> s.run()                           # the rest; s.reset() reverts the chain to before it

``advance(days=1)`` (one block a day later) comes with the repo domain's console helpers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.deployments import project_root
from ..core.errors import CarbonChainError
from .context import StepFailed
from .model import Scenario, parse
from .runner import new_context, play_step



class Stepper:
    """One scenario played step by step on the console's chain."""

    def __init__(self, scn: Scenario) -> None:
        from ape import chain

        self.scenario = scn
        self.snapshot = chain.snapshot()
        self.ctx = new_context(scn, log=print)
        self.ctx.advance_to(self.ctx.t0)
        self.position = 0

    def next(self, n: int = 1) -> "Stepper":
        for _ in range(n):
            if self.position >= len(self.scenario.steps):
                print("the scenario is over (reset() to play it again)")
                break
            st = self.scenario.steps[self.position]
            print(f"-> {st.label} (line {st.line})" + (f": {st.note}" if st.note else ""))
            try:
                play_step(self.ctx, st)
            except StepFailed as err:
                print(f"✗ {err}" + (f" (tx {err.tx})" if err.tx else ""))
                break
            self.position += 1
        self.ctx.hand_back()  # the console may send through Ape next
        return self

    def run(self) -> "Stepper":
        return self.next(len(self.scenario.steps) - self.position)

    def reset(self) -> "Stepper":
        from ape import chain

        chain.restore(self.snapshot)
        self.__init__(self.scenario)  # type: ignore[misc]
        return self

    @property
    def failed(self) -> list[Any]:
        return [o for o in self.ctx.outcomes if not o.ok]

    def __repr__(self) -> str:
        steps = self.scenario.steps
        nxt = steps[self.position].label if self.position < len(steps) else "end"
        return (f"<scenario {self.scenario.name}: {self.position}/{len(steps)} steps played, next {nxt}; "
                f"{len(self.ctx.outcomes) - len(self.failed)}/{len(self.ctx.outcomes)} expectations met>")


def scenario(name: str) -> Stepper:
    """``scenario("repo-crash-cure")`` (a file in scenarios/) or a path to a scenario file."""
    path = Path(name)
    if not path.is_file():
        path = project_root() / "scenarios" / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in (project_root() / "scenarios").glob("*.yaml")))
        raise CarbonChainError(f"no scenario {name!r} (known: {known})")
    return Stepper(parse(path))
