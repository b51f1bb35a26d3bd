"""Checks of a story (the demo's acts, scenario steps): what was expected, what the chain gave."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
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


def show(value: Any) -> str:
    """A checked value as a person reads it: no ``Decimal('62.53')``, no Python brackets."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {show(v)}" for k, v in value.items()) or "none"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(show(v) for v in items) or "none"
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


def checker(checks: list[Check], log: Callable[[str], None]) -> Callable[..., None]:
    """A ``check(name, expected, got, detail="")`` that records into ``checks`` and logs one line:
    ``✓ name: detail`` (or the value got), ``✗ name: expected X, got Y``."""

    def check(name: str, expected: Any, got: Any, detail: str = "") -> None:
        checks.append(Check(name, expected, got, detail))
        if expected == got:
            log(f"  ✓ {name}: {detail or show(got)}")
        else:
            log(f"  ✗ {name}: expected {show(expected)}, got {show(got)}" + (f" ({detail})" if detail else ""))

    return check


def assert_all_ok(steps: list[Check], what: str = "demo") -> None:
    failed = [s for s in steps if not s.ok]
    if failed:
        raise CarbonChainError(
            f"{what} check failed: " + "; ".join(f"{s.name} expected {show(s.expected)}, got {show(s.got)}"
                                                 for s in failed)
        )
