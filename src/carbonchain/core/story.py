"""Checks of a story (the demo's acts, scenario steps): what was expected, what the chain gave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .errors import CarbonChainError


@dataclass
class Check:
    """One expectation of a scenario and what the chain gave."""

    name: str
    expected: Any
    got: Any
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def checker(checks: list[Check], log: Callable[[str], None]) -> Callable[..., None]:
    """A ``check(name, expected, got, detail="")`` that records into ``checks`` and logs one line."""

    def check(name: str, expected: Any, got: Any, detail: str = "") -> None:
        checks.append(Check(name, expected, got, detail))
        mark = "✓" if expected == got else "✗"
        log(f"{mark} {name}: {detail}" if detail and expected == got
            else f"{mark} {name}: expected {expected}, got {got}" + (f" ({detail})" if detail else ""))

    return check


def assert_all_ok(steps: list[Check], what: str = "demo") -> None:
    failed = [s for s in steps if not s.ok]
    if failed:
        raise CarbonChainError(
            f"{what} check failed: " + "; ".join(f"{s.name} expected {s.expected}, got {s.got}" for s in failed)
        )
