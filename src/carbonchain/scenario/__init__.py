"""Scenario suites as data: YAML stories (``scenarios/*.yaml``) validated against a JSON Schema
composed from the domains' steps, played isolated on a local chain, reported as a table, JUnit XML
and an HTML report with charts."""

from .context import Context, Outcome, StepFailed
from .model import Scenario, ScenarioError, Step, build_schema, discover, load_all, parse, schema_text
from .runner import Result, run_all, run_scenario

__all__ = [
    "Context", "Outcome", "StepFailed", "Scenario", "ScenarioError", "Step", "build_schema", "discover",
    "load_all", "parse", "schema_text", "Result", "run_all", "run_scenario",
]
