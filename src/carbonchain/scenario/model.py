"""Scenario files: YAML read with line numbers, validated against the composed JSON Schema (and a
few rules a schema cannot say) before anything runs. Every problem names file, line and field.

    scenario: repo-crash-cure          # unique name (pytest id, -k filter, report anchor)
    title: Price crash, margin call, cure by top-up
    tags: [repo, flagship]             # `slow` keeps it out of the default test run
    personas: [financier, risk1, ...]  # test accounts 1, 2, ... in order (account 0 is `admin`)
    setup:    [ {step: args}, ... ]    # played first, at day 0
    timeline: [ {day: 3, step: args, expect_revert: ErrorName, note: "..."}, ... ]
    expect:   [ {expectation: args}, ... ]   # checked at the end
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..core import steps as registry
from ..core.errors import CarbonChainError
from ..core.steps import PERSONA, PERSONAS

SECTIONS = ("setup", "timeline", "expect")
META = {
    "day": {"type": ["integer", "number"], "minimum": 0,
            "description": "play this step at day N of the scenario (time only moves forward)"},
    "at": {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "description": "time of day HH:MM (UTC)"},
    "note": {"type": "string", "description": "why this step is here (shown in the report)"},
    "expect_revert": {"type": "string", "pattern": r"^[A-Z][A-Za-z0-9_]*$",
                      "description": "the step must be refused with this custom error (nothing is sent)"},
}
MAX_PERSONAS = 15  # test accounts 1..15 (account 0 deploys: persona `admin`)


class ScenarioError(CarbonChainError):
    """One or more problems in scenario files, each ``file:line: field: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Step:
    section: str
    index: int
    action: str
    args: Any
    line: int
    day: float | None = None
    at: str | None = None
    note: str = ""
    expect_revert: str | None = None

    @property
    def label(self) -> str:
        when = f"day {self.day:g} " if self.day is not None else ""
        return f"{self.section}[{self.index}] {when}{self.action}"


@dataclass
class Scenario:
    name: str
    title: str
    path: Path
    personas: list[str]
    steps: list[Step]
    tags: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def slow(self) -> bool:
        return "slow" in self.tags


