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


def one_line_error(res, *needles: str, after_banner: bool = False) -> None:
    """The run failed with exit code 1 and a single `error: ...` line naming every needle, no
    traceback. ``after_banner``: the script may print informational lines before the error (the
    feed script prints its operator and source first), but exactly one error line."""
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error")]
    if after_banner:
        assert len(errors) >= 1, res.output
    else:
        assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    for n in needles:
        assert n in errors[0], errors[0]


def deploy_feed_world(tmp_path: Path, monkeypatch, accounts) -> None:
    """The feed script's world: every contract deployed into a deployments folder of the test's
    own, the working directory there, operators 6-9 with quorum 3."""
    from carbonchain.deploy import deploy_all

    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.chdir(tmp_path)
    deploy_all(accounts[0], operators=[accounts[i].address for i in (6, 7, 8, 9)], quorum=3)
