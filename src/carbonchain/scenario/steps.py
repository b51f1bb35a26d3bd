"""The runner's own steps, which belong to no domain: time and the event trail."""

from __future__ import annotations

from typing import Any

from ..core.steps import DAYS, step


@step("advance", {"days": DAYS, "hours": {"type": "number", "minimum": 0}},
      doc="let time pass (mines one block at the new time)", shorthand={"type": "number", "minimum": 0})
def advance(ctx: Any, args: Any) -> None:
    if isinstance(args, (int, float)):
        args = {"days": args}
    ctx.advance(days=args.get("days", 0), hours=args.get("hours", 0))


def _match(value: Any, want: Any) -> bool:
    if isinstance(value, (bytes, bytearray)) and isinstance(want, str):
        return "0x" + bytes(value).hex() == want.lower()
    if isinstance(value, str) and isinstance(want, str):
        return value.lower() == want.lower()
    return value == want


@step("event", {
    "name": {"type": "string", "pattern": r"^[A-Z][A-Za-z0-9]*$", "description": "the event's name"},
    "contract": {"type": "string", "description": "the emitting contract's name (any when left out)"},
    "fields": {"type": "object", "description": "field: value that must all match (personas allowed for addresses)"},
    "count": {"type": "integer", "minimum": 0, "description": "exactly this many matching events (default: at least one)"},
}, required=["name"], kind="expect", doc="an event was emitted during the scenario, with these fields")
def event(ctx: Any, args: dict[str, Any]) -> None:
    want = dict(args.get("fields") or {})
    for k, v in list(want.items()):
        if isinstance(v, str) and v in ctx.personas:
            want[k] = ctx.personas[v].address
    found = [e for e in ctx.events_named(args["name"], args.get("contract"))
             if all(k in e["args"] and _match(e["args"][k], v) for k, v in want.items())]
    label = f"event {args['name']}" + (f" {want}" if want else "")
    if "count" in args:
        ctx.check(label, args["count"], len(found))
    else:
        ctx.check(label, ">= 1", len(found), ok=len(found) >= 1)
