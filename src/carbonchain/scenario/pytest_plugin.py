"""pytest collects ``scenarios/*.yaml``: one test item per scenario file (so ``--junitxml``, ``-k``
and ``-x`` work as usual). Registered from the root ``conftest.py``.

Scenarios tagged ``slow`` are skipped unless ``--scenarios=all`` (or ``CARBONCHAIN_SCENARIOS=all``);
``--scenarios=none`` skips them all. They run on the provider of the test session
(``ape test scenarios --network ethereum:local:test``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("carbonchain scenarios")
    group.addoption("--scenarios", choices=("fast", "all", "none"),
                    default=os.environ.get("CARBONCHAIN_SCENARIOS", "fast"),
                    help="which scenarios/*.yaml to play: fast (default: all but those tagged slow), all, none")


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "scenario: a YAML scenario from scenarios/")
    config.addinivalue_line("markers", "slow: a long scenario, played only with --scenarios=all")


def pytest_collect_file(parent: Any, file_path: Path) -> Any:
    if file_path.suffix in (".yaml", ".yml") and file_path.parent.name == "scenarios":
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFailed(Exception):
    pass


class ScenarioFile(pytest.File):
    def collect(self) -> Any:
        from .model import ScenarioError, parse

        try:
            scn = parse(self.path)
        except ScenarioError as err:
            raise self.CollectError(str(err)) from None
        item = ScenarioItem.from_parent(self, name=scn.name, scenario=scn)
        item.add_marker("scenario")
        if scn.slow:
            item.add_marker("slow")
        yield item


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.scenario = scenario
        self.fixturenames: list[str] = []  # Ape's pytest runner reads it (the runner isolates by itself)
        self.funcargs: dict[str, Any] = {}

    def setup(self) -> None:
        mode = self.config.getoption("--scenarios")
        if mode == "none":
            pytest.skip("scenarios disabled (--scenarios=none)")
        if self.scenario.slow and mode != "all":
            pytest.skip("slow scenario: run with --scenarios=all")

    def runtest(self) -> None:
        from ..core.network import connect
        from .runner import run_scenario

        with connect(None):
            result = run_scenario(self.scenario)
        self.user_properties.append(("transactions", result.txs))
        if not result.passed:
            raise ScenarioFailed(result.summary())

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return f"scenario {self.scenario.name} failed:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.scenario.name}"
