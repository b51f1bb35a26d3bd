"""The step registry of the YAML scenario suites: domains contribute actions and expectations here,
the scenario runner (``carbonchain.scenario``) looks them up by name and knows no domain's insides.

A domain declares its steps in ``carbonchain/<domain>/steps.py``::

    from ..core.steps import step

    @step("top_up", {"agreement": NAME, "tonnes": TONNES}, required=["agreement", "tonnes"],
          doc="the custodian confirms more collateral")
    def top_up(ctx, args): ...

``schema`` is the JSON Schema of the step's arguments (the runner composes the whole
``scenarios/schema.json`` from these); ``ctx`` is the runner's context (personas, time, sending,
checking, charts: see ``carbonchain.scenario.context.Context``). A handler sends its transactions
through ``ctx.send`` and states outcomes with ``ctx.check``; it raises ``CarbonChainError`` for a
story that cannot go on (an unknown agreement name...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import CarbonChainError

#: Reusable argument schemas (units as the project writes them).
NAME = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_.-]*$", "description": "a name given earlier in the scenario"}
PERSONA = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_]*$", "description": "a persona of the scenario"}
PERSONAS = {"type": "array", "items": PERSONA, "minItems": 1}
PRICE = {"type": ["number", "string"], "description": "CNY per tCO2e, e.g. 72.50 (8 decimals on chain)"}
MONEY = {"type": ["integer", "string"], "description": "CNY, e.g. '200,000.00' (fen on chain)"}
TONNES = {"type": ["integer", "string"], "description": "whole tCO2e, e.g. 5000 or '5,000 t'"}
BPS = {"type": "integer", "minimum": 0, "maximum": 100_000, "description": "basis points (10000 = 100%)"}
DAYS = {"type": ["integer", "number"], "minimum": 0, "description": "days"}
TEXT = {"type": "string"}
MARKET = {"type": "string", "pattern": r"^[A-Z0-9]{2,16}$", "description": "market code, e.g. CEA"}


@dataclass(frozen=True)
class StepSpec:
    """One action or expectation a scenario may use."""

    name: str
    run: Callable[[Any, dict[str, Any]], Any]
    properties: dict[str, Any]
    required: tuple[str, ...] = ()
    doc: str = ""
    kind: str = "action"  # "action" (sends) or "expect" (reads and checks)
    domain: str = ""
    shorthand: dict[str, Any] | None = field(default=None)  # schema of a scalar form (e.g. `advance: 3`)

    def schema(self) -> dict[str, Any]:
        obj = {"type": "object", "description": self.doc, "properties": self.properties,
               "required": list(self.required), "additionalProperties": False}
        if self.shorthand is not None:
            return {"description": self.doc, "anyOf": [self.shorthand, obj]}
        return obj


_REGISTRY: dict[str, StepSpec] = {}


def step(
    name: str,
    properties: dict[str, Any] | None = None,
    *,
    required: list[str] | tuple[str, ...] = (),
    doc: str = "",
    kind: str = "action",
    shorthand: dict[str, Any] | None = None,
) -> Callable[[Callable[[Any, dict[str, Any]], Any]], Callable[[Any, dict[str, Any]], Any]]:
    """Registers ``fn(ctx, args)`` as the scenario step ``name`` (unique across every domain)."""

    def register(fn: Callable[[Any, dict[str, Any]], Any]) -> Callable[[Any, dict[str, Any]], Any]:
        domain = fn.__module__.split(".")[1] if fn.__module__.startswith("carbonchain.") else fn.__module__
        old = _REGISTRY.get(name)
        if old is not None and (old.run.__module__, old.run.__qualname__) != (fn.__module__, fn.__qualname__):
            raise CarbonChainError(f"scenario step {name!r} is declared twice ({old.domain} and {domain})")
        _REGISTRY[name] = StepSpec(name, fn, dict(properties or {}), tuple(required), doc or (fn.__doc__ or "").strip(),
                                   kind, domain, shorthand)
        return fn

    return register


def steps() -> dict[str, StepSpec]:
    """Every registered step by name (import the domains' ``steps`` modules first)."""
    return dict(_REGISTRY)


def get(name: str) -> StepSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise CarbonChainError(f"no scenario step {name!r}") from None
