"""Runs the `ape run` scripts in-process with click's CliRunner (on the test's provider)."""

import importlib.util
from functools import lru_cache
from pathlib import Path

from click.testing import CliRunner

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@lru_cache
def load(name: str):
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cli


def run(name: str, *args: str):
    return CliRunner().invoke(load(name), [str(a) for a in args], catch_exceptions=False)