# ---------------------------------------------------------------------- YAML with lines
def _walk(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int], dupes: list[tuple[tuple, int]]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for k, v in node.value:
            key = k.value
            if key in seen:
                dupes.append((path + (key,), k.start_mark.line + 1))
            seen.add(key)
            lines[path + (key,)] = k.start_mark.line + 1
            _walk(v, path + (key,), lines, dupes)
            lines[path + (key,)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _walk(v, path + (i,), lines, dupes)


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else 0
        raise ScenarioError([f"{path}:{line}: not valid YAML: {err.problem or err}"]) from None
    lines: dict[tuple[Any, ...], int] = {}
    dupes: list[tuple[tuple, int]] = []
    if node is not None:
        _walk(node, (), lines, dupes)
    if dupes:
        raise ScenarioError([f"{path}:{ln}: {field_name(p)}: duplicate key" for p, ln in dupes])
    return data, lines


def field_name(path: Iterable[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top)"


def line_of(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


# ---------------------------------------------------------------------- schema
def load_step_modules() -> None:
    from .domains import STEP_MODULES
    import importlib

    for mod in STEP_MODULES:
        importlib.import_module(mod)


def build_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, composed from every domain's registered steps."""
    load_step_modules()
    specs = registry.steps()
    step_props: dict[str, Any] = dict(META)
    for name in sorted(specs):
        s = specs[name]
        schema = s.schema()
        schema.setdefault("description", "")
        schema["description"] = f"[{s.domain} {s.kind}] {s.doc}".strip()
        step_props[name] = schema
    steps_schema = {"type": "array", "items": {"$ref": "#/$defs/step"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://carbonchain.example/scenarios/schema.json",
        "title": "CarbonChain scenario",
        "description": "A scenario suite file (scenarios/*.yaml). Generated by `ape run scenario schema`: "
                       "do not edit by hand.",
        "type": "object",
        "required": ["scenario", "title", "timeline"],
        "additionalProperties": False,
        "properties": {
            "scenario": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$", "description": "unique name"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                     "description": "`slow` keeps a scenario out of the default test run; `flagship` plays in the demo"},
            "personas": {"type": "array", "items": PERSONA, "uniqueItems": True, "maxItems": MAX_PERSONAS},
            "setup": steps_schema,
            "timeline": steps_schema,
            "expect": steps_schema,
        },
        "$defs": {
            "step": {"type": "object", "minProperties": 1, "additionalProperties": False, "properties": step_props},
        },
    }


def schema_path() -> Path:
    from ..core.deployments import project_root

    return project_root() / "scenarios" / "schema.json"


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, sort_keys=False) + "\n"


# ---------------------------------------------------------------------- validation
def _schema_problems(path: Path, data: Any, lines: dict[tuple[Any, ...], int], schema: dict[str, Any]) -> list[str]:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    problems: list[tuple[int, str]] = []
    for err in Draft202012Validator(schema).iter_errors(data):
        if err.validator in ("anyOf", "oneOf") and err.context:
            err = best_match(err.context)
        p = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            for extra in sorted(set(err.instance) - set(allowed)):
                close = difflib.get_close_matches(str(extra), allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                where = "step" if p and isinstance(p[-1], int) else field_name(p)
                problems.append((line_of(lines, p + (extra,)),
                                 f"{field_name(p + (extra,))}: unknown field {extra!r} in this {where}{hint}"))
            continue
        problems.append((line_of(lines, p), f"{field_name(p)}: {err.message}"))
    return [f"{path}:{ln}: {msg}" for ln, msg in sorted(set(problems))]


def _persona_refs(props: dict[str, Any], args: Any, base: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], str]]:
    if not isinstance(args, dict):
        return
    for key, sch in props.items():
        if key not in args:
            continue
        v = args[key]
        if sch == PERSONA and isinstance(v, str):
            yield base + (key,), v
        elif sch == PERSONAS and isinstance(v, list):
            for i, item in enumerate(v):
                if isinstance(item, str):
                    yield base + (key, i), item
        elif isinstance(sch, dict) and sch.get("x-persona-keys") and isinstance(v, dict):
            for item in v:
                yield base + (key, item), str(item)


def parse(path: str | Path) -> Scenario:
    """Reads and validates one file; raises ScenarioError listing every problem, runs nothing."""
    path = Path(path)
    data, lines = read_yaml(path)
    schema = build_schema()
    problems = _schema_problems(path, data, lines, schema)
    if problems:
        raise ScenarioError(problems)
    specs = registry.steps()
    personas = list(data.get("personas") or [])
    known = set(personas) | {"admin"}
    steps: list[Step] = []
    last_day = 0.0
    for section in SECTIONS:
        for i, raw in enumerate(data.get(section) or []):
            p = (section, i)
            actions = [k for k in raw if k not in META]
            if len(actions) != 1:
                what = "no action" if not actions else f"{len(actions)} actions ({', '.join(actions)})"
                problems.append(f"{path}:{line_of(lines, p)}: {field_name(p)}: a step needs exactly one action, found {what}")
                continue
            action = actions[0]
            spec = specs[action]
            if section == "expect" and spec.kind != "expect":
                problems.append(f"{path}:{line_of(lines, p + (action,))}: {field_name(p + (action,))}: "
                                f"{action!r} is an action; the expect section takes expectations only")
            if section == "setup" and ("day" in raw or "at" in raw):
                problems.append(f"{path}:{line_of(lines, p)}: {field_name(p)}: setup steps play at day 0 (no day/at)")
            if "expect_revert" in raw and spec.kind == "expect":
                problems.append(f"{path}:{line_of(lines, p + ('expect_revert',))}: {field_name(p + ('expect_revert',))}: "
                                f"only an action can be expected to revert")
            day = raw.get("day")
            if day is not None:
                if day < last_day:
                    problems.append(f"{path}:{line_of(lines, p + ('day',))}: {field_name(p + ('day',))}: "
                                    f"day {day:g} is before day {last_day:g} of an earlier step (time only moves forward)")
                last_day = max(last_day, float(day))
            for ref_path, who in _persona_refs(spec.properties, raw[action], p + (action,)):
                if who not in known:
                    close = difflib.get_close_matches(who, sorted(known), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(f"{path}:{line_of(lines, ref_path)}: {field_name(ref_path)}: "
                                    f"unknown persona {who!r}{hint}; declare it under personas")
            steps.append(Step(section, i, action, raw[action], line_of(lines, p), day, raw.get("at"),
                              raw.get("note", ""), raw.get("expect_revert")))
    if problems:
        raise ScenarioError(problems)
    return Scenario(data["scenario"], data["title"], path, personas, steps, list(data.get("tags") or []),
                    data.get("description", ""))


def discover(targets: Iterable[str | Path]) -> list[Path]:
    """Files and folders -> the scenario files (``*.yaml``/``*.yml``, sorted, schema.json skipped)."""
    files: list[Path] = []
    for t in targets:
        p = Path(t)
        if p.is_dir():
            files += sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml"))
        elif p.exists():
            files.append(p)
        else:
            raise ScenarioError([f"{p}: no such file or folder"])
    return files


def load_all(targets: Iterable[str | Path], keyword: str | None = None) -> list[Scenario]:
    """Validates every file first (all problems of all files in one error), then filters by ``-k``."""
    problems: list[str] = []
    out: list[Scenario] = []
    for f in discover(targets):
        try:
            out.append(parse(f))
        except ScenarioError as err:
            problems += err.problems
    names: dict[str, Path] = {}
    for s in out:
        if s.name in names:
            problems.append(f"{s.path}:1: scenario: name {s.name!r} is also used by {names[s.name]}")
        names[s.name] = s.path
    if problems:
        raise ScenarioError(problems)
    if keyword:
        out = [s for s in out if keyword.lower() in s.name.lower() or keyword.lower() in s.title.lower()
               or keyword in s.tags]
    return out
